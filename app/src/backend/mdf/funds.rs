//! Setting funds up: a new fund for a program's period, allocations (to one partner, to every
//! partner of a tier, or a percent of each partner's revenue in the previous period, each
//! stored per partner with its inputs), and the operator-set tier those allocations read.

use super::{notify, record, Act};
use crate::api::error::AppError;
use crate::backend::repos::mdf_funds::{self, FundRow, NewAllocation, NewFund};
use crate::backend::repos::{audit, memberships, programs, segments};
use crate::domain::mdf::fund::{self, previous_period, Target, ValidFund};
use crate::domain::mdf::{date_text, emails};
use crate::domain::money;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rust_decimal::Decimal;

pub const FUND_MISSING: &str = "That fund doesn't exist in this program.";

pub async fn create(
    conn: &mut AsyncPgConnection,
    act: &Act<'_>,
    program_id: i64,
    valid: &ValidFund,
) -> Result<FundRow, AppError> {
    let program = programs::get(conn, program_id)
        .await
        .map_err(|e| crate::backend::errors::not_found_as(e, "That program doesn't exist."))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let fund = mdf_funds::insert_fund(
            conn,
            &NewFund {
                program_id,
                name: valid.name.clone(),
                period_start: valid.period_start,
                period_end: valid.period_end,
                claim_days: valid.claim_days,
                currency: program.currency.clone(),
                created_by: act.user_id(),
                created_at: act.now,
            },
        )
        .await
        .map_err(|e| match e {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => AppError::field(
                "name",
                format!("{} already has a fund called \"{}\".", program.name, valid.name),
            ),
            other => other.into(),
        })?;
        audit::record_with_ip(
            conn,
            audit::NewEvent {
                actor: &act.actor(),
                action: "mdf.fund.create",
                subject_type: "mdf_fund",
                subject_id: fund.id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "program_id": program_id, "name": fund.name, "currency": fund.currency,
                    "period_start": fund.period_start.to_string(), "period_end": fund.period_end.to_string(),
                    "claim_days": fund.claim_days,
                })),
                request_id: act.meta.request_id.as_deref(),
            },
            &act.meta.ip,
        )
        .await?;
        Ok(fund)
    })
    .await
}

/// An allocation of `pool` by the program's tier shares: each tier with an MDF share gives its
/// part of the pool to its active partners, evenly. Refused when no tier has a share, or no
/// partner holds one that does.
async fn by_tier_shares(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    pool: Decimal,
    currency: &str,
    base: &NewAllocation,
) -> Result<Vec<NewAllocation>, AppError> {
    let ladder = crate::backend::repos::tiers::ladder(conn, program_id).await?;
    let sharing: Vec<_> = ladder
        .tiers
        .iter()
        .filter_map(|t| t.mdf_share.map(|share| (t.name.clone(), share)))
        .collect();
    if sharing.is_empty() {
        return Err(AppError::field(
            "target",
            "No tier of this program has an MDF share. Give tiers their shares under Tiers first.",
        ));
    }
    let mut list = Vec::new();
    for (tier, share) in sharing {
        let members = mdf_funds::tier_members(conn, program_id, &tier).await?;
        let part = fund::tier_share_part(pool, share, members.len(), currency);
        if part <= Decimal::ZERO {
            continue;
        }
        let split_among = i32::try_from(members.len()).unwrap_or(i32::MAX);
        list.extend(members.into_iter().map(|partner_id| NewAllocation {
            partner_id,
            amount: part,
            source: "tier_share".into(),
            tier: Some(tier.clone()),
            tier_share: Some(share),
            pool: Some(pool),
            split_among: Some(split_among),
            ..base.clone()
        }));
    }
    if list.is_empty() {
        return Err(AppError::field(
            "amount",
            "No active partner holds a tier with an MDF share (or the amount is too small to split), so nothing was allocated.",
        ));
    }
    Ok(list)
}

/// The fund, if it belongs to the program and is still open for allocations and requests.
pub async fn open_fund(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    fund_id: i64,
    today: time::Date,
) -> Result<FundRow, AppError> {
    let fund = mdf_funds::get_fund(conn, fund_id)
        .await?
        .filter(|f| f.program_id == program_id)
        .ok_or_else(|| AppError::field("fund_id", FUND_MISSING))?;
    if fund.expired_at.is_some() || today > fund.period_end {
        return Err(AppError::field(
            "fund_id",
            format!(
                "The period of \"{}\" ended on {}; its funds have expired.",
                fund.name,
                date_text(fund.period_end)
            ),
        ));
    }
    Ok(fund)
}

/// What an allocation did: how many partners got how much in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allocated {
    pub partners: usize,
    pub total: Decimal,
}

