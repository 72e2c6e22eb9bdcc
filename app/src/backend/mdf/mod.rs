//! Market development funds on the server: setting funds up and allocating them, requests and
//! their decisions, claims with proof files and their decisions, and the deadline job. Every
//! transition changes the request, adds its share to the partner's stored balance (which the
//! database keeps within the allocation), records the history and the audit trail and queues
//! its email, in one transaction.

pub mod claims;
pub mod deadlines;
pub mod decisions;
pub mod funds;
mod notify;
pub mod payments;
pub mod requests;

#[cfg(test)]
mod decider_tests;
#[cfg(test)]
pub(crate) mod tests;

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, Actor};
use crate::backend::repos::mdf_events::{self, NewEvent};
use crate::backend::repos::mdf_funds::{self, BalanceRow, FundRow, WITHIN_ALLOCATION};
use crate::backend::repos::mdf_requests;
use crate::backend::repos::users::Account;
use crate::backend::scope::Whose;
use crate::domain::commission::approval;
use crate::domain::mdf::balance::{self, Request};
use crate::domain::mdf::decider::{self, Refusal, Subject, Verdict};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::OffsetDateTime;

/// Who acts, from which request, with which public address and at what time.
pub struct Act<'a> {
    /// `None` for the system (the deadline job).
    pub user: Option<&'a AuthUser>,
    pub meta: &'a RequestMeta,
    pub base_url: &'a str,
    pub now: OffsetDateTime,
}

impl Act<'_> {
    fn actor(&self) -> Actor {
        self.user
            .map_or_else(|| Actor::system("MDF deadlines"), AuthUser::actor)
    }

    fn user_id(&self) -> Option<i64> {
        self.user.map(|u| u.id)
    }

    /// The operator deciding, checked against the MDF decision rules: a role that can't take
    /// the decision is forbidden; the person who approved the request approving its claim is
    /// a conflict. Nothing is decided without an operator.
    fn may_decide(&self, subject: Subject, verdict: Verdict, request_approver: Option<i64>) -> Result<i64, AppError> {
        let Some(AuthUser {
            id,
            account: Account::Operator(role),
            ..
        }) = self.user
        else {
            return Err(AppError::Forbidden);
        };
        let actor = approval::Actor {
            user_id: *id,
            role: *role,
        };
        decider::check(subject, verdict, actor, request_approver).map_err(|refusal| match refusal {
            Refusal::Role(_) => AppError::Forbidden,
            Refusal::SamePerson(message) => AppError::Conflict(format!("{message} Nothing was changed.")),
        })?;
        Ok(*id)
    }
}

pub const MISSING_REQUEST: &str = "That MDF request doesn't exist.";

/// Adds the step from `before` to `after` to the partner's stored balance. If the database
/// refuses because it would commit more than was allocated (two approvals at once), the
/// caller's transaction rolls back with a clear conflict.
async fn apply_step(
    conn: &mut AsyncPgConnection,
    fund: &FundRow,
    partner_id: i64,
    before: Request,
    after: Request,
    now: OffsetDateTime,
) -> Result<BalanceRow, AppError> {
    let (change, expired) = balance::delta(before, after, fund.expired_at.is_some());
    mdf_funds::apply(conn, fund.id, partner_id, change, expired, now)
        .await
        .map_err(|e| match e {
            DieselError::DatabaseError(DatabaseErrorKind::CheckViolation, ref info)
                if info.constraint_name() == Some(WITHIN_ALLOCATION) =>
            {
                AppError::Conflict(
                    "There isn't enough left in this balance: other funds were approved from it at the same moment. Nothing was changed; reload to see what is available.".into(),
                )
            }
            other => other.into(),
        })
}

/// One history line and one audit event for a transition.
#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut AsyncPgConnection,
    act: &Act<'_>,
    fund_id: i64,
    partner_id: i64,
    request_id: Option<i64>,
    kind: &str,
    amount: Option<Decimal>,
    note: Option<&str>,
    before: Option<serde_json::Value>,
) -> Result<(), AppError> {
    mdf_events::record(
        conn,
        &NewEvent {
            fund_id,
            partner_id,
            request_id,
            kind,
            amount,
            actor_id: act.user_id(),
            note,
            occurred_at: act.now,
        },
    )
    .await?;
    let (subject_type, subject_id) = match request_id {
        Some(id) => ("mdf_request", id),
        None => ("mdf_fund", fund_id),
    };
    audit::record_with_ip(
        conn,
        audit::NewEvent {
            actor: &act.actor(),
            action: &format!("mdf.{kind}"),
            subject_type,
            subject_id: subject_id.to_string(),
            before,
            after: Some(serde_json::json!({
                "fund_id": fund_id, "partner_id": partner_id, "kind": kind,
                "amount": amount.map(|a| a.normalize().to_string()), "note": note,
            })),
            request_id: act.meta.request_id.as_deref(),
        },
        &act.meta.ip,
    )
    .await?;
    Ok(())
}

/// Checks a decision's reason: required (the partner reads it), at most `REASON_MAX` characters.
fn require_reason(reason: &str, missing: &str) -> Result<(), AppError> {
    match crate::domain::validate::optional_text(reason, "Reason", requests::REASON_MAX) {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(AppError::field("reason", missing)),
        Err(m) => Err(AppError::field("reason", m)),
    }
}

/// The request (locked until the transaction ends) and its fund, if it is `whose`: another
/// partner's, or another brand's, is as missing as one that doesn't exist.
async fn locked(
    conn: &mut AsyncPgConnection,
    request_id: i64,
    whose: Whose<'_>,
) -> Result<(mdf_requests::RequestRow, FundRow), AppError> {
    let missing = || AppError::NotFound(MISSING_REQUEST.into());
    let request = mdf_requests::lock(conn, request_id, whose).await?.ok_or_else(missing)?;
    let fund = mdf_funds::get_fund(conn, request.fund_id).await?.ok_or_else(missing)?;
    Ok((request, fund))
}

/// The request's current state, or an internal error for a row the rules don't know.
fn known(state: Option<Request>) -> Result<Request, AppError> {
    state.ok_or_else(|| crate::backend::errors::internal("an MDF request in an unknown state"))
}
