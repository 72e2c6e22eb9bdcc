//! The partner's money on the portal's Payouts page (the balance by where it stands, what the
//! next payout should be and why a balance was held back, and the payouts so far), and a paid
//! payout's statement, which the partner and the brand's operators can open and print.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BalanceDto {
    pub currency: String,
    pub pending: String,
    pub payable: String,
    pub in_run: String,
    pub paid: String,
    /// Refunds after earlier payouts that exceed what is payable: taken back from new earnings.
    pub clawback: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PayoutLineDto {
    pub item_id: i64,
    pub brand: String,
    pub amount: String,
    pub status: String,
    pub status_label: String,
    pub reference: String,
    pub method: String,
    /// "Paid 2026-12-05" or "Failed: account closed".
    pub detail: Option<String>,
    pub has_statement: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyPayoutsDto {
    pub balances: Vec<BalanceDto>,
    /// "EUR 120.00 with the next payout run", per currency with something payable.
    pub next: Vec<String>,
    /// Why the latest run held the balance back, if it did.
    pub held_back: Vec<String>,
    pub history: Vec<PayoutLineDto>,
}

#[server(input = GetUrl)]
pub async fn my_payouts() -> Result<MyPayoutsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::payout_runs as repo;
    use crate::domain::money;
    use rust_decimal::Decimal;
    let me = ctx::require_partner().await?;
    if !me.role.sees_money() {
        return Err(AppError::Forbidden);
    }
    let mut conn = ctx::db().await?;
    let buckets = repo::buckets(&mut conn, me.partner_id, ctx::now()).await?;
    let mut currencies: Vec<String> = buckets.iter().map(|b| b.currency.clone()).collect();
    currencies.dedup();
    let sum = |currency: &str, bucket: &str| -> Decimal {
        buckets
            .iter()
            .filter(|b| b.currency == currency && b.bucket == bucket)
            .map(|b| b.amount)
            .sum()
    };
    let mut balances = Vec::new();
    let mut next = Vec::new();
    for currency in &currencies {
        let payable = sum(currency, "payable");
        let show = |amount: Decimal| money::format(amount, currency);
        balances.push(BalanceDto {
            currency: currency.clone(),
            pending: show(sum(currency, "pending")),
            payable: show(payable.max(Decimal::ZERO)),
            in_run: show(sum(currency, "in_run")),
            paid: show(sum(currency, "paid")),
            clawback: (payable < Decimal::ZERO).then(|| show(-payable)),
        });
        if payable > Decimal::ZERO {
            next.push(format!("{} with the next payout run", show(payable)));
        }
    }
    let held_back = repo::latest_skip(&mut conn, me.partner_id)
        .await?
        .into_iter()
        .map(|s| {
            format!(
                "{} ({}): {}",
                money::format(s.amount, &s.currency),
                s.brand_name,
                s.detail
            )
        })
        .collect();
    let history = repo::items_of_partner(&mut conn, me.partner_id, 50)
        .await?
        .into_iter()
        .map(|i| {
            let item = super::payout_runs::build::item(i);
            PayoutLineDto {
                item_id: item.id,
                brand: item.brand,
                amount: item.amount,
                has_statement: item.status == "paid",
                status_label: match item.status.as_str() {
                    "open" => "On its way".to_owned(),
                    _ => item.status_label,
                },
                status: item.status,
                reference: item.reference,
                method: item.method,
                detail: item.settled,
            }
        })
        .collect();
    Ok(MyPayoutsDto {
        balances,
        next,
        held_back,
        history,
    })
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementLineDto {
    pub date: String,
    pub what: String,
    pub terms: String,
    pub amount: String,
    pub clawback: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementGroupDto {
    pub program: String,
    pub lines: Vec<StatementLineDto>,
    pub subtotal: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementDto {
    pub item_id: i64,
    /// "Self-billing invoice SB-000012" or "Payout statement".
    pub title: String,
    pub invoice_number: Option<String>,
    pub reference: String,
    pub brand_name: String,
    pub brand_legal: Vec<String>,
    pub partner_name: String,
    pub partner_invoice: Vec<String>,
    pub paid_on: String,
    pub bank_reference: String,
    pub method: String,
    pub total: String,
    pub groups: Vec<StatementGroupDto>,
    /// Where "back" goes: the portal's Payouts page or the console's run.
    pub back_href: String,
}

/// A paid item's statement: the partner's own, or one of a brand in the operator's scope.
/// Anything else (another partner's id, an unpaid item) is "not found".
#[server(input = GetUrl)]
pub async fn payout_statement(item_id: i64) -> Result<StatementDto, AppError> {
    use crate::backend::auth::AuthUser;
    use crate::backend::ctx;
    use crate::backend::repos::users::Account;
    use crate::backend::repos::{brands, payout_details, payout_runs as repo};
    use crate::backend::scope::Scope;
    let viewer: AuthUser = ctx::viewer().await?.ok_or(AppError::Unauthenticated)?;
    let mut conn = ctx::db().await?;
    let (partner_id, scope) = match viewer.account {
        Account::Partner { partner_id, role } => {
            // Owners and finance people, past the portal's gate (no agreement waiting), like
            // every partner call.
            if !role.sees_money() {
                return Err(AppError::Forbidden);
            }
            ctx::ensure_agreements_accepted(partner_id, viewer.id).await?;
            (Some(partner_id), Scope::nothing())
        }
        Account::Operator(_) => (
            None,
            Scope::of_operator(&mut conn, viewer.id, viewer.brand_scoped).await?,
        ),
    };
    let missing = || AppError::NotFound("That statement doesn't exist.".into());
    let item = repo::item_line(&mut conn, item_id, partner_id, &scope.brands)
        .await?
        .filter(|i| i.status == "paid")
        .ok_or_else(missing)?;
    let everything = Scope::everything(&mut conn).await?;
    let brand = brands::get(&mut conn, &everything, item.brand_id)
        .await?
        .ok_or_else(missing)?;
    let tax = payout_details::tax_profile(&mut conn, item.partner_id).await?;
    let lines = repo::statement_lines(&mut conn, item_id).await?;
    let run_id = repo::run_of_item(&mut conn, item_id).await?;
    Ok(build::statement(item, brand, tax, lines, partner_id.is_some(), run_id))
}

#[cfg(feature = "ssr")]
mod build {
    use super::*;
    use crate::backend::repos::brands::BrandRow;
    use crate::backend::repos::payout_details::TaxRow;
    use crate::backend::repos::payout_runs::{ItemLine, StatementLine};
    use crate::domain::commission::ledger::EntryKind;
    use crate::domain::money;
    use crate::domain::payouts::masked;
    use rust_decimal::Decimal;

    fn kind_label(kind: &str) -> String {
        EntryKind::parse(kind).map_or_else(|| kind.to_owned(), |k| k.label().to_owned())
    }

    fn line(l: &StatementLine, currency: &str) -> StatementLineDto {
        let what = match (l.kind.as_str(), &l.order_id, l.mdf_request_id) {
            ("mdf", _, Some(id)) => format!(
                "MDF claim, request #{id}{}",
                l.note.as_deref().map(|n| format!(": {n}")).unwrap_or_default()
            ),
            (kind, Some(order), _) => format!(
                "{} · order {order}{}",
                kind_label(kind),
                l.event.as_deref().map(|e| format!(" ({e})")).unwrap_or_default()
            ),
            (kind, None, _) => format!(
                "{}{}",
                kind_label(kind),
                l.note.as_deref().map(|n| format!(": {n}")).unwrap_or_default()
            ),
        };
        let terms = match (l.terms_version, &l.plan_name) {
            (Some(v), Some(plan)) => format!("{plan}, version {v}"),
            (Some(v), None) => format!("version {v}"),
            _ => "—".to_owned(),
        };
        StatementLineDto {
            date: crate::domain::format::date(l.occurred_at),
            what,
            terms,
            amount: money::format(l.amount, currency),
            clawback: l.amount < Decimal::ZERO,
        }
    }

    pub fn statement(
        item: ItemLine,
        brand: BrandRow,
        tax: Option<TaxRow>,
        lines: Vec<StatementLine>,
        for_partner: bool,
        run_id: i64,
    ) -> StatementDto {
        let mut groups: Vec<StatementGroupDto> = Vec::new();
        let mut subtotals: Vec<Decimal> = Vec::new();
        for l in &lines {
            if groups.last().is_none_or(|g| g.program != l.program_name) {
                groups.push(StatementGroupDto {
                    program: l.program_name.clone(),
                    lines: Vec::new(),
                    subtotal: String::new(),
                });
                subtotals.push(Decimal::ZERO);
            }
            if let (Some(group), Some(subtotal)) = (groups.last_mut(), subtotals.last_mut()) {
                group.lines.push(line(l, &item.currency));
                *subtotal += l.amount;
            }
        }
        for (group, subtotal) in groups.iter_mut().zip(subtotals) {
            group.subtotal = money::format(subtotal, &item.currency);
        }
        let mut partner_invoice = Vec::new();
        if let Some(t) = &tax {
            partner_invoice.push(t.invoice_name.clone());
            partner_invoice.extend(t.invoice_address.lines().map(str::to_owned));
            if let Some(vat) = &t.vat_last4 {
                partner_invoice.push(format!("VAT id {}", masked(vat)));
            }
        }
        // The legal name, then the address (which often repeats it), then the tax id.
        let mut brand_legal: Vec<String> = Vec::new();
        for line in std::iter::once(brand.legal_name.as_str()).chain(brand.address.lines()) {
            let line = line.trim();
            if !line.is_empty() && !brand_legal.iter().any(|l| l == line) {
                brand_legal.push(line.to_owned());
            }
        }
        if !brand.tax_id.trim().is_empty() {
            brand_legal.push(format!("Tax id {}", brand.tax_id.trim()));
        }
        let title = match &item.invoice_number {
            Some(number) => format!("Self-billing invoice {number}"),
            None => "Payout statement".to_owned(),
        };
        StatementDto {
            item_id: item.id,
            title,
            invoice_number: item.invoice_number.clone(),
            reference: item.reference.clone(),
            brand_name: brand.name,
            brand_legal,
            partner_name: item.partner_name.clone(),
            partner_invoice,
            paid_on: item.paid_on.map(|d| d.to_string()).unwrap_or_default(),
            bank_reference: item.bank_reference.clone().unwrap_or_default(),
            method: super::super::payout_runs::build::method_summary(
                &item.kind,
                item.account_last4.as_deref(),
                item.bank_code.as_deref(),
                item.email.as_deref(),
            ),
            total: money::format(item.amount, &item.currency),
            groups,
            back_href: if for_partner {
                "/portal/payouts".to_owned()
            } else {
                format!("/console/payouts/{run_id}")
            },
        }
    }
}
