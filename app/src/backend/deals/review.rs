//! A manager approves a registration (protecting the account for the program's window) or
//! rejects it with a reason; the partner gets an email either way.

use super::notify::DealNames;
use super::{lock, record, status, Acting, Happened};
use crate::api::error::AppError;
use crate::backend::repos::{deal_catalogue, deals};
use crate::backend::scope::{Scope, Whose};
use crate::domain::deals::emails as deal_emails;
use crate::domain::deals::lifecycle::Status;
use crate::domain::{format, validate};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::Duration;

pub const REASON_MAX: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Reject,
}

/// Decides a pending registration of a program in the operator's `scope`. A reason is required
/// to reject and optional to approve.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    acting: &Acting<'_>,
    scope: &Scope,
    deal_id: i64,
    verdict: Verdict,
    reason: &str,
) -> Result<(), AppError> {
    let reason = validate::optional_text(reason, "Reason", REASON_MAX).map_err(|e| AppError::field("reason", e))?;
    if verdict == Verdict::Reject && reason.is_none() {
        return Err(AppError::field(
            "reason",
            "Give the partner a reason for the rejection; it is emailed to them.",
        ));
    }
    conn.transaction(async |conn| {
        let deal = lock(conn, deal_id, Whose::Operator(scope)).await?;
        if status(&deal) != Status::Pending {
            return Err(AppError::Conflict(format!(
                "This registration was already decided: it is now \"{}\". Nothing was changed.",
                status(&deal).label().to_lowercase()
            )));
        }
        // The partner's tier may protect its deals longer (or shorter) than the program does.
        let protection_days = deal_catalogue::protection_days(conn, deal.program_id, deal.partner_id).await?;
        let (new_status, until) = match verdict {
            Verdict::Approve => (
                Status::Approved,
                Some(acting.now + Duration::days(protection_days.into())),
            ),
            Verdict::Reject => (Status::Rejected, None),
        };
        deals::decide(
            conn,
            deal.id,
            new_status.as_str(),
            until,
            acting.user.id,
            reason.as_deref(),
            acting.now,
        )
        .await?;
        record(
            conn,
            acting,
            deal.id,
            Happened {
                kind: new_status.as_str(),
                stage: None,
                value: None,
                note: reason.as_deref(),
                details: serde_json::json!({
                    "status": new_status.as_str(), "reason": reason,
                    "protected_until": until.map(format::datetime),
                }),
            },
        )
        .await?;
        let names = DealNames::load(conn, &deal, acting.base_url).await?;
        let about = names.for_partner(&deal);
        let content = match until {
            Some(until) => deal_emails::registration_approved(&about, &format::date(until)),
            None => deal_emails::registration_rejected(&about, reason.as_deref().unwrap_or_default()),
        };
        names.tell_partner(conn, &content).await?;
        Ok(())
    })
    .await
}
