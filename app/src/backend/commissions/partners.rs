//! Operator changes to a partner's standing in a program that the engine reads: the fraud flag
//! (flagged partners' commissions go on hold) and the master a sub-partner reports to.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::{memberships, sub_partners};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

#[allow(clippy::too_many_arguments)]
async fn audit_change(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    action: &str,
    program_id: i64,
    partner_id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    audit::record(
        conn,
        NewEvent {
            actor: &operator.actor(),
            action,
            subject_type: "membership",
            subject_id: format!("{program_id}:{partner_id}"),
            before: Some(before),
            after: Some(after),
            request_id: meta.request_id.as_deref(),
        },
    )
    .await?;
    Ok(())
}

/// Flags (with a reason) or clears the flag (`None`).
pub async fn set_flag(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    program_id: i64,
    partner_id: i64,
    reason: Option<&str>,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return Err(AppError::field("reason", "Keep the reason under 500 characters."));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let before = memberships::flag(conn, program_id, partner_id).await?;
        if !memberships::set_flag(conn, program_id, partner_id, reason).await? {
            return Err(AppError::NotFound("That partner is not in this program.".into()));
        }
        let action = if reason.is_some() {
            "membership.flag"
        } else {
            "membership.unflag"
        };
        let before = serde_json::json!({ "flagged": before });
        let after = serde_json::json!({ "flagged": reason });
        audit_change(conn, operator, action, program_id, partner_id, before, after, meta).await
    })
    .await
}

/// Makes `master_id` the partner's master, or removes its master (`None`). Refuses a master
/// outside the program and any link that would make a cycle.
#[allow(clippy::too_many_arguments)]
pub async fn set_master(
    conn: &mut AsyncPgConnection,
    operator: Option<&AuthUser>,
    program_id: i64,
    partner_id: i64,
    master_id: Option<i64>,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        sub_partners::lock_program(conn, program_id).await?;
        let members = memberships::active_partner_ids(conn, program_id).await?;
        if !members.contains(&partner_id) {
            return Err(AppError::NotFound("That partner is not active in this program.".into()));
        }
        let before = sub_partners::master_of(conn, program_id, partner_id).await?;
        match master_id {
            Some(master) if !members.contains(&master) => {
                return Err(AppError::field(
                    "master_id",
                    "The master must be an active partner of this program.",
                ))
            }
            Some(master) if sub_partners::is_below(conn, program_id, partner_id, master).await? => {
                return Err(AppError::field(
                    "master_id",
                    "That would make a loop: the chosen master is this partner or one of its sub-partners.",
                ))
            }
            Some(master) => {
                sub_partners::set_master(conn, program_id, partner_id, master, operator.map(|o| o.id), now).await?
            }
            None => {
                sub_partners::remove_master(conn, program_id, partner_id).await?;
            }
        }
        if let Some(operator) = operator {
            let before = serde_json::json!({ "master_id": before.map(|(id, _)| id) });
            let after = serde_json::json!({ "master_id": master_id });
            audit_change(
                conn,
                operator,
                "membership.master",
                program_id,
                partner_id,
                before,
                after,
                meta,
            )
            .await?;
        }
        Ok(())
    })
    .await
}
