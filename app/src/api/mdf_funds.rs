//! A program's market development funds in the console: its funds with every partner's
//! balance and the allocations, and the forms that create a fund, allocate it and set a
//! partner's tier. Reading is open to every operator; changes need ManagePrograms.
// Form server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use super::mdf::BarPart;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartnerBalanceDto {
    pub partner_id: i64,
    pub partner_name: String,
    pub allocated: String,
    pub requested: String,
    pub approved: String,
    pub claimed: String,
    pub paid: String,
    pub expired: String,
    pub available: String,
    pub bar: Vec<BarPart>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocationDto {
    pub partner_name: String,
    pub amount: String,
    /// "To this partner", "Tier Gold", "Segment Top EU", "Gold's 30% share of EUR 10,000.00, split
    /// among 3 partners", "5% of USD 1,234.50 revenue, 1 Jan 2026 – 31 Mar 2026".
    pub source: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FundDto {
    pub id: i64,
    pub name: String,
    pub period: String,
    pub claim_days: i32,
    pub status: String,
    pub status_label: String,
    pub allocated: String,
    pub available: String,
    pub open: bool,
    pub balances: Vec<PartnerBalanceDto>,
    pub allocations: Vec<AllocationDto>,
    /// The period whose revenue an accrual reads.
    pub revenue_period: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartnerTierDto {
    pub id: i64,
    pub name: String,
    pub tier: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramMdfDto {
    pub program_id: i64,
    pub program_name: String,
    pub currency: String,
    pub funds: Vec<FundDto>,
    pub partners: Vec<PartnerTierDto>,
    pub tiers: Vec<String>,
    /// The tier ladder's MDF shares, "Gold 60%", lowest tier first (empty: none has one).
    pub tier_shares: Vec<String>,
    /// The program's segments (id, name), which funds may be allocated to.
    pub segments: Vec<(i64, String)>,
    pub can_manage: bool,
}

#[server(input = GetUrl)]
pub async fn program_mdf(program_id: i64) -> Result<ProgramMdfDto, AppError> {
    use crate::backend::ctx;
    use crate::domain::access::Permission;
    let operator = ctx::require_program_operator(program_id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, program_id).await?;
    let rows = read::program(&mut conn, program_id).await?;
    let can_manage = operator.role.can(Permission::ManagePrograms);
    Ok(build::program(program, rows, can_manage, ctx::now().date()))
}

/// The repository reads behind the page: a fixed number of queries however many funds there are.
#[cfg(feature = "ssr")]
mod read {
    use crate::backend::repos::mdf_funds::{self, AllocationLine, BalanceRow, FundRow};
    use crate::backend::repos::memberships;
    use diesel::QueryResult;
    use diesel_async::AsyncPgConnection;
    use std::collections::HashMap;

    pub struct MdfRows {
        pub funds: Vec<FundRow>,
        /// Each fund's balances with partner names, by name.
        pub balances: HashMap<i64, Vec<(BalanceRow, String)>>,
        /// Each fund's allocations, newest first.
        pub allocations: HashMap<i64, Vec<AllocationLine>>,
        /// Active partners: (id, name, tier), by name.
        pub partners: Vec<(i64, String, Option<String>)>,
        pub segments: Vec<(i64, String)>,
        /// (tier, MDF share) of the ladder's tiers that have one.
        pub tier_shares: Vec<(String, rust_decimal::Decimal)>,
    }

    pub async fn program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<MdfRows> {
        let funds = mdf_funds::funds_of_program(conn, program_id).await?;
        let ids: Vec<i64> = funds.iter().map(|f| f.id).collect();
        let balances = mdf_funds::balances_of_funds(conn, &ids).await?;
        let allocations = mdf_funds::allocations_of_funds(conn, &ids).await?;
        Ok(MdfRows {
            funds,
            balances: by_fund(balances, |(b, _)| b.fund_id),
            allocations: by_fund(allocations, |a| a.fund_id),
            partners: memberships::active_partners(conn, program_id).await?,
            segments: crate::backend::repos::segments::list(conn, program_id)
                .await?
                .into_iter()
                .map(|s| (s.id, s.name))
                .collect(),
            tier_shares: crate::backend::repos::tiers::ladder(conn, program_id)
                .await?
                .tiers
                .into_iter()
                .filter_map(|t| t.mdf_share.map(|share| (t.name, share)))
                .collect(),
        })
    }

    /// Groups rows by fund, keeping their order within each fund.
    fn by_fund<T>(rows: Vec<T>, fund_of: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
        let mut grouped: HashMap<i64, Vec<T>> = HashMap::new();
        for row in rows {
            grouped.entry(fund_of(&row)).or_default().push(row);
        }
        grouped
    }
}

/// From the rows to the page's DTOs.
#[cfg(feature = "ssr")]
mod build {
    use super::read::MdfRows;
    use super::*;
    use crate::backend::repos::mdf_funds::{AllocationLine, BalanceRow, FundRow};
    use crate::backend::repos::programs::ProgramRow;
    use crate::domain::mdf::date_text;
    use crate::domain::mdf::fund::{previous_period, status as fund_status};
    use crate::domain::{format, money};
    use rust_decimal::Decimal;
    use time::Date;

    pub fn program(program: ProgramRow, mut rows: MdfRows, can_manage: bool, today: Date) -> ProgramMdfDto {
        let currency = program.currency.as_str();
        let funds = rows
            .funds
            .into_iter()
            .map(|f| {
                let balances = rows.balances.remove(&f.id).unwrap_or_default();
                let allocations = rows.allocations.remove(&f.id).unwrap_or_default();
                fund(f, balances, allocations, currency, today)
            })
            .collect();
        let partners: Vec<PartnerTierDto> = rows
            .partners
            .into_iter()
            .map(|(id, name, tier)| PartnerTierDto { id, name, tier })
            .collect();
        let mut tiers: Vec<String> = partners.iter().filter_map(|p| p.tier.clone()).collect();
        tiers.sort();
        tiers.dedup();
        ProgramMdfDto {
            program_id: program.id,
            program_name: program.name,
            currency: program.currency,
            funds,
            partners,
            tiers,
            tier_shares: rows
                .tier_shares
                .iter()
                .map(|(tier, share)| format!("{tier} {}%", share.normalize()))
                .collect(),
            segments: rows.segments,
            can_manage,
        }
    }

    fn fund(
        fund: FundRow,
        balances: Vec<(BalanceRow, String)>,
        allocations: Vec<AllocationLine>,
        currency: &str,
        today: Date,
    ) -> FundDto {
        let m = |a: Decimal| money::format(a, currency);
        let (allocated, available) = balances.iter().fold((Decimal::ZERO, Decimal::ZERO), |(a, v), (b, _)| {
            (a + b.allocated, v + b.available)
        });
        let (status, status_label, open) =
            fund_status(fund.period_start, fund.period_end, fund.expired_at.is_some(), today);
        let (from, to) = previous_period(fund.period_start, fund.period_end);
        FundDto {
            id: fund.id,
            name: fund.name,
            period: format!("{} – {}", date_text(fund.period_start), date_text(fund.period_end)),
            claim_days: fund.claim_days,
            status: status.into(),
            status_label: status_label.into(),
            allocated: m(allocated),
            available: m(available),
            open,
            balances: balances
                .into_iter()
                .map(|(b, name)| balance(b, name, currency))
                .collect(),
            allocations: allocations.into_iter().map(|a| allocation(a, currency)).collect(),
            revenue_period: format!("{} – {}", date_text(from), date_text(to)),
        }
    }

    fn balance(b: BalanceRow, partner_name: String, currency: &str) -> PartnerBalanceDto {
        let m = |a: Decimal| money::format(a, currency);
        PartnerBalanceDto {
            partner_id: b.partner_id,
            partner_name,
            allocated: m(b.allocated),
            requested: m(b.requested),
            approved: m(b.approved),
            claimed: m(b.claimed),
            paid: m(b.paid),
            expired: m(b.expired),
            available: m(b.available),
            bar: crate::api::mdf::build::bar(&b),
        }
    }

    fn allocation(a: AllocationLine, currency: &str) -> AllocationDto {
        let source = match (a.source.as_str(), &a.tier, a.percent, a.revenue) {
            ("tier", Some(tier), _, _) => format!("Tier {tier}"),
            ("tier_share", Some(tier), _, _) => crate::domain::mdf::fund::describe_tier_share(
                tier,
                a.tier_share.unwrap_or_default(),
                a.pool.unwrap_or_default(),
                a.split_among.unwrap_or_default(),
                currency,
            ),
            ("segment", _, _, _) => format!("Segment {}", a.segment_name.clone().unwrap_or_default()),
            ("revenue", _, Some(p), Some(r)) => format!(
                "{}% of {} revenue, {} – {}",
                p.normalize(),
                money::format(r, currency),
                a.revenue_from.map(date_text).unwrap_or_default(),
                a.revenue_to.map(date_text).unwrap_or_default()
            ),
            _ => "To this partner".into(),
        };
        AllocationDto {
            source,
            partner_name: a.partner_name,
            amount: money::format(a.amount, currency),
            at: format::datetime(a.created_at),
        }
    }
}

#[server]
pub async fn create_mdf_fund(
    csrf_token: String,
    program_id: i64,
    #[server(default)] name: String,
    #[server(default)] period_start: String,
    #[server(default)] period_end: String,
    #[server(default)] claim_days: String,
) -> Result<String, AppError> {
    use crate::backend::{ctx, mdf};
    use crate::domain::access::Permission;
    use crate::domain::mdf::fund::{validate_fund, FundForm};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let form = FundForm {
        name,
        period_start,
        period_end,
        claim_days,
    };
    let typed = form.echo();
    let keep = |e| super::terms::support::keep_typed(e, &typed);
    let valid = validate_fund(&form).map_err(|e| keep(AppError::Invalid(e)))?;
    let (meta, state) = (ctx::request_meta(), ctx::state()?);
    let act = super::mdf::build::act(Some(&operator.user), &meta, &state.settings.base_url, ctx::now());
    let fund = mdf::funds::create(&mut *ctx::db().await?, &act, program_id, &valid)
        .await
        .map_err(keep)?;
    let message = format!("Fund \"{}\" created. Allocate it to partners below.", fund.name);
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

#[server]
pub async fn allocate_mdf(
    csrf_token: String,
    program_id: i64,
    #[server(default)] fund_id: String,
    #[server(default)] target: String,
    #[server(default)] partner_id: String,
    #[server(default)] tier: String,
    #[server(default)] segment_id: String,
    #[server(default)] amount: String,
    #[server(default)] percent: String,
) -> Result<String, AppError> {
    use crate::backend::{ctx, mdf};
    use crate::domain::access::Permission;
    use crate::domain::mdf::fund::{validate_allocation, AllocationForm};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let form = AllocationForm {
        target,
        partner_id,
        tier,
        segment_id,
        amount,
        percent,
    };
    let mut typed = form.echo();
    typed.push(("fund_id", fund_id.as_str()));
    let keep = |e| super::terms::support::keep_typed(e, &typed);
    let mut conn = ctx::db().await?;
    let currency = ctx::program_in_scope(&mut conn, &operator, program_id).await?.currency;
    let target = validate_allocation(&form, &currency).map_err(|e| keep(AppError::Invalid(e)))?;
    let fund = fund_id
        .trim()
        .parse::<i64>()
        .map_err(|_| keep(AppError::field("fund_id", mdf::funds::FUND_MISSING)))?;
    let (meta, state) = (ctx::request_meta(), ctx::state()?);
    let act = super::mdf::build::act(Some(&operator.user), &meta, &state.settings.base_url, ctx::now());
    let done = mdf::funds::allocate(&mut conn, &act, program_id, fund, &target)
        .await
        .map_err(keep)?;
    let message = format!(
        "Allocated {} to {} partner{}: each has been emailed.",
        crate::domain::money::format(done.total, &currency),
        done.partners,
        if done.partners == 1 { "" } else { "s" }
    );
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

/// Sets a partner's tier by hand (empty clears it), in a program without a tier ladder.
#[server]
pub async fn set_partner_tier(
    csrf_token: String,
    program_id: i64,
    partner_id: i64,
    #[server(default)] tier: String,
) -> Result<String, AppError> {
    use crate::backend::{ctx, mdf};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let (meta, state) = (ctx::request_meta(), ctx::state()?);
    let act = super::mdf::build::act(Some(&operator.user), &meta, &state.settings.base_url, ctx::now());
    let saved = mdf::funds::set_tier(&mut *ctx::db().await?, &act, program_id, partner_id, &tier)
        .await
        .map_err(|e| super::terms::support::keep_typed(e, &[("tier", &tier)]))?;
    let message = match saved {
        Some(tier) => format!("Tier set to {tier}."),
        None => "Tier cleared.".to_owned(),
    };
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}