pub async fn allocate(
    conn: &mut AsyncPgConnection,
    act: &Act<'_>,
    program_id: i64,
    fund_id: i64,
    target: &Target,
) -> Result<Allocated, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let fund = open_fund(conn, program_id, fund_id, act.now.date()).await?;
        let base = NewAllocation {
            fund_id,
            program_id,
            partner_id: 0,
            amount: Decimal::ZERO,
            source: String::new(),
            tier: None,
            percent: None,
            revenue: None,
            revenue_from: None,
            revenue_to: None,
            segment_name: None,
            tier_share: None,
            pool: None,
            split_among: None,
            created_by: act.user_id(),
            created_at: act.now,
        };
        let allocations: Vec<NewAllocation> = match target {
            Target::Partner { partner_id, amount } => {
                let active = memberships::find(conn, *partner_id, program_id)
                    .await?
                    .is_some_and(|m| m.status == "active");
                if !active {
                    return Err(AppError::field("partner_id", "That partner isn't active in this program."));
                }
                vec![NewAllocation {
                    partner_id: *partner_id,
                    amount: *amount,
                    source: "partner".into(),
                    ..base
                }]
            }
            Target::Tier { tier, amount } => {
                let members = mdf_funds::tier_members(conn, program_id, tier).await?;
                if members.is_empty() {
                    return Err(AppError::field(
                        "tier",
                        format!("No active partner in this program has the tier \"{tier}\". Set tiers on each partner's page first."),
                    ));
                }
                members
                    .into_iter()
                    .map(|partner_id| NewAllocation {
                        partner_id,
                        amount: *amount,
                        source: "tier".into(),
                        tier: Some(tier.clone()),
                        ..base.clone()
                    })
                    .collect()
            }
            Target::Segment { segment_id, amount } => {
                let (segment, filter) = crate::backend::segments::resolve(conn, program_id, *segment_id)
                    .await
                    .map_err(|e| match e {
                        AppError::NotFound(m) => AppError::field("segment_id", m),
                        other => other,
                    })?;
                let members = segments::member_ids(conn, program_id, &filter, act.now.date()).await?;
                if members.is_empty() {
                    return Err(AppError::field(
                        "segment_id",
                        format!("The segment \"{}\" has no members today, so there is nobody to allocate to.", segment.name),
                    ));
                }
                members
                    .into_iter()
                    .map(|partner_id| NewAllocation {
                        partner_id,
                        amount: *amount,
                        source: "segment".into(),
                        segment_name: Some(segment.name.clone()),
                        ..base.clone()
                    })
                    .collect()
            }
            Target::TierShares { pool } => by_tier_shares(conn, program_id, *pool, &fund.currency, &base).await?,
            Target::Revenue { percent } => {
                let (from, to) = previous_period(fund.period_start, fund.period_end);
                let revenues = mdf_funds::revenue_by_partner(conn, program_id, from, to).await?;
                let list: Vec<NewAllocation> = revenues
                    .into_iter()
                    .map(|r| NewAllocation {
                        partner_id: r.partner_id,
                        amount: fund::accrual(r.revenue, *percent, &fund.currency),
                        source: "revenue".into(),
                        percent: Some(*percent),
                        revenue: Some(r.revenue),
                        revenue_from: Some(from),
                        revenue_to: Some(to),
                        ..base.clone()
                    })
                    .filter(|a| a.amount > Decimal::ZERO)
                    .collect();
                if list.is_empty() {
                    return Err(AppError::field(
                        "percent",
                        format!(
                            "No active partner had revenue in this program from {} to {}, so there is nothing to accrue.",
                            date_text(from),
                            date_text(to)
                        ),
                    ));
                }
                list
            }
        };
        let program = programs::get(conn, program_id).await?;
        let url = format!("{}/portal/mdf", act.base_url);
        let mut total = Decimal::ZERO;
        for allocation in &allocations {
            mdf_funds::allocate(conn, allocation).await?;
            total += allocation.amount;
            let note = match (&allocation.tier, allocation.percent, allocation.revenue) {
                _ if allocation.segment_name.is_some() => {
                    format!("every partner of the segment {}", allocation.segment_name.as_deref().unwrap_or_default())
                }
                (Some(tier), _, _) if allocation.tier_share.is_some() => fund::describe_tier_share(
                    tier,
                    allocation.tier_share.unwrap_or_default(),
                    allocation.pool.unwrap_or_default(),
                    allocation.split_among.unwrap_or_default(),
                    &fund.currency,
                ),
                (Some(tier), _, _) => format!("every partner of tier {tier}"),
                (_, Some(percent), Some(revenue)) => format!(
                    "{}% of {} revenue from {} to {}",
                    percent.normalize(),
                    money::format(revenue, &fund.currency),
                    allocation.revenue_from.map(date_text).unwrap_or_default(),
                    allocation.revenue_to.map(date_text).unwrap_or_default()
                ),
                _ => "to this partner".into(),
            };
            record(
                conn,
                act,
                fund.id,
                allocation.partner_id,
                None,
                "allocated",
                Some(allocation.amount),
                Some(&note),
                None,
            )
            .await?;
            let partner = crate::backend::repos::partners::get(conn, allocation.partner_id).await?;
            let content = emails::allocated(
                &partner.name,
                &program.name,
                &fund.name,
                &money::format(allocation.amount, &fund.currency),
                &url,
            );
            notify::to_partner(conn, allocation.partner_id, &content).await?;
        }
        Ok(Allocated {
            partners: allocations.len(),
            total,
        })
    })
    .await
}

/// Sets the partner's tier in the program (empty clears it).
pub async fn set_tier(
    conn: &mut AsyncPgConnection,
    act: &Act<'_>,
    program_id: i64,
    partner_id: i64,
    tier: &str,
) -> Result<Option<String>, AppError> {
    let tier = match tier.trim() {
        "" => None,
        text => Some(fund::tier(text).map_err(|m| AppError::field("tier", m))?),
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        if !crate::backend::repos::tiers::ladder(conn, program_id)
            .await?
            .tiers
            .is_empty()
        {
            return Err(AppError::Conflict(
                "This program's tiers move by themselves: lock the partner's tier instead.".into(),
            ));
        }
        let before = memberships::tier(conn, program_id, partner_id).await?;
        if !memberships::set_tier(conn, program_id, partner_id, tier.as_deref()).await? {
            return Err(AppError::NotFound("That partner isn't in this program.".into()));
        }
        audit::record(
            conn,
            audit::NewEvent {
                actor: &act.actor(),
                action: "membership.tier",
                subject_type: "membership",
                subject_id: format!("{program_id}:{partner_id}"),
                before: Some(serde_json::json!({ "tier": before })),
                after: Some(serde_json::json!({ "tier": tier })),
                request_id: act.meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(tier)
    })
    .await
}
