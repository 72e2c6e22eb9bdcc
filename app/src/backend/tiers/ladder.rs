//! Saving a program's ladder, and the impact preview that comes before it: who would move up or
//! down if the evaluation ran today, and what their commission over the window would have been
//! under the plan of the tier they move to.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::commissions::accrue::effective_plan;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::tiers::{self, NewChange};
use crate::backend::repos::{partners, plans, programs};
use crate::backend::schema::commissions;
use crate::domain::commission::{compute, Inputs};
use crate::domain::tiers::{decide, parse, Decision, Fields, Ladder, Standing};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::{Duration, OffsetDateTime};

/// The ladder the form describes, checked against the program's plans.
pub async fn read_form(conn: &mut AsyncPgConnection, program_id: i64, fields: &Fields) -> Result<Ladder, AppError> {
    let program = programs::get(conn, program_id).await?;
    let plan_ids: Vec<i64> = plans::list(conn, program_id).await?.iter().map(|p| p.id).collect();
    parse(fields, &program.currency, &plan_ids).map_err(AppError::Invalid)
}

/// The renames a new ladder makes: tiers at the same rank under a new name keep their members.
fn renames<'a>(old: &'a Ladder, new: &'a Ladder) -> Vec<(&'a str, &'a str)> {
    old.tiers
        .iter()
        .zip(&new.tiers)
        // A rename: the old name is gone and the new one is new (removing a middle tier shifts
        // the ranks, which is not a rename).
        .filter(|(o, n)| new.position(&o.name).is_none() && old.position(&n.name).is_none())
        .map(|(o, n)| (o.name.as_str(), n.name.as_str()))
        .collect()
}

