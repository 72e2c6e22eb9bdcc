//! Tiers: a program's ladder with its members and history, the impact preview and the save
//! (console, Tiers tab); the evaluation run on demand; a partner's tier, progress, history and
//! lock (console partner page); and each program's progress to the next tier (portal).

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierRowDto {
    pub name: String,
    pub criteria: Vec<String>,
    pub benefits: Vec<String>,
    pub members: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierChangeDto {
    pub partner_id: i64,
    pub partner_name: String,
    pub what: String,
    pub reason: String,
    /// The operator, or "Evaluation".
    pub by: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramTiersDto {
    pub program_id: i64,
    pub program_name: String,
    pub currency: String,
    pub can_manage: bool,
    pub tiers: Vec<TierRowDto>,
    pub window_days: i32,
    pub grace_days: i32,
    /// Active members on no tier of the ladder (not yet evaluated, or below the entry tier).
    pub unplaced: i64,
    pub evaluated_at: Option<String>,
    /// The program's plans, for the tier benefit picker.
    pub plans: Vec<(i64, String)>,
    /// The ladder in force as form fields, to start editing from.
    pub fields: Vec<(String, String)>,
    pub changes: Vec<TierChangeDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoverDto {
    pub partner_id: i64,
    pub partner_name: String,
    pub from: String,
    pub to: String,
    pub up: bool,
    pub when: String,
    pub earned: String,
    pub under_new_plan: String,
    pub difference: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImpactDto {
    pub evaluated: u32,
    pub up: u32,
    pub down: u32,
    pub window_days: i32,
    /// The commission difference over the window, summed over every mover.
    pub difference: String,
    pub movers: Vec<MoverDto>,
    /// More movers than listed.
    pub more: u32,
}

#[cfg(feature = "ssr")]
fn what_happened(kind: &str, from: Option<&str>, to: Option<&str>) -> String {
    let (from, to) = (from.unwrap_or("no tier"), to.unwrap_or("no tier"));
    match kind {
        "promoted" => format!("Promoted from {from} to {to}"),
        "demoted" => format!("Demoted from {from} to {to}"),
        "warned" => format!("Warned: {from} may drop to {to}"),
        "recovered" => format!("Kept {from}"),
        "locked" => format!("Locked at {to}"),
        "unlocked" => format!("Unlocked at {to}"),
        "renamed" => format!("{from} renamed {to}"),
        other => other.to_owned(),
    }
}

#[cfg(feature = "ssr")]
fn change_dto(row: crate::backend::repos::tiers::ChangeRow) -> TierChangeDto {
    TierChangeDto {
        partner_id: row.partner_id,
        what: what_happened(&row.kind, row.from_tier.as_deref(), row.to_tier.as_deref()),
        partner_name: row.partner_name,
        reason: row.reason,
        by: row.actor.unwrap_or_else(|| "Evaluation".into()),
        at: crate::domain::format::datetime(row.created_at),
    }
}

#[server(input = GetUrl)]
pub async fn program_tiers(program_id: i64) -> Result<ProgramTiersDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{plans, tiers};
    use crate::domain::access::Permission;
    let operator = ctx::require_program_operator(program_id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, program_id).await?;
    let ladder = tiers::ladder(&mut conn, program_id).await?;
    let plans = plans::list(&mut conn, program_id).await?;
    let counts = tiers::member_counts(&mut conn, program_id).await?;
    let count_of = |name: &str| {
        counts
            .iter()
            .find(|(t, _)| t.as_deref() == Some(name))
            .map_or(0, |(_, n)| *n)
    };
    let placed: i64 = ladder.tiers.iter().map(|t| count_of(&t.name)).sum();
    let plan_name = |id: i64| {
        plans
            .iter()
            .find(|p| p.id == id)
            .map_or("?".to_owned(), |p| p.name.clone())
    };
    let tiers_dto = ladder
        .tiers
        .iter()
        .map(|t| {
            let mut benefits = vec![match t.plan_id {
                Some(id) => format!("Pays the {} plan", plan_name(id)),
                None => "Keeps the partner's own terms".to_owned(),
            }];
            if let Some(days) = t.protection_days {
                benefits.push(format!("Deals protected {days} days"));
            }
            if let Some(share) = t.mdf_share {
                benefits.push(format!(
                    "Splits {}% of each MDF allocation by tier shares",
                    share.normalize()
                ));
            }
            benefits.push(format!("Sees content and creatives gated to {}", t.name));
            TierRowDto {
                name: t.name.clone(),
                criteria: t.describe(ladder.window_days, &program.currency),
                benefits,
                members: count_of(&t.name),
            }
        })
        .collect();
    Ok(ProgramTiersDto {
        program_id,
        program_name: program.name.clone(),
        currency: program.currency.clone(),
        can_manage: operator.role.can(Permission::ManagePrograms),
        tiers: tiers_dto,
        window_days: ladder.window_days,
        grace_days: ladder.grace_days,
        unplaced: counts.iter().map(|(_, n)| n).sum::<i64>() - placed,
        evaluated_at: tiers::evaluated_at(&mut conn, program_id)
            .await?
            .map(crate::domain::format::datetime),
        plans: plans.iter().map(|p| (p.id, p.name.clone())).collect(),
        fields: crate::domain::tiers::fields_of(&ladder).into_iter().collect(),
        changes: tiers::changes(&mut conn, program_id, None, 30)
            .await?
            .into_iter()
            .map(change_dto)
            .collect(),
    })
}

/// What the ladder in the form would do today. `fields` is the form as JSON (it travels in the
/// preview page's address).
#[server(input = GetUrl)]
pub async fn preview_tiers(program_id: i64, fields: String) -> Result<ImpactDto, AppError> {
    use crate::backend::{ctx, tiers};
    use crate::domain::money::format;
    ctx::require_program_operator(program_id).await?;
    let fields: HashMap<String, String> = serde_json::from_str(&fields)
        .map_err(|_| AppError::Request("The preview's fields are not readable.".into()))?;
    let mut conn = ctx::db().await?;
    let impact = tiers::ladder::preview(&mut conn, program_id, &fields, ctx::now()).await?;
    let c = impact.currency.as_str();
    let listed = impact.movers.len() as u32;
    Ok(ImpactDto {
        evaluated: impact.evaluated,
        up: impact.up,
        down: impact.down,
        window_days: impact.window_days,
        difference: format(impact.difference, c),
        more: (impact.up + impact.down).saturating_sub(listed),
        movers: impact
            .movers
            .into_iter()
            .map(|m| MoverDto {
                partner_id: m.partner_id,
                partner_name: m.partner_name,
                from: m.from.unwrap_or_else(|| "No tier".into()),
                to: m.to.unwrap_or_else(|| "No tier".into()),
                up: m.up,
                when: match m.demoted_on {
                    None => "Now".into(),
                    Some(at) => format!("After the grace period, {}", crate::domain::format::date(at)),
                },
                earned: format(m.earned, c),
                under_new_plan: format(m.under_new_plan, c),
                difference: format(m.under_new_plan - m.earned, c),
            })
            .collect(),
    })
}

/// Saves the ladder from the form (inputs named `fields[t0_name]` and so on) and goes back to the
/// Tiers tab.
#[server]
pub async fn save_tiers(
    csrf_token: String,
    program_id: i64,
    #[server(default)] fields: HashMap<String, String>,
) -> Result<String, AppError> {
    use crate::backend::{ctx, tiers};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let mut conn = ctx::db().await?;
    let ladder = tiers::ladder::save(
        &mut conn,
        &operator.user,
        program_id,
        &fields,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    let message = format!(
        "Saved {} tiers. The next evaluation (daily, or Run the evaluation now) moves partners by them.",
        ladder.tiers.len()
    );
    super::flash::after_plain_post(message.clone()).await?;
    leptos_axum::redirect(&format!("/console/programs/{program_id}/tiers"));
    Ok(message)
}

/// Runs the program's tier evaluation now.
#[server]
pub async fn run_tier_evaluation(csrf_token: String, program_id: i64) -> Result<String, AppError> {
    use crate::backend::{ctx, tiers};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let (meta, state) = (ctx::request_meta(), ctx::state()?);
    let mut conn = ctx::db().await?;
    let summary = tiers::evaluate::evaluate_program(
        &mut conn,
        program_id,
        Some(&operator.user),
        meta.request_id.as_deref(),
        &state.settings.base_url,
        ctx::now(),
    )
    .await?;
    let message = summary.describe();
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

/// A partner's tier on the console partner page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartnerTierDto {
    /// The program has a ladder (otherwise the tier is set by hand).
    pub has_ladder: bool,
    pub tier: Option<String>,
    pub since: Option<String>,
    pub locked_reason: Option<String>,
    pub demotion_due: Option<String>,
    pub tiers: Vec<String>,
    pub progress: crate::domain::tiers::Progress,
    pub history: Vec<TierChangeDto>,
}

#[cfg(feature = "ssr")]
pub(crate) async fn tier_view(
    conn: &mut diesel_async::AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    currency: &str,
    now: time::OffsetDateTime,
) -> Result<PartnerTierDto, AppError> {
    use crate::backend::repos::tiers;
    use crate::domain::format::{date, datetime};
    let state = tiers::state(conn, program_id, partner_id)
        .await?
        .ok_or_else(|| AppError::NotFound("That partner is not in this program.".into()))?;
    let ladder = tiers::ladder(conn, program_id).await?;
    let figures = tiers::figures(conn, program_id, Some(partner_id), ladder.window_days, now).await?;
    let measures = figures.first().map(|f| f.measures()).unwrap_or_default();
    let held = state.tier.as_deref().and_then(|t| ladder.position(t));
    Ok(PartnerTierDto {
        has_ladder: !ladder.tiers.is_empty(),
        progress: crate::domain::tiers::progress(&ladder, held, state.demotion_due_at.is_some(), &measures, currency),
        tier: state.tier,
        since: state.since.map(date),
        locked_reason: state.locked_reason,
        demotion_due: state.demotion_due_at.map(datetime),
        tiers: ladder.tiers.iter().map(|t| t.name.clone()).collect(),
        history: tiers::changes(conn, program_id, Some(partner_id), 20)
            .await?
            .into_iter()
            .map(change_dto)
            .collect(),
    })
}

#[server(input = GetUrl)]
pub async fn partner_tier_view(program_id: i64, partner_id: i64) -> Result<PartnerTierDto, AppError> {
    use crate::backend::ctx;
    let operator = ctx::require_program_operator(program_id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, program_id).await?;
    tier_view(&mut conn, program_id, partner_id, &program.currency, ctx::now()).await
}

#[server]
pub async fn lock_tier(
    csrf_token: String,
    program_id: i64,
    partner_id: i64,
    #[server(default)] tier: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    use crate::backend::ctx;
    use crate::backend::tiers::lock::{lock, LockRequest};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let state = ctx::state()?;
    let request = LockRequest {
        program_id,
        partner_id,
        tier: &tier,
        reason: &reason,
    };
    let mut conn = ctx::db().await?;
    let message = lock(
        &mut conn,
        &operator.user,
        &request,
        &ctx::request_meta(),
        &state.settings.base_url,
        ctx::now(),
    )
    .await
    .map_err(|e| super::terms::support::keep_typed(e, &[("tier", &tier), ("reason", &reason)]))?;
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

#[server]
pub async fn unlock_tier(csrf_token: String, program_id: i64, partner_id: i64) -> Result<String, AppError> {
    use crate::backend::ctx;
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let state = ctx::state()?;
    let mut conn = ctx::db().await?;
    let message = crate::backend::tiers::lock::unlock(
        &mut conn,
        &operator.user,
        program_id,
        partner_id,
        &ctx::request_meta(),
        &state.settings.base_url,
        ctx::now(),
    )
    .await?;
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

/// The partner's tier and progress in each of its programs that has a ladder (portal dashboard).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyTierDto {
    pub program_name: String,
    pub tier: Option<String>,
    pub locked: bool,
    pub demotion_due: Option<String>,
    pub progress: crate::domain::tiers::Progress,
}

#[server(input = GetUrl)]
pub async fn my_tiers() -> Result<Vec<MyTierDto>, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::memberships;
    let me = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let mut out = Vec::new();
    for (membership, program_name, _, currency) in
        memberships::list_for_partner(&mut conn, me.partner_id, me.brand).await?
    {
        if membership.status != "active" {
            continue;
        }
        let view = tier_view(&mut conn, membership.program_id, me.partner_id, &currency, ctx::now()).await?;
        if view.has_ladder {
            out.push(MyTierDto {
                program_name,
                locked: view.locked_reason.is_some(),
                tier: view.tier,
                demotion_due: view.demotion_due,
                progress: view.progress,
            });
        }
    }
    Ok(out)
}
