//! A partner asks for more protection; an operator approves (moving the end of protection) or
//! denies it. One request waits at a time per deal.

use super::notify::{tell_approvers, DealNames};
use super::{lock, record, status, Acting, Happened};
use crate::api::error::AppError;
use crate::backend::repos::{deal_catalogue, deal_history, deals};
use crate::backend::scope::{Scope, Whose};
use crate::domain::deals::emails as deal_emails;
use crate::domain::deals::lifecycle;
use crate::domain::{format, validate};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::Duration;

pub async fn request(
    conn: &mut AsyncPgConnection,
    acting: &Acting<'_>,
    partner_id: i64,
    deal_id: i64,
    days: &str,
    reason: &str,
) -> Result<(), AppError> {
    let reason = validate::required_text(reason, "Reason", 1000).map_err(|e| AppError::field("reason", e))?;
    let days: i32 = days
        .trim()
        .parse()
        .map_err(|_| AppError::field("days", "Enter a number of days, like 30."))?;
    conn.transaction(async |conn| {
        let deal = lock(conn, deal_id, Whose::Partner(partner_id)).await?;
        let max_days = deal_catalogue::protection_days(conn, deal.program_id, partner_id).await?;
        lifecycle::check_extension_request(status(&deal), deal.protected_until, days, max_days, acting.now)
            .map_err(|e| AppError::field("days", e))?;
        if deal_history::request_extension(conn, deal.id, days, &reason, acting.user.id, acting.now)
            .await?
            .is_none()
        {
            return Err(AppError::Conflict(
                "You already asked for an extension of this deal; wait for the decision.".into(),
            ));
        }
        record(
            conn,
            acting,
            deal.id,
            Happened {
                kind: "extension_requested",
                stage: None,
                value: None,
                note: Some(&reason),
                details: serde_json::json!({"days": days, "reason": reason}),
            },
        )
        .await?;
        let names = DealNames::load(conn, &deal, acting.base_url).await?;
        let about = names.for_operators(&deal);
        tell_approvers(conn, &deal, |name| {
            deal_emails::extension_requested(&about, name, days, &reason)
        })
        .await?;
        Ok(())
    })
    .await
}

/// Decides the waiting extension of a deal in the operator's `scope`.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    acting: &Acting<'_>,
    scope: &Scope,
    deal_id: i64,
    approve: bool,
    reason: &str,
) -> Result<(), AppError> {
    let reason = validate::optional_text(reason, "Reason", 1000).map_err(|e| AppError::field("reason", e))?;
    if !approve && reason.is_none() {
        return Err(AppError::field(
            "reason",
            "Give the partner a reason for denying the extension.",
        ));
    }
    conn.transaction(async |conn| {
        let deal = lock(conn, deal_id, Whose::Operator(scope)).await?;
        let Some(extension) = deal_history::lock_pending_extension(conn, deal.id).await? else {
            return Err(AppError::Conflict(
                "This deal has no extension request waiting; someone may have decided it already.".into(),
            ));
        };
        let mut until = deal.protected_until;
        if approve {
            if !lifecycle::is_protected(status(&deal), deal.protected_until, acting.now) {
                return Err(AppError::Conflict(
                    "This deal is no longer protected (it closed or expired), so it can't be extended. Deny the request instead.".into(),
                ));
            }
            let extended = deal.protected_until.unwrap_or(acting.now) + Duration::days(extension.days.into());
            deals::extend_protection(conn, deal.id, extended).await?;
            until = Some(extended);
        }
        deal_history::decide_extension(conn, extension.id, approve, acting.user.id, reason.as_deref(), acting.now)
            .await?;
        let kind = if approve { "extension_approved" } else { "extension_denied" };
        record(
            conn,
            acting,
            deal.id,
            Happened {
                kind,
                stage: None,
                value: None,
                note: reason.as_deref(),
                details: serde_json::json!({
                    "days": extension.days, "reason": reason, "protected_until": until.map(format::datetime),
                }),
            },
        )
        .await?;
        let names = DealNames::load(conn, &deal, acting.base_url).await?;
        let until_text = until.map(format::date).unwrap_or_default();
        let content = deal_emails::extension_decided(
            &names.for_partner(&deal),
            approve,
            &until_text,
            reason.as_deref().unwrap_or_default(),
        );
        names.tell_partner(conn, &content).await?;
        Ok(())
    })
    .await
}
