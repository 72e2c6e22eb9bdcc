//! The console's payout runs: the list with the form that makes one, one run with its items,
//! held-back balances, approval, files and settlement, and the payout settings of brands and
//! programs. Every operator may read; only admins and finance act (`Permission::RunPayouts`).
// A server function takes its form's fields as arguments, one each, so plain forms can post them.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use super::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunLineDto {
    pub id: i64,
    pub as_of: String,
    pub status: String,
    pub status_label: String,
    pub brands: String,
    pub created_by: String,
    pub created_at: String,
    pub approved_by: Option<String>,
    pub items: i64,
    pub skips: i64,
    /// "EUR 1,234.00 · USD 56.00".
    pub totals: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PayoutRunsDto {
    pub can_run: bool,
    /// The brands a run may be made for: (id, name).
    pub brands: Vec<(String, String)>,
    pub today: String,
    pub page: Paged<RunLineDto>,
}

pub fn status_label(status: &str) -> String {
    match status {
        "draft" => "Waiting for approval",
        "approved" => "Approved: pay and settle",
        "complete" => "Complete",
        "discarded" => "Discarded",
        "open" => "To pay",
        "paid" => "Paid",
        "failed" => "Failed",
        other => other,
    }
    .to_owned()
}

#[cfg(feature = "ssr")]
const RUNS_PER_PAGE: i64 = 20;
#[cfg(feature = "ssr")]
const ITEMS_PER_PAGE: i64 = 50;

#[server(input = GetUrl)]
pub async fn payout_runs(page: Option<i64>) -> Result<PayoutRunsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{brands, payout_runs as repo};
    use crate::domain::access::Permission;
    let operator = ctx::require_operator_across_brands().await?;
    let mut conn = ctx::db().await?;
    let page_number = page.unwrap_or(1).max(1);
    let runs = repo::list(&mut conn, &operator.scope.brands, page_number, RUNS_PER_PAGE).await?;
    let brands = brands::list(&mut conn, &operator.scope)
        .await?
        .into_iter()
        .map(|(b, _)| (b.id.to_string(), b.name))
        .collect();
    Ok(PayoutRunsDto {
        can_run: operator.role.can(Permission::RunPayouts),
        brands,
        today: ctx::now().date().to_string(),
        page: Paged::from_page(runs, page_number, RUNS_PER_PAGE, build::run_line),
    })
}

