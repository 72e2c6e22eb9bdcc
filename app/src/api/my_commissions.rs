//! The partner's commission ledger: the balance by standing and every entry with the terms it
//! was computed under and why. The partner id always comes from the session.

use super::error::AppError;
use super::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

pub const PER_PAGE: i64 = 25;

/// The filters as they arrive in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerQuery {
    pub program: Option<i64>,
    pub standing: Option<String>,
    pub page: Option<i64>,
}

/// One card: what the partner's entries of one standing add up to, per currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BalanceDto {
    pub standing: String,
    pub label: String,
    /// "EUR 120.00", one per currency the partner earns in.
    pub amounts: Vec<String>,
    pub entries: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerLineDto {
    pub id: i64,
    pub date: String,
    pub program_name: String,
    pub order_id: Option<String>,
    pub kind_label: String,
    pub amount: String,
    /// Reversals and negative adjustments: shown as deductions.
    pub negative: bool,
    pub standing: String,
    pub standing_label: String,
    /// "Payable from 21 Dec 2026", with a note when that depends on approval.
    pub payable_from: String,
    /// "v2 · Creators 2026"
    pub terms: Option<String>,
    pub explanation: String,
    /// An adjustment's reason.
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LockDto {
    pub program_name: String,
    pub lock_days: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyLedgerDto {
    pub balances: Vec<BalanceDto>,
    pub page: Paged<LedgerLineDto>,
    /// The partner's programs, for the filter.
    pub programs: Vec<(i64, String)>,
    pub locks: Vec<LockDto>,
}

#[cfg(feature = "ssr")]
mod build {
    use super::*;
    use crate::backend::repos::ledger::{BalanceRow, LedgerLine};
    use crate::domain::commission::ledger::{EntryKind, Standing};
    use crate::domain::{format, money};

    /// Every standing, in every currency the partner earns in, zero where nothing is.
    pub fn balances(rows: &[BalanceRow], currencies: &[String]) -> Vec<BalanceDto> {
        let mut all: Vec<String> = currencies.to_vec();
        for row in rows {
            if !all.contains(&row.currency) {
                all.push(row.currency.clone());
            }
        }
        Standing::ALL
            .into_iter()
            .map(|standing| {
                let of = |currency: &str| {
                    rows.iter()
                        .filter(|r| r.standing == standing.as_str() && r.currency == currency)
                        .map(|r| r.amount)
                        .sum()
                };
                BalanceDto {
                    standing: standing.as_str().into(),
                    label: standing.label().into(),
                    amounts: all.iter().map(|c| money::format(of(c), c)).collect(),
                    entries: rows
                        .iter()
                        .filter(|r| r.standing == standing.as_str())
                        .map(|r| r.entries)
                        .sum(),
                }
            })
            .collect()
    }

    pub fn line(l: LedgerLine) -> LedgerLineDto {
        let standing = Standing::parse(&l.standing).unwrap_or(Standing::Pending);
        let payable_from = match standing {
            Standing::Rejected => "Not payable".to_owned(),
            Standing::Pending | Standing::OnHold => format!("Payable from {} if approved", format::date(l.payable_at)),
            Standing::Approved => format!("Payable from {}", format::date(l.payable_at)),
            Standing::Payable => format!("Payable since {}", format::date(l.payable_at)),
        };
        LedgerLineDto {
            id: l.id,
            date: format::date(l.created_at),
            program_name: l.program_name,
            order_id: l.order_id,
            kind_label: EntryKind::parse(&l.kind).map_or(l.kind.clone(), |k| k.label().to_owned()),
            amount: money::format(l.amount, &l.currency),
            negative: l.amount.is_sign_negative() && !l.amount.is_zero(),
            standing: standing.as_str().into(),
            standing_label: standing.label().into(),
            payable_from,
            terms: l.terms_version.map(|v| match &l.plan_name {
                Some(plan) => format!("v{v} · {plan}"),
                None => format!("v{v}"),
            }),
            explanation: l.explanation,
            reason: l.reason,
        }
    }
}

#[server(input = GetUrl)]
pub async fn my_ledger(#[server(default)] query: LedgerQuery) -> Result<MyLedgerDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::ledger::{self, LedgerFilter};
    use crate::backend::repos::{commission_settings, memberships};
    use crate::domain::commission::ledger::Standing;
    let me = ctx::require_partner().await?;
    let now = ctx::now();
    let mut conn = ctx::db().await?;
    let mine: Vec<_> = memberships::list_for_partner(&mut conn, me.partner_id, me.brand)
        .await?
        .into_iter()
        .filter(|(m, ..)| m.status != "applied" && m.status != "rejected")
        .collect();
    let program = query.program.filter(|p| mine.iter().any(|(m, ..)| m.program_id == *p));
    let shown: Vec<_> = mine
        .iter()
        .filter(|(m, ..)| program.is_none_or(|p| p == m.program_id))
        .collect();
    let mut currencies: Vec<String> = shown.iter().map(|(.., currency)| currency.clone()).collect();
    currencies.sort();
    currencies.dedup();
    let mut locks = Vec::new();
    for (m, name, ..) in &shown {
        let lock_days = commission_settings::get(&mut conn, m.program_id).await?.lock_days;
        locks.push(LockDto {
            program_name: name.clone(),
            lock_days,
        });
    }
    // One program when chosen; with the portal switched to a brand, that brand's programs.
    let programs: Option<Vec<i64>> = match (program, me.brand) {
        (Some(p), _) => Some(vec![p]),
        (None, Some(_)) => Some(mine.iter().map(|(m, ..)| m.program_id).collect()),
        (None, None) => None,
    };
    let filter = LedgerFilter {
        partner_id: me.partner_id,
        programs: programs.clone(),
        standing: query.standing.filter(|s| Standing::parse(s).is_some()),
        page: query.page.unwrap_or(1).max(1),
        per_page: PER_PAGE,
    };
    let balances = ledger::balances(&mut conn, me.partner_id, programs.as_deref(), now).await?;
    let lines = ledger::lines(&mut conn, &filter, now).await?;
    Ok(MyLedgerDto {
        balances: build::balances(&balances, &currencies),
        page: Paged::from_page(lines, filter.page, PER_PAGE, build::line),
        programs: mine.iter().map(|(m, name, ..)| (m.program_id, name.clone())).collect(),
        locks,
    })
}
