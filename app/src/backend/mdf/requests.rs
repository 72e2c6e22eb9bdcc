//! A partner's request for funds, and a manager's decision on it: approve (possibly for a
//! smaller amount, never more than is available) or decline with a reason.

use super::{apply_step, known, locked, notify, record, require_reason, Act};
use crate::api::error::AppError;
use crate::backend::repos::mdf_funds::{self, FundRow};
use crate::backend::repos::mdf_requests::{self, NewRequest, RequestRow};
use crate::backend::repos::memberships;
use crate::backend::scope::{Scope, Whose};
use crate::domain::mdf::activity::{self, RequestForm};
use crate::domain::mdf::balance::{check_request, step, Request, Step};
use crate::domain::mdf::decider::{Subject, Verdict};
use crate::domain::mdf::{claim, emails};
use crate::domain::money;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rust_decimal::Decimal;

pub const REASON_MAX: usize = 1000;
const NOT_YOURS: &str = "Choose one of your funds.";

/// The fund a partner may request from: one it has a balance in, in a program it is active in,
/// whose period has not ended.
async fn partner_fund(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    fund_id: i64,
    act: &Act<'_>,
) -> Result<FundRow, AppError> {
    let fund = mdf_funds::get_fund(conn, fund_id)
        .await?
        .ok_or_else(|| AppError::field("fund_id", NOT_YOURS))?;
    let member = memberships::find(conn, partner_id, fund.program_id)
        .await?
        .is_some_and(|m| m.status == "active");
    if !member || mdf_funds::balance(conn, fund_id, partner_id).await?.is_none() {
        return Err(AppError::field("fund_id", NOT_YOURS));
    }
    super::funds::open_fund(conn, fund.program_id, fund_id, act.now.date()).await
}

pub async fn submit(
    conn: &mut AsyncPgConnection,
    act: &Act<'_>,
    partner_id: i64,
    fund_id: i64,
    form: &RequestForm,
) -> Result<RequestRow, AppError> {
    let fund = partner_fund(conn, partner_id, fund_id, act).await?;
    let valid =
        activity::validate(form, &fund.currency, (fund.period_start, fund.period_end)).map_err(AppError::Invalid)?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let balance = mdf_funds::lock_balance(conn, fund.id, partner_id)
            .await?
            .ok_or_else(|| AppError::field("fund_id", NOT_YOURS))?;
        check_request(valid.amount, balance.available, &fund.currency).map_err(|m| AppError::field("amount", m))?;
        let request = mdf_requests::insert(
            conn,
            &NewRequest {
                fund_id: fund.id,
                partner_id,
                activity: valid.activity.as_str().into(),
                description: valid.description.clone(),
                starts_on: valid.starts_on,
                ends_on: valid.ends_on,
                amount: valid.amount,
                expected_outcome: valid.expected_outcome.clone(),
                claim_deadline: claim::deadline(valid.ends_on, fund.claim_days),
                submitted_at: act.now,
            },
        )
        .await?;
        let pending = Request::Pending {
            requested: valid.amount,
        };
        apply_step(conn, &fund, partner_id, Request::Declined, pending, act.now).await?;
        record(
            conn,
            act,
            fund.id,
            partner_id,
            Some(request.id),
            "requested",
            Some(valid.amount),
            None,
            None,
        )
        .await?;
        let names = notify::names(conn, &request, &fund, act.base_url, true).await?;
        let amount = money::format(valid.amount, &fund.currency);
        notify::to_deciders(conn, &fund, Subject::Request, |operator| {
            emails::requested(operator, &names.about(), &amount)
        })
        .await?;
        Ok(request)
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Approve this amount (at most what was requested and what is available).
    Approve(Decimal),
    Decline(String),
}

/// Decides a pending request of a program in the operator's `scope`.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    act: &Act<'_>,
    scope: &Scope,
    request_id: i64,
    decision: &Decision,
) -> Result<Request, AppError> {
    let verdict = match decision {
        Decision::Approve(_) => Verdict::Approve,
        Decision::Decline(_) => Verdict::Refuse,
    };
    act.may_decide(Subject::Request, verdict, None)?;
    if let Decision::Decline(reason) = decision {
        require_reason(reason, "Say why you decline: the partner reads it.")?;
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let (request, fund) = locked(conn, request_id, Whose::Operator(scope)).await?;
        let before = known(mdf_requests::state(&request, None))?;
        let wanted = match decision {
            Decision::Approve(amount) => Step::Approve(*amount),
            Decision::Decline(_) => Step::Decline,
        };
        let after = step(before, wanted).map_err(|m| match before {
            Request::Pending { .. } => AppError::field("amount", m),
            _ => AppError::Conflict(format!("Request #{request_id}: {m} Nothing was changed.")),
        })?;
        let names = notify::names(conn, &request, &fund, act.base_url, false).await?;
        let fmt = |a: Decimal| money::format(a, &fund.currency);
        let content = match decision {
            Decision::Approve(amount) => {
                if fund.expired_at.is_some() {
                    return Err(AppError::Conflict(format!(
                        "The period of \"{}\" has ended and its unused funds expired; nothing more can be approved from it.",
                        fund.name
                    )));
                }
                let balance = mdf_funds::lock_balance(conn, fund.id, request.partner_id)
                    .await?
                    .ok_or_else(|| crate::backend::errors::internal("a request without a balance"))?;
                check_request(*amount, balance.available, &fund.currency).map_err(|m| AppError::field("amount", m))?;
                apply_step(conn, &fund, request.partner_id, before, after, act.now).await?;
                mdf_requests::decide(conn, request_id, "approved", Some(*amount), None, act.user_id(), act.now).await?;
                record(conn, act, fund.id, request.partner_id, Some(request_id), "approved", Some(*amount), None, Some(serde_json::json!({"status": "pending", "amount": request.amount.normalize().to_string()}))).await?;
                emails::approved(&names.about(), &fmt(*amount), &fmt(request.amount), &claim::last_day_text(request.claim_deadline))
            }
            Decision::Decline(reason) => {
                let reason = reason.trim();
                apply_step(conn, &fund, request.partner_id, before, after, act.now).await?;
                mdf_requests::decide(conn, request_id, "declined", None, Some(reason), act.user_id(), act.now).await?;
                record(conn, act, fund.id, request.partner_id, Some(request_id), "declined", None, Some(reason), Some(serde_json::json!({"status": "pending"}))).await?;
                emails::declined(&names.about(), reason)
            }
        };
        notify::to_partner(conn, request.partner_id, &content).await?;
        Ok(after)
    })
    .await
}