/// Saves the ladder (whole), moves the members of renamed tiers with them, and audits it. The
/// next evaluation (daily, or "run now") moves partners by the new criteria.
pub async fn save(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    program_id: i64,
    fields: &Fields,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<Ladder, AppError> {
    let ladder = read_form(conn, program_id, fields).await?;
    if ladder.tiers.is_empty() {
        return Err(AppError::field("t0_name", "Name at least one tier."));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        programs::lock(conn, program_id).await?;
        let before = tiers::ladder(conn, program_id).await?;
        tiers::replace(conn, program_id, &ladder).await?;
        for (from, to) in renames(&before, &ladder) {
            let reason = format!("The tier {from} was renamed {to}.");
            for partner_id in tiers::rename_members(conn, program_id, from, to).await? {
                let change = NewChange {
                    program_id,
                    partner_id,
                    kind: "renamed",
                    from_tier: Some(from),
                    to_tier: Some(to),
                    reason: &reason,
                    actor_id: Some(operator.id),
                    terms_id: None,
                };
                tiers::record(conn, change, now).await?;
            }
        }
        audit::record(
            conn,
            NewEvent {
                actor: &operator.actor(),
                action: "tiers.save",
                subject_type: "program",
                subject_id: program_id.to_string(),
                before: (!before.tiers.is_empty()).then(|| serde_json::json!(before)),
                after: Some(serde_json::json!(ladder)),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(ladder.clone())
    })
    .await
}

/// One partner the new ladder would move.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mover {
    pub partner_id: i64,
    pub partner_name: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub up: bool,
    /// For a move down: when it would happen (after the grace period).
    pub demoted_on: Option<OffsetDateTime>,
    /// Commission earned over the window, and what the new tier's plan would have paid for the
    /// same conversions (equal when the plan stays).
    pub earned: Decimal,
    pub under_new_plan: Decimal,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impact {
    pub evaluated: u32,
    pub up: u32,
    pub down: u32,
    pub movers: Vec<Mover>,
    pub difference: Decimal,
    pub currency: String,
    pub window_days: i32,
}

/// How many movers the preview lists (the counts and the total cover them all).
const LISTED: usize = 200;

/// What the ladder in `fields` would do if saved and evaluated now.
pub async fn preview(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    fields: &Fields,
    now: OffsetDateTime,
) -> Result<Impact, AppError> {
    let ladder = read_form(conn, program_id, fields).await?;
    let program = programs::get(conn, program_id).await?;
    let before = tiers::ladder(conn, program_id).await?;
    let renamed: HashMap<&str, &str> = renames(&before, &ladder).into_iter().collect();
    let default_plan = plans::default_plan_id(conn, program_id).await?;
    let members = tiers::figures(conn, program_id, None, ladder.window_days, now).await?;
    let since = now - Duration::days(ladder.window_days.into());
    let mut impact = Impact {
        evaluated: members.len() as u32,
        currency: program.currency.clone(),
        window_days: ladder.window_days,
        ..Impact::default()
    };
    let mut plans_cache = HashMap::new();
    for member in &members {
        let mut standing: Standing = member.standing();
        standing.tier = standing
            .tier
            .map(|t| renamed.get(t.as_str()).map_or(t.clone(), |n| n.to_string()));
        // A new shortfall would start a grace period; one already running is left out (the
        // partner keeps the tier until it ends).
        let (to, demoted_on) = match decide(&ladder, &standing, &member.measures(), now) {
            Decision::Promote { to } => (Some(to), None),
            Decision::Place { to } | Decision::Demote { to } => (to, Some(now)),
            Decision::Warn { to, due } => (to, Some(due)),
            Decision::Stay | Decision::Recover => continue,
        };
        let from_place = standing.tier.as_deref().and_then(|t| ladder.position(t));
        let up = to > from_place;
        if up {
            impact.up += 1;
        } else {
            impact.down += 1;
        }
        let new_plan =
            super::terms::for_move(conn, &ladder, program_id, member.partner_id, to, default_plan, now).await?;
        let (earned, under_new_plan) =
            what_if(conn, program_id, member.partner_id, new_plan, since, &mut plans_cache).await?;
        impact.difference += under_new_plan - earned;
        if impact.movers.len() < LISTED {
            impact.movers.push(Mover {
                partner_id: member.partner_id,
                partner_name: partners::get(conn, member.partner_id).await?.name,
                from: standing.tier.clone(),
                to: to.map(|p| ladder.tiers[p].name.clone()),
                up,
                demoted_on: (!up).then_some(demoted_on).flatten(),
                earned,
                under_new_plan,
            });
        }
    }
    Ok(impact)
}

/// The partner's commission on conversions over the window, and what `terms` (plan, overrides)
/// would have paid for them with the same recorded inputs (the same figure when the terms stay).
async fn what_if(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    terms: Option<(i64, serde_json::Value)>,
    since: OffsetDateTime,
    cache: &mut HashMap<String, crate::domain::commission::Plan>,
) -> Result<(Decimal, Decimal), AppError> {
    let entries: Vec<(Decimal, Option<serde_json::Value>)> = commissions::table
        .filter(commissions::program_id.eq(program_id))
        .filter(commissions::partner_id.eq(partner_id))
        .filter(commissions::kind.eq("commission"))
        .filter(commissions::created_at.gt(since))
        .select((commissions::amount, commissions::inputs))
        .load(conn)
        .await?;
    let earned: Decimal = entries.iter().map(|(amount, _)| *amount).sum();
    let Some((plan_id, overrides)) = terms else {
        return Ok((earned, earned));
    };
    let plan = match cache.entry(format!("{plan_id}:{overrides}")) {
        std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
        std::collections::hash_map::Entry::Vacant(slot) => {
            let row = plans::get(conn, program_id, plan_id)
                .await?
                .ok_or_else(|| AppError::field("plan_id", "Choose one of this program's plans."))?;
            slot.insert(effective_plan(&row.definition, &overrides)?)
        }
    };
    let mut under = Decimal::ZERO;
    for (amount, inputs) in &entries {
        under += match inputs
            .as_ref()
            .and_then(|v| serde_json::from_value::<Inputs>(v.clone()).ok())
        {
            Some(inputs) => compute(plan, &inputs).amount,
            None => *amount,
        };
    }
    Ok((earned, under))
}

#[cfg(test)]
mod tests {
    use super::renames;
    use crate::domain::tiers::{Criteria, Ladder, Tier};

    fn ladder(names: &[&str]) -> Ladder {
        let tiers = names
            .iter()
            .map(|n| Tier {
                name: (*n).into(),
                criteria: Criteria::default(),
                plan_id: None,
                protection_days: None,
                mdf_share: None,
            })
            .collect();
        Ladder {
            window_days: 90,
            grace_days: 30,
            tiers,
        }
    }

    #[test]
    fn a_rename_keeps_members_but_a_removed_middle_tier_is_not_a_rename() {
        let old = ladder(&["Registered", "Silver", "Gold"]);
        assert_eq!(
            renames(&old, &ladder(&["Registered", "Silver", "Platinum"])),
            [("Gold", "Platinum")]
        );
        assert!(
            renames(&old, &ladder(&["Registered", "Gold"])).is_empty(),
            "Silver's members are placed, not made Gold"
        );
    }
}