#[server]
pub async fn create_payout_run(
    csrf_token: String,
    #[server(default)] brand_id: String,
    #[server(default)] as_of: String,
) -> Result<i64, AppError> {
    use crate::backend::ctx;
    use crate::backend::payouts::runs::{self, RunRequest};
    use crate::domain::payouts::settlement;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_operator_across_brands().await?;
    let brand_id = match brand_id.trim() {
        "" | "all" => None,
        id => Some(
            id.parse::<i64>()
                .map_err(|_| AppError::field("brand_id", "Choose one of your brands, or all of them."))?,
        ),
    };
    let as_of = settlement::parse_date(&as_of).map_err(|m| AppError::field("as_of", m))?;
    let meta = ctx::request_meta();
    let settings = ctx::state()?.settings;
    let made = runs::create(
        &mut *ctx::db().await?,
        &build::finance(&operator, &meta, &settings.base_url),
        &RunRequest { brand_id, as_of },
    )
    .await?;
    super::flash::after_plain_post(format!(
        "Run #{} made: {} payment{} to make, {} balance{} held back. Someone else in finance approves it next.",
        made.run_id,
        made.items,
        if made.items == 1 { "" } else { "s" },
        made.skips,
        if made.skips == 1 { "" } else { "s" },
    ))
    .await?;
    leptos_axum::redirect(&format!("/console/payouts/{}", made.run_id));
    Ok(made.run_id)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemDto {
    pub id: i64,
    pub partner: String,
    pub brand: String,
    pub amount: String,
    pub entries: i32,
    pub reference: String,
    pub status: String,
    pub status_label: String,
    /// "SEPA •••• 3000 (COBADEFFXXX)" or "PayPal ana@example.com".
    pub method: String,
    pub settled: Option<String>,
    pub invoice_number: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkipDto {
    pub partner: String,
    pub brand: String,
    pub amount: String,
    pub entries: i32,
    pub reason: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PayoutRunDto {
    pub id: i64,
    pub status: String,
    pub status_label: String,
    pub as_of: String,
    pub brands: String,
    pub created: String,
    pub approved: Option<String>,
    pub totals: String,
    pub items: Paged<ItemDto>,
    pub sort: String,
    pub skips: Vec<SkipDto>,
    pub can_act: bool,
    /// Why this person can't approve the draft (they made it), if so.
    pub approve_blocker: Option<String>,
    /// Brands with SEPA payments in this run: (id, name).
    pub sepa_brands: Vec<(i64, String)>,
    /// A refused settlement file, from a plain form post.
    pub settlement_error: Option<AppError>,
    /// Today on the server: what "paid on" starts with.
    pub today: String,
}

#[server(input = GetUrl)]
pub async fn payout_run(id: i64, sort: Option<String>, page: Option<i64>) -> Result<PayoutRunDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::payouts::MISSING_RUN;
    use crate::backend::repos::payout_runs as repo;
    use crate::domain::access::Permission;
    let operator = ctx::require_operator_across_brands().await?;
    let mut conn = ctx::db().await?;
    let run = repo::get_in_scope(&mut conn, &operator.scope.brands, id, false)
        .await?
        .ok_or_else(|| AppError::NotFound(MISSING_RUN.into()))?;
    let line = repo::list_one(&mut conn, id).await?;
    let sort = sort.unwrap_or_default();
    let page_number = page.unwrap_or(1).max(1);
    let items = repo::item_lines(&mut conn, id, &sort, page_number, ITEMS_PER_PAGE).await?;
    let skips = repo::skip_lines(&mut conn, id).await?;
    let sepa_brands = repo::sepa_brands(&mut conn, id).await?;
    let settlement_error = build::take_settlement_refusal(id).await?;
    let can_act = operator.role.can(Permission::RunPayouts);
    let made_it = run.created_by == operator.user.id;
    Ok(PayoutRunDto {
        id,
        status_label: status_label(&run.status),
        status: run.status.clone(),
        as_of: run.as_of.to_string(),
        brands: line.brands.clone(),
        created: format!(
            "{} by {}",
            crate::domain::format::datetime(run.created_at),
            line.created_by
        ),
        approved: run.approved_at.map(|at| {
            format!(
                "{} by {}",
                crate::domain::format::datetime(at),
                line.approved_by.clone().unwrap_or_default()
            )
        }),
        totals: build::totals(&line.currencies, &line.totals),
        items: Paged::from_page(items, page_number, ITEMS_PER_PAGE, build::item),
        sort,
        skips: skips.into_iter().map(build::skip).collect(),
        can_act,
        approve_blocker: (can_act && made_it && run.status == "draft")
            .then(|| "You made this run, so someone else in finance approves it (four eyes).".to_owned()),
        sepa_brands,
        settlement_error,
        today: ctx::now().date().to_string(),
    })
}

#[server]
pub async fn approve_payout_run(csrf_token: String, id: i64) -> Result<(), AppError> {
    use crate::backend::{ctx, payouts::runs};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_operator_across_brands().await?;
    let (meta, settings) = (ctx::request_meta(), ctx::state()?.settings);
    runs::approve(
        &mut *ctx::db().await?,
        &build::finance(&operator, &meta, &settings.base_url),
        id,
    )
    .await?;
    super::flash::after_plain_post(format!(
        "Run #{id} approved and locked. Download its files, pay, then mark each item paid."
    ))
    .await
}

#[server]
pub async fn discard_payout_run(csrf_token: String, id: i64) -> Result<(), AppError> {
    use crate::backend::{ctx, payouts::runs};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_operator_across_brands().await?;
    let (meta, settings) = (ctx::request_meta(), ctx::state()?.settings);
    runs::discard(
        &mut *ctx::db().await?,
        &build::finance(&operator, &meta, &settings.base_url),
        id,
    )
    .await?;
    super::flash::after_plain_post(format!("Run #{id} discarded: its balances are back for the next run.")).await
}

#[server]
pub async fn settle_payout_item(
    csrf_token: String,
    run_id: i64,
    item_id: i64,
    #[server(default)] outcome: String,
    #[server(default)] paid_on: String,
    #[server(default)] bank_reference: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::backend::ctx;
    use crate::backend::payouts::settle::{self, Settlement};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_operator_across_brands().await?;
    let settlement = match outcome.as_str() {
        "paid" => Settlement::Paid {
            paid_on,
            bank_reference,
        },
        "failed" => Settlement::Failed { reason },
        _ => return Err(AppError::field("outcome", "Choose paid or failed.")),
    };
    let (meta, settings) = (ctx::request_meta(), ctx::state()?.settings);
    let fin = build::finance(&operator, &meta, &settings.base_url);
    settle::settle_one(&mut *ctx::db().await?, &fin, run_id, item_id, &settlement)
        .await
        .map_err(|e| build::scoped_errors(e, item_id))?;
    let what = if outcome == "paid" {
        "marked paid; the partner has been emailed the statement"
    } else {
        "marked failed; its amount is back in the partner's balance and the partner has been told"
    };
    super::flash::after_plain_post(format!("Item {what}.")).await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrandPayoutDto {
    pub id: i64,
    pub name: String,
    pub debtor_iban: String,
    pub debtor_bic: String,
    pub self_billing: bool,
    pub invoice_prefix: String,
    pub next_invoice_number: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramPayoutDto {
    pub id: i64,
    pub name: String,
    pub brand: String,
    pub currency: String,
    /// As typed in the form: "50", "25.5".
    pub minimum_payout: String,
    pub review_days: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PayoutSettingsDto {
    pub can_edit: bool,
    pub brands: Vec<BrandPayoutDto>,
    pub programs: Vec<ProgramPayoutDto>,
}

#[server(input = GetUrl)]
pub async fn payout_settings() -> Result<PayoutSettingsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::payout_settings as repo;
    use crate::domain::access::Permission;
    let operator = ctx::require_operator_across_brands().await?;
    let mut conn = ctx::db().await?;
    let brands = repo::brands(&mut conn, &operator.scope.brands).await?;
    let programs = repo::programs(&mut conn, &operator.scope.programs).await?;
    Ok(PayoutSettingsDto {
        can_edit: operator.role.can(Permission::RunPayouts),
        brands: brands
            .into_iter()
            .map(|b| BrandPayoutDto {
                id: b.brand_id,
                name: b.name,
                debtor_iban: b.debtor_iban.unwrap_or_default(),
                debtor_bic: b.debtor_bic.unwrap_or_default(),
                self_billing: b.self_billing,
                invoice_prefix: b.invoice_prefix,
                next_invoice_number: b.next_invoice_number,
            })
            .collect(),
        programs: programs
            .into_iter()
            .map(|p| ProgramPayoutDto {
                id: p.program_id,
                name: p.name,
                brand: p.brand_name,
                minimum_payout: p.minimum_payout.normalize().to_string(),
                currency: p.currency,
                review_days: p.review_days,
            })
            .collect(),
    })
}

#[server]
pub async fn save_brand_payout_settings(
    csrf_token: String,
    brand_id: i64,
    #[server(default)] debtor_iban: String,
    #[server(default)] debtor_bic: String,
    #[server(default)] self_billing: Option<String>,
    #[server(default)] invoice_prefix: String,
) -> Result<(), AppError> {
    use crate::backend::{ctx, payouts::settings};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_operator_across_brands().await?;
    let (meta, app) = (ctx::request_meta(), ctx::state()?.settings);
    let input = settings::BrandInput {
        brand_id,
        debtor_iban,
        debtor_bic,
        self_billing: self_billing.is_some(),
        invoice_prefix,
    };
    settings::save_brand(
        &mut *ctx::db().await?,
        &build::finance(&operator, &meta, &app.base_url),
        &input,
    )
    .await
    .map_err(|e| build::scoped_errors(e, brand_id))?;
    super::flash::after_plain_post("Brand payout settings saved.").await
}

#[server]
pub async fn save_program_payout_settings(
    csrf_token: String,
    program_id: i64,
    #[server(default)] minimum_payout: String,
    #[server(default)] review_days: String,
) -> Result<(), AppError> {
    use crate::backend::{ctx, payouts::settings};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_operator_across_brands().await?;
    let (meta, app) = (ctx::request_meta(), ctx::state()?.settings);
    settings::save_program(
        &mut *ctx::db().await?,
        &build::finance(&operator, &meta, &app.base_url),
        program_id,
        (&minimum_payout, &review_days),
    )
    .await
    .map_err(|e| build::scoped_errors(e, program_id))?;
    super::flash::after_plain_post("Program payout settings saved.").await
}

#[cfg(feature = "ssr")]
pub mod build {
    use super::*;
    use crate::backend::ctx::Operator;
    use crate::backend::flows::RequestMeta;
    use crate::backend::payouts::Finance;
    use crate::backend::repos::payout_runs::{ItemLine, RunLine, SkipLine};
    use crate::domain::money;
    use crate::domain::payouts::run::SkipReason;
    use rust_decimal::Decimal;

    pub fn finance<'a>(operator: &'a Operator, meta: &'a RequestMeta, base_url: &'a str) -> Finance<'a> {
        Finance {
            user: &operator.user,
            scope: &operator.scope,
            meta,
            base_url,
            now: crate::backend::ctx::now(),
        }
    }

    /// A form's field errors, keyed by the row they belong to (`{id}-{field}`), so the error
    /// shows beside the right row's field among many.
    pub fn scoped_errors(error: AppError, id: i64) -> AppError {
        match error {
            AppError::Invalid(errors) => AppError::Invalid(errors.scoped(&format!("{id}-"))),
            other => other,
        }
    }

    pub fn totals(currencies: &[String], totals: &[Decimal]) -> String {
        if currencies.is_empty() {
            return "Nothing to pay".into();
        }
        currencies
            .iter()
            .zip(totals)
            .map(|(c, t)| money::format(*t, c))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    pub fn run_line(r: RunLine) -> RunLineDto {
        RunLineDto {
            id: r.id,
            as_of: r.as_of.to_string(),
            status_label: status_label(&r.status),
            status: r.status,
            brands: r.brands,
            created_by: r.created_by,
            created_at: crate::domain::format::datetime(r.created_at),
            approved_by: r.approved_by,
            items: r.items,
            skips: r.skips,
            totals: totals(&r.currencies, &r.totals),
        }
    }

    /// "SEPA •••• 3000 (COBADEFFXXX)": the method's own summary, as the partner sees it.
    pub fn method_summary(kind: &str, last4: Option<&str>, bank_code: Option<&str>, email: Option<&str>) -> String {
        use crate::domain::payouts::method::{MethodKind, PayoutMethod};
        let method = PayoutMethod {
            currency: String::new(),
            kind: MethodKind::parse(kind).unwrap_or(MethodKind::Other),
            account_holder: None,
            account: None,
            bank_code: bank_code.map(str::to_owned),
            email: email.map(str::to_owned),
            instructions: None,
        };
        method.summary(last4)
    }

    pub fn item(i: ItemLine) -> ItemDto {
        let settled = match i.status.as_str() {
            "paid" => Some(format!(
                "Paid {} · {}",
                i.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                i.bank_reference.clone().unwrap_or_default()
            )),
            "failed" => i.failure_reason.clone().map(|r| format!("Failed: {r}")),
            _ => None,
        };
        ItemDto {
            id: i.id,
            partner: i.partner_name,
            brand: i.brand_name,
            amount: money::format(i.amount, &i.currency),
            entries: i.entries,
            reference: i.reference,
            status_label: status_label(&i.status),
            status: i.status,
            method: method_summary(
                &i.kind,
                i.account_last4.as_deref(),
                i.bank_code.as_deref(),
                i.email.as_deref(),
            ),
            settled,
            invoice_number: i.invoice_number,
        }
    }

    pub fn skip(s: SkipLine) -> SkipDto {
        SkipDto {
            partner: s.partner_name,
            brand: s.brand_name,
            amount: money::format(s.amount, &s.currency),
            entries: s.entries,
            reason: SkipReason::parse(&s.reason).map_or(s.reason.clone(), |r| r.label().to_owned()),
            detail: s.detail,
        }
    }

    /// The session key of a refused settlement file (the upload is a plain form).
    pub fn settlement_refusal_key(run_id: i64) -> String {
        format!("payout_settlement_refusal:{run_id}")
    }

    pub async fn take_settlement_refusal(run_id: i64) -> Result<Option<AppError>, AppError> {
        crate::backend::ctx::session()
            .await?
            .remove::<AppError>(&settlement_refusal_key(run_id))
            .await
            .map_err(crate::backend::errors::internal)
    }
}
