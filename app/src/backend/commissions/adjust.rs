//! An operator's manual adjustment: a ledger entry of either sign with a reason, approved by its
//! author and, above the program's review threshold, waiting for a second person with finance
//! rights before it counts (see `domain::commission::adjustment`). Audited.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::errors::not_found_as;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::ledger::{self, EntryRow, NewEntry};
use crate::backend::repos::users::Account;
use crate::backend::repos::{commission_settings, memberships, programs};
use crate::domain::access::Permission;
use crate::domain::commission::adjustment::{self, AdjustmentInput};
use crate::domain::commission::approval::State;
use crate::domain::commission::ledger::EntryKind;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

/// The recorded entry and where it stands: approved, or waiting for finance.
#[derive(Clone, Debug)]
pub struct Adjusted {
    pub entry: EntryRow,
    pub state: State,
}

pub async fn adjust(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    program_id: i64,
    partner_id: i64,
    input: &AdjustmentInput,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<Adjusted, AppError> {
    if !matches!(operator.account, Account::Operator(role) if role.can(Permission::AdjustCommissions)) {
        return Err(AppError::Forbidden);
    }
    let program = programs::get(conn, program_id)
        .await
        .map_err(|e| not_found_as(e, "That program doesn't exist."))?;
    let valid = input.parse(&program.currency).map_err(AppError::Invalid)?;
    if !memberships::active_partner_ids(conn, program_id)
        .await?
        .contains(&partner_id)
    {
        return Err(AppError::NotFound("That partner is not active in this program.".into()));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let review_above = commission_settings::adjustment_review_above(conn, program_id).await?;
        let (state, why) = adjustment::route(valid.amount, review_above, &program.currency);
        let entry = ledger::insert(
            conn,
            &NewEntry {
                conversion_id: None,
                program_id,
                partner_id,
                kind: EntryKind::Adjustment.as_str().into(),
                amount: valid.amount,
                currency: program.currency.clone(),
                refund_id: None,
                explanation: format!("adjustment by {}: {}", operator.display_name, valid.reason),
                terms_version_id: None,
                inputs: None,
                source_id: None,
                level: None,
                reason: Some(valid.reason.clone()),
                created_by: Some(operator.id),
                payable_at: now,
                created_at: now,
            },
        )
        .await?;
        // The author's approval: the whole decision, or the manager stage before finance.
        ledger::decide(conn, entry.id, 1, state, Some(operator.id), &why, now).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &operator.actor(),
                action: "commission.adjust",
                subject_type: "commission",
                subject_id: entry.id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "partner_id": partner_id, "program_id": program_id,
                    "amount": valid.amount.to_string(), "currency": program.currency, "reason": valid.reason,
                    "state": state.columns().0, "stage": state.columns().1,
                    "review_above": review_above.to_string(),
                })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(Adjusted { entry, state })
    })
    .await
}
