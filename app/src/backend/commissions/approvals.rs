//! Decisions on commissions and manual adjustments: one at a time or in a batch. A decision is
//! a new row numbered after the state the approver saw; if someone decided first, the number is
//! taken and the approver gets a clear conflict instead of a second decision.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::ledger::{self, DecisionRow};
use crate::backend::repos::users::Account;
use crate::backend::repos::{commission_settings, conversions, outbox, programs, users};
use crate::backend::scope::Scope;
use crate::domain::commission::adjustment;
use crate::domain::commission::approval::{self, Action, Actor, Stage, State};
use crate::domain::commission::ledger::EntryKind;
use crate::domain::{emails, money};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

/// What a decision did: the new state of an accrual or an adjustment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decided {
    pub state: State,
    pub kind: EntryKind,
}

/// Decides one commission or adjustment of a program in the operator's `scope` (any other is
/// not found). `seen_seq` is the decision number the approver was looking at, when the form
/// carried it; a newer decision then makes this one a conflict.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    scope: &Scope,
    commission_id: i64,
    action: &Action,
    seen_seq: Option<i32>,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<Decided, AppError> {
    let Account::Operator(role) = operator.account else {
        return Err(AppError::Forbidden);
    };
    let actor = Actor {
        user_id: operator.id,
        role,
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        // Reversals and overrides follow the accrual they come from; they have no decisions.
        let (entry, kind) = ledger::get_in_scope(conn, scope, commission_id)
            .await?
            .and_then(|e| match EntryKind::parse(&e.kind) {
                Some(kind @ (EntryKind::Accrual | EntryKind::Adjustment)) => Some((e, kind)),
                _ => None,
            })
            .ok_or_else(|| AppError::NotFound("That commission doesn't exist.".into()))?;
        let history = ledger::decisions(conn, commission_id).await?;
        let latest = history
            .last()
            .ok_or_else(|| crate::backend::errors::internal("a commission without a routing decision"))?;
        let current = latest
            .state()
            .ok_or_else(|| crate::backend::errors::internal("unknown commission state"))?;
        if seen_seq.is_some_and(|seen| seen != latest.seq) {
            return Err(changed_meanwhile(conn, latest, current).await?);
        }
        let next = match kind {
            EntryKind::Adjustment => adjustment::decide(current, action, actor, entry.created_by),
            _ => {
                let routing = commission_settings::get(conn, entry.program_id).await?.routing();
                approval::decide(
                    current,
                    action,
                    actor,
                    entry.amount,
                    &routing,
                    manager_approver(&history),
                )
            }
        }
        .map_err(AppError::Conflict)?;
        let reason = action.reason().unwrap_or(match next {
            State::Pending(Stage::Finance) => "approved by a manager; finance next",
            _ => "approved",
        });
        if !ledger::decide(
            conn,
            commission_id,
            latest.seq + 1,
            next,
            Some(operator.id),
            reason.trim(),
            now,
        )
        .await?
        {
            let latest = ledger::decisions(conn, commission_id)
                .await?
                .pop()
                .unwrap_or(latest.clone());
            let state = latest.state().unwrap_or(current);
            return Err(changed_meanwhile(conn, &latest, state).await?);
        }
        audit::record(
            conn,
            NewEvent {
                actor: &operator.actor(),
                action: &format!("commission.{}", action.verb()),
                subject_type: "commission",
                subject_id: commission_id.to_string(),
                before: Some(serde_json::json!({ "state": current.columns().0, "stage": current.columns().1 })),
                after: Some(serde_json::json!({
                    "state": next.columns().0, "stage": next.columns().1, "reason": action.reason(),
                    "amount": entry.amount.to_string(), "currency": entry.currency, "kind": entry.kind,
                })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        // A rejected adjustment is the program team's own correction, not the partner's
        // commission: its ledger line says so, without an email.
        if let (State::Rejected, Some(reason), EntryKind::Accrual) = (next, action.reason(), kind) {
            notify_rejection(conn, &entry, reason).await?;
        }
        Ok(Decided { state: next, kind })
    })
    .await
}

/// Who approved the manager stage of a two-stage commission, if anyone.
fn manager_approver(history: &[DecisionRow]) -> Option<i64> {
    history
        .iter()
        .rev()
        .find(|d| d.state() == Some(State::Pending(Stage::Finance)))
        .and_then(|d| d.actor_id)
}

async fn changed_meanwhile(
    conn: &mut AsyncPgConnection,
    latest: &DecisionRow,
    state: State,
) -> Result<AppError, AppError> {
    let who = match latest.actor_id {
        Some(id) => users::get(conn, id).await?.display_name,
        None => "the routing rules".into(),
    };
    Ok(AppError::Conflict(format!(
        "Someone decided this commission first: {who} made it \"{}\". Nothing was changed; reload to see it.",
        state.label().to_lowercase()
    )))
}

async fn notify_rejection(
    conn: &mut AsyncPgConnection,
    entry: &ledger::EntryRow,
    reason: &str,
) -> Result<(), AppError> {
    let partner = crate::backend::repos::partners::get(conn, entry.partner_id).await?;
    let program = programs::get(conn, entry.program_id).await?;
    let order = match entry.conversion_id {
        Some(id) => conversions::order_of(conn, id).await?,
        None => "-".into(),
    };
    let to = crate::backend::partner_mail::address(conn, &partner).await?;
    let content = emails::commission_rejected(
        &partner.name,
        &program.name,
        &money::format(entry.amount, &entry.currency),
        &order,
        reason,
    );
    outbox::enqueue_for_program(conn, entry.program_id, &to, &content).await?;
    Ok(())
}

/// One line of a batch's result: the commission and what happened to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchLine {
    pub commission_id: i64,
    pub outcome: Result<Decided, String>,
}

/// Decides each commission on its own, as of the decision number the approver saw; the ones
/// that can't be decided are skipped and the reason is given for each.
pub async fn decide_batch(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    scope: &Scope,
    seen: &[(i64, i32)],
    action: &Action,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Vec<BatchLine> {
    let mut lines = Vec::with_capacity(seen.len());
    for (id, seq) in seen {
        let outcome = decide(conn, operator, scope, *id, action, Some(*seq), meta, now)
            .await
            .map_err(|e| e.to_string());
        lines.push(BatchLine {
            commission_id: *id,
            outcome,
        });
    }
    lines
}
