//! The commission terms a tier move writes, shared by the moves and the impact preview.

use crate::api::error::AppError;
use crate::backend::repos::{terms, tiers};
use crate::domain::tiers::{Ladder, TermsMove};
use diesel_async::AsyncPgConnection;
use serde_json::{json, Value};
use time::OffsetDateTime;

/// The terms (plan, overrides) a move of the partner to place `to` puts in force from `now`, or
/// `None` when its terms stay as they are (`Ladder::terms_for_move` decides).
pub async fn for_move(
    conn: &AsyncPgConnection,
    ladder: &Ladder,
    program_id: i64,
    partner_id: i64,
    to: Option<usize>,
    default_plan: Option<i64>,
    now: OffsetDateTime,
) -> Result<Option<(i64, Value)>, AppError> {
    let in_force = terms::in_force(conn, program_id, partner_id, now).await?;
    let by_tier = match &in_force {
        Some(t) => tiers::written_by_tier(conn, t.id).await?,
        None => false,
    };
    let target = match ladder.terms_for_move(to, in_force.as_ref().map(|t| (t.plan_id, by_tier))) {
        TermsMove::Keep => None,
        TermsMove::Pay(plan) => Some((plan, json!({}))),
        TermsMove::RestoreOwn => tiers::own_terms(conn, program_id, partner_id, now)
            .await?
            .or(default_plan.map(|plan| (plan, json!({})))),
    };
    // Nothing to write when the target is what is in force already.
    Ok(target.filter(|(plan, overrides)| {
        !in_force
            .as_ref()
            .is_some_and(|t| t.plan_id == *plan && t.overrides == *overrides)
    }))
}
