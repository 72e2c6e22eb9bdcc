//! An operator's manual adjustment: a ledger entry of either sign with a reason, approved by
//! its author and payable at once, and audited.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::ledger::{self, EntryRow, NewEntry};
use crate::backend::repos::{memberships, programs};
use crate::domain::commission::approval::State;
use crate::domain::commission::ledger::EntryKind;
use crate::domain::money;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rust_decimal::Decimal;
use time::OffsetDateTime;

#[allow(clippy::too_many_arguments)]
pub async fn adjust(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    program_id: i64,
    partner_id: i64,
    amount: Decimal,
    reason: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<EntryRow, AppError> {
    let program = programs::get(conn, program_id).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field(
            "reason",
            "An adjustment needs a reason; it is shown to the partner.",
        ));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::field("reason", "Keep the reason under 500 characters."));
    }
    if amount.is_zero() {
        return Err(AppError::field(
            "amount",
            "Enter an amount other than zero (negative to deduct).",
        ));
    }
    money::positive_amount(amount.abs(), &program.currency)
        .map_err(|m| AppError::field("amount", format!("The {m}.")))?;
    if !memberships::active_partner_ids(conn, program_id)
        .await?
        .contains(&partner_id)
    {
        return Err(AppError::NotFound("That partner is not active in this program.".into()));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let entry = ledger::insert(
            conn,
            &NewEntry {
                conversion_id: None,
                program_id,
                partner_id,
                kind: EntryKind::Adjustment.as_str().into(),
                amount,
                currency: program.currency.clone(),
                refund_id: None,
                explanation: format!("adjustment by {}: {reason}", operator.display_name),
                terms_version_id: None,
                inputs: None,
                source_id: None,
                level: None,
                reason: Some(reason.to_owned()),
                created_by: Some(operator.id),
                payable_at: now,
                created_at: now,
            },
        )
        .await?;
        ledger::decide(conn, entry.id, 1, State::Approved, Some(operator.id), reason, now).await?;
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
                    "amount": amount.to_string(), "currency": program.currency, "reason": reason,
                })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(entry)
    })
    .await
}
