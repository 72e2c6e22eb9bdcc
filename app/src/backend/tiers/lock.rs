//! An operator's lock on a partner's tier: optionally moving it first, with a reason; the
//! evaluation then leaves it alone until it is unlocked.

use super::moves::{Move, Mover};
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::tiers;
use crate::domain::validate::required_text;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

/// What the lock form asks.
pub struct LockRequest<'a> {
    pub program_id: i64,
    pub partner_id: i64,
    /// The tier to hold (its name), or empty to hold the current one.
    pub tier: &'a str,
    pub reason: &'a str,
}

/// Locks the tier (moving the partner to `request.tier` first if it differs).
pub async fn lock(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    request: &LockRequest<'_>,
    meta: &RequestMeta,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<String, AppError> {
    let reason = required_text(request.reason, "The reason", 500).map_err(|m| AppError::field("reason", m))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let mover = Mover::load(
            conn,
            request.program_id,
            Some(operator),
            meta.request_id.as_deref(),
            base_url,
            now,
        )
        .await?;
        let ladder = &mover.ladder;
        if ladder.tiers.is_empty() {
            return Err(AppError::Conflict(
                "This program has no tiers yet: define them on the program's Tiers tab first.".into(),
            ));
        }
        let state = tiers::state(conn, request.program_id, request.partner_id)
            .await?
            .ok_or_else(|| AppError::NotFound("That partner is not in this program.".into()))?;
        let target = match request.tier.trim() {
            "" => match state.tier.as_deref().and_then(|t| ladder.position(t)) {
                Some(place) => Some(place),
                None => {
                    return Err(AppError::field(
                        "tier",
                        "This partner holds no tier of the ladder: choose the tier to hold.",
                    ))
                }
            },
            name => Some(
                ladder
                    .position(name)
                    .ok_or_else(|| AppError::field("tier", "Choose one of the program's tiers."))?,
            ),
        };
        let from = state.tier.as_deref();
        let to_name = target.map(|p| ladder.tiers[p].name.as_str());
        let moves = from.map(str::to_lowercase) != to_name.map(str::to_lowercase);
        // The history's reason holds at most 500 characters; the lock keeps the reason whole.
        let why: String = format!("Locked by {}: {reason}", operator.display_name)
            .chars()
            .take(500)
            .collect();
        if moves {
            let mv = Move {
                partner_id: request.partner_id,
                from,
                to: target,
                kind: "locked",
                reason: &why,
                email: true,
            };
            mover.apply(conn, &mv).await?;
        } else {
            mover
                .record(conn, request.partner_id, "locked", from, to_name, &why)
                .await?;
        }
        tiers::set_lock(
            conn,
            request.program_id,
            request.partner_id,
            Some((&reason, operator.id)),
            now,
        )
        .await?;
        Ok(format!("Tier locked at {}.", to_name.unwrap_or("no tier")))
    })
    .await
}

/// Unlocks the tier: the next evaluation places the partner by the criteria again.
pub async fn unlock(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    program_id: i64,
    partner_id: i64,
    meta: &RequestMeta,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<String, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let mover = Mover::load(
            conn,
            program_id,
            Some(operator),
            meta.request_id.as_deref(),
            base_url,
            now,
        )
        .await?;
        let state = tiers::state(conn, program_id, partner_id)
            .await?
            .ok_or_else(|| AppError::NotFound("That partner is not in this program.".into()))?;
        if state.locked_at.is_none() {
            return Err(AppError::Conflict("This partner's tier is not locked.".into()));
        }
        let tier = state.tier.as_deref();
        let why = format!(
            "Unlocked by {}; the evaluation places the tier again.",
            operator.display_name
        );
        mover.record(conn, partner_id, "unlocked", tier, tier, &why).await?;
        tiers::set_lock(conn, program_id, partner_id, None, now).await?;
        Ok("Tier unlocked: the next evaluation places it by the criteria.".into())
    })
    .await
}
