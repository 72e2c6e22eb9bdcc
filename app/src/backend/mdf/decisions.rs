//! One decision from the console's forms, as typed: the request found, the amount read in its
//! fund's currency, then the request or its claim decided. Returns what to tell the operator.

use super::claims::{self, ClaimDecision};
use super::requests::{self, Decision};
use super::{Act, MISSING_REQUEST};
use crate::api::error::AppError;
use crate::backend::repos::{mdf_funds, mdf_requests};
use crate::backend::scope::Scope;
use crate::domain::mdf::decider::{Subject, Verdict};
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;

pub async fn decide(
    conn: &mut AsyncPgConnection,
    act: &Act<'_>,
    scope: &Scope,
    request_id: i64,
    (subject, verdict): (Subject, Verdict),
    amount: &str,
    reason: &str,
) -> Result<String, AppError> {
    let request = mdf_requests::get_in_scope(conn, scope, request_id)
        .await?
        .ok_or_else(|| AppError::NotFound(MISSING_REQUEST.into()))?;
    let currency = mdf_funds::get_fund(conn, request.fund_id)
        .await?
        .map(|f| f.currency)
        .unwrap_or_default();
    let amount = || -> Result<Decimal, AppError> {
        crate::domain::mdf::amount(amount, &currency, "Amount to approve").map_err(|m| AppError::field("amount", m))
    };
    let id = request_id;
    Ok(match (subject, verdict) {
        (Subject::Request, Verdict::Approve) => {
            requests::decide(conn, act, scope, id, &Decision::Approve(amount()?)).await?;
            format!("Request #{id} approved: the partner has been emailed.")
        }
        (Subject::Request, Verdict::Refuse) => {
            requests::decide(conn, act, scope, id, &Decision::Decline(reason.to_owned())).await?;
            format!("Request #{id} declined: the partner has been emailed the reason.")
        }
        (Subject::Claim, Verdict::Approve) => {
            claims::decide(conn, act, scope, id, &ClaimDecision::Approve(amount()?)).await?;
            format!("Claim for request #{id} approved: it is payable with the partner's next payout.")
        }
        (Subject::Claim, Verdict::Refuse) => {
            claims::decide(conn, act, scope, id, &ClaimDecision::Reject(reason.to_owned())).await?;
            format!("Claim for request #{id} rejected: the partner has been emailed the reason.")
        }
    })
}
