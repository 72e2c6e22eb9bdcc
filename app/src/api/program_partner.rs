//! One partner in one program, for operators: its terms (current, upcoming, every version), the
//! fraud flag, its master and sub-partners, manual adjustments, and its ledger with balances.
//! Reading is open to every operator; terms, flag and master need ManagePrograms, adjustments
//! need AdjustCommissions (and wait for finance above the program's review threshold).
// Form server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use super::plans::PlanChoice;
use super::program_admin::PartnerChoice;
use super::terms::TermsVersionDto;
use super::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

pub const LEDGER_PER_PAGE: i64 = 25;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerLineDto {
    pub id: i64,
    /// "Commission", "Refund reversal", "Adjustment", "Sub-partner override".
    pub kind: String,
    /// `Standing::as_str` (for the badge colour) and its label.
    pub standing: String,
    pub standing_label: String,
    pub amount: String,
    pub order_id: Option<String>,
    pub event: Option<String>,
    pub sale_amount: Option<String>,
    /// "v3 · Creators 2026" when the entry was computed under a terms version.
    pub terms: Option<String>,
    pub explanation: String,
    pub created_at: String,
    pub payable_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BalanceDto {
    pub label: String,
    pub amount: String,
    pub entries: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartnerInProgramDto {
    pub program_id: i64,
    pub program_name: String,
    pub currency: String,
    pub partner_id: i64,
    pub partner_name: String,
    pub partner_email: String,
    pub partner_kind: String,
    pub partner_country: String,
    /// The membership's status: applied, active, rejected or suspended.
    pub status: String,
    pub flagged: Option<String>,
    /// The operators' tags on this membership, which segments filter on.
    pub tags: Vec<String>,
    pub current: Option<TermsVersionDto>,
    pub upcoming: Vec<TermsVersionDto>,
    /// Every version, newest first.
    pub history: Vec<TermsVersionDto>,
    pub plans: Vec<PlanChoice>,
    pub master: Option<PartnerChoice>,
    /// Other active partners that could be its master.
    pub master_choices: Vec<PartnerChoice>,
    pub subs: Vec<PartnerChoice>,
    pub balances: Vec<BalanceDto>,
    pub ledger: Paged<LedgerLineDto>,
    pub can_manage: bool,
    pub can_adjust: bool,
    /// Which adjustments wait for finance in this program, in a sentence, and the threshold as
    /// a plain number (the form tells, as an amount is typed, which way it will go).
    pub adjustment_review: String,
    pub adjustment_review_above: String,
}

#[cfg(feature = "ssr")]
mod read {
    use super::*;
    use crate::backend::repos::ledger::{BalanceRow, LedgerLine};
    use crate::domain::commission::ledger::{EntryKind, Standing};
    use crate::domain::{format, money};

    pub fn line(l: LedgerLine) -> LedgerLineDto {
        let standing = Standing::parse(&l.standing);
        let stage = match l.stage.as_deref() {
            Some("finance") => " (finance)",
            Some("manager") => " (manager)",
            _ => "",
        };
        LedgerLineDto {
            id: l.id,
            kind: EntryKind::parse(&l.kind).map_or(l.kind.clone(), |k| k.label().to_owned()),
            standing_label: format!(
                "{}{stage}",
                standing.map_or(l.standing.clone(), |s| s.label().to_owned())
            ),
            standing: l.standing,
            amount: money::format(l.amount, &l.currency),
            order_id: l.order_id,
            event: l.event,
            sale_amount: l.sale_amount.map(|a| money::format(a, &l.currency)),
            terms: l
                .terms_version
                .map(|v| format!("v{v} · {}", l.plan_name.unwrap_or_default())),
            explanation: l.explanation,
            created_at: format::datetime(l.created_at),
            payable_at: format::date(l.payable_at),
        }
    }

    /// One card per standing, zero when the partner has nothing in it.
    pub fn balances(rows: &[BalanceRow], currency: &str) -> Vec<BalanceDto> {
        Standing::ALL
            .into_iter()
            .map(|standing| {
                let matching = rows
                    .iter()
                    .filter(|r| r.standing == standing.as_str() && r.currency == currency);
                let (amount, entries) = matching.fold((rust_decimal::Decimal::ZERO, 0), |(a, n), r| {
                    (a + r.amount, n + r.entries)
                });
                BalanceDto {
                    label: standing.label().to_owned(),
                    amount: money::format(amount, currency),
                    entries,
                }
            })
            .collect()
    }
}

#[server(input = GetUrl)]
pub async fn partner_in_program(
    program_id: i64,
    partner_id: i64,
    page: Option<i64>,
) -> Result<PartnerInProgramDto, AppError> {
    use super::terms::support::version_dto;
    use crate::backend::ctx;
    use crate::backend::repos::ledger::{self, LedgerFilter};
    use crate::backend::repos::{memberships, partners, sub_partners, terms};
    use crate::domain::{access::Permission, partner_kind::PartnerKind};
    let operator = ctx::require_program_operator(program_id).await?;
    let now = ctx::now();
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, program_id).await?;
    let membership = memberships::find(&mut conn, partner_id, program_id)
        .await?
        .ok_or_else(|| AppError::NotFound("That partner isn't in this program.".into()))?;
    let partner = partners::get(&conn, partner_id).await?;
    let currency = program.currency.clone();
    let version = |row| version_dto(row, &currency);
    let current = terms::in_force(&conn, program_id, partner_id, now).await?.map(version);
    let history = terms::history(&mut conn, program_id, partner_id).await?;
    let mut upcoming: Vec<_> = history.iter().filter(|t| t.effective_from > now).cloned().collect();
    upcoming.sort_by_key(|t| (t.effective_from, t.version));
    let master_choices = memberships::active_partners(&mut conn, program_id)
        .await?
        .into_iter()
        .filter(|(id, _, _)| *id != partner_id)
        .map(|(id, name, _)| PartnerChoice { id, name })
        .collect();
    let choice = |(id, name)| PartnerChoice { id, name };
    let page = page.unwrap_or(1).max(1);
    let filter = LedgerFilter {
        partner_id,
        programs: Some(vec![program_id]),
        standing: None,
        page,
        per_page: LEDGER_PER_PAGE,
    };
    let lines = ledger::lines(&mut conn, &filter, now).await?;
    let balances = ledger::balances(&mut conn, partner_id, Some(&[program_id]), now).await?;
    let review_above =
        crate::backend::repos::commission_settings::adjustment_review_above(&mut conn, program_id).await?;
    Ok(PartnerInProgramDto {
        program_id,
        partner_id,
        partner_kind: PartnerKind::parse(&partner.kind).map_or(partner.kind.clone(), |k| k.label().to_owned()),
        partner_country: partner.country,
        partner_name: partner.name,
        partner_email: partner.email,
        status: membership.status,
        flagged: memberships::flag(&mut conn, program_id, partner_id).await?,
        tags: memberships::tags(&mut conn, program_id, partner_id)
            .await?
            .unwrap_or_default(),
        current,
        upcoming: upcoming.into_iter().map(version).collect(),
        history: history.into_iter().map(version).collect(),
        plans: super::plans::plan_choices(&mut conn, program_id).await?,
        master: sub_partners::master_of(&mut conn, program_id, partner_id)
            .await?
            .map(choice),
        master_choices,
        subs: sub_partners::subs_of(&mut conn, program_id, partner_id)
            .await?
            .into_iter()
            .map(choice)
            .collect(),
        balances: read::balances(&balances, &program.currency),
        ledger: Paged::from_page(lines, page, LEDGER_PER_PAGE, read::line),
        can_manage: operator.role.can(Permission::ManagePrograms),
        can_adjust: operator.role.can(Permission::AdjustCommissions),
        adjustment_review: crate::domain::commission::adjustment::review_note(review_above, &program.currency),
        adjustment_review_above: review_above.normalize().to_string(),
        program_name: program.name,
        currency: program.currency,
    })
}

#[server]
pub async fn change_partner_terms(
    csrf_token: String,
    program_id: i64,
    partner_id: i64,
    #[server(default)] plan_id: String,
    #[server(default)] rate: String,
    #[server(default)] flat: String,
    #[server(default)] cap_per_conversion: String,
    #[server(default)] cap_per_period: String,
    #[server(default)] effective_from: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use super::terms::support::{apply, keep_typed, Selection};
    use crate::backend::ctx;
    use crate::domain::{access::Permission, commission::terms_form::TermsInput};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let input = TermsInput {
        plan_id,
        rate,
        flat,
        cap_per_conversion,
        cap_per_period,
        effective_from,
        reason,
    };
    apply(&operator, program_id, &input, Selection::One(partner_id))
        .await
        .map_err(|e| keep_typed(e, &input.echo()))?;
    super::flash::after_plain_post("Terms changed: a new version, and an email to the partner.").await
}

/// Flags the partner (`flag` = "yes", with a reason) or clears the flag.
#[server]
pub async fn set_partner_flag(
    csrf_token: String,
    program_id: i64,
    partner_id: i64,
    flag: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::backend::{commissions::partners, ctx};
    use crate::domain::{access::Permission, validate::FieldErrors};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let flagging = flag == "yes";
    if flagging && reason.trim().is_empty() {
        let message = "Say why you flag this partner; the audit trail keeps it.";
        return Err(AppError::Invalid(
            FieldErrors::single("reason", message).with_submitted(&[("reason", &reason)]),
        ));
    }
    let meta = ctx::request_meta();
    let reason = flagging.then_some(reason.as_str());
    partners::set_flag(
        &mut *ctx::db().await?,
        &operator.user,
        program_id,
        partner_id,
        reason,
        &meta,
    )
    .await?;
    super::flash::after_plain_post(if flagging {
        "Partner flagged: its new commissions go on hold."
    } else {
        "Flag cleared: new commissions follow the usual approval rules again."
    })
    .await
}

/// Sets the partner's master (`master_id` empty: no master).
#[server]
pub async fn set_partner_master(
    csrf_token: String,
    program_id: i64,
    partner_id: i64,
    #[server(default)] master_id: String,
) -> Result<(), AppError> {
    use crate::backend::{commissions::partners, ctx};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let master = match master_id.trim() {
        "" => None,
        id => Some(
            id.parse::<i64>()
                .map_err(|_| AppError::field("master_id", "Choose a partner from the list."))?,
        ),
    };
    let meta = ctx::request_meta();
    let mut conn = ctx::db().await?;
    partners::set_master(
        &mut conn,
        Some(&operator.user),
        program_id,
        partner_id,
        master,
        &meta,
        ctx::now(),
    )
    .await
    .map_err(|e| super::terms::support::keep_typed(e, &[("master_id", &master_id)]))?;
    super::flash::after_plain_post(if master.is_some() {
        "Master set: it earns its override share of this partner's commissions from now on."
    } else {
        "Master removed."
    })
    .await
}

/// A manual adjustment (either sign) with a reason the partner sees. Returns what happened to
/// it: approved at once, or waiting for finance.
#[server]
pub async fn adjust_partner(
    csrf_token: String,
    program_id: i64,
    partner_id: i64,
    #[server(default)] amount: String,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    use crate::backend::{commissions::adjust::adjust, ctx};
    use crate::domain::{access::Permission, commission::adjustment::AdjustmentInput};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::AdjustCommissions).await?;
    let input = AdjustmentInput { amount, reason };
    let typed = [("amount", input.amount.as_str()), ("reason", input.reason.as_str())];
    let meta = ctx::request_meta();
    let mut conn = ctx::db().await?;
    let adjusted = adjust(
        &mut conn,
        &operator.user,
        program_id,
        partner_id,
        &input,
        &meta,
        ctx::now(),
    )
    .await
    .map_err(|e| super::terms::support::keep_typed(e, &typed))?;
    let message = crate::domain::commission::adjustment::recorded(adjusted.state);
    super::flash::after_plain_post(message).await?;
    Ok(message.into())
}
