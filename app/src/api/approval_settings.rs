//! A program's commission settings in the console: when commissions are approved automatically,
//! when finance must approve too, the lock period, the approval SLA and sub-partner invitations;
//! and which manual adjustments wait for finance. Reading is open to every operator; changes
//! need ManagePrograms, except the adjustment threshold, which needs ApproveFinance: it is the
//! control on managers' own adjustments, so they don't set it.
// Form server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApprovalSettingsDto {
    pub program_id: i64,
    pub program_name: String,
    pub currency: String,
    /// Plain numbers for the form ("" when not set) ...
    pub auto_approve_below: String,
    pub finance_above: String,
    /// ... and formatted with the currency for reading ("" when not set).
    pub auto_approve_below_text: String,
    pub finance_above_text: String,
    pub lock_days: i32,
    pub sla_remind_hours: i32,
    pub sla_escalate_hours: i32,
    pub sub_partner_invites: bool,
    pub can_manage: bool,
    /// Adjustments above this (either sign) wait for finance: plain for the form, and as a
    /// sentence for reading.
    pub adjustment_review_above: String,
    pub adjustment_review_text: String,
    pub can_set_adjustment_review: bool,
}

#[server(input = GetUrl)]
pub async fn approval_settings(id: i64) -> Result<ApprovalSettingsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::commission_settings;
    use crate::domain::{access::Permission, money};
    let operator = ctx::require_program_operator(id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, id).await?;
    let s = commission_settings::get(&mut conn, id).await?;
    let review_above = commission_settings::adjustment_review_above(&mut conn, id).await?;
    let plain = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
    let text = |d: Option<rust_decimal::Decimal>| d.map(|d| money::format(d, &program.currency)).unwrap_or_default();
    Ok(ApprovalSettingsDto {
        program_id: program.id,
        auto_approve_below: plain(s.auto_approve_below),
        finance_above: plain(s.finance_above),
        auto_approve_below_text: text(s.auto_approve_below),
        finance_above_text: text(s.finance_above),
        lock_days: s.lock_days,
        sla_remind_hours: s.sla_remind_hours,
        sla_escalate_hours: s.sla_escalate_hours,
        sub_partner_invites: s.sub_partner_invites,
        can_manage: operator.role.can(Permission::ManagePrograms),
        adjustment_review_above: review_above.normalize().to_string(),
        adjustment_review_text: crate::domain::commission::adjustment::review_note(review_above, &program.currency),
        can_set_adjustment_review: operator.role.can(Permission::ApproveFinance),
        program_name: program.name,
        currency: program.currency,
    })
}

#[server]
pub async fn save_approval_settings(
    csrf_token: String,
    program_id: i64,
    auto_approve_below: String,
    finance_above: String,
    lock_days: String,
    sla_remind_hours: String,
    sla_escalate_hours: String,
    #[server(default)] sub_partner_invites: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{commissions::settings, ctx};
    use crate::domain::{access::Permission, commission::settings_form::SettingsInput};
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let input = SettingsInput {
        auto_approve_below,
        finance_above,
        lock_days,
        sla_remind_hours,
        sla_escalate_hours,
        sub_partner_invites: sub_partner_invites.is_some_and(|v| !v.is_empty()),
    };
    let meta = ctx::request_meta();
    settings::save(&mut *ctx::db().await?, &operator.user, program_id, &input, &meta).await?;
    ctx::forget(crate::backend::tracking::cache_events::Stale::Programs).await?;
    super::flash::after_plain_post("Approval settings saved. They apply to commissions from now on.").await
}

/// Sets which manual adjustments wait for finance: those above this amount (0: all of them).
#[server]
pub async fn save_adjustment_review(
    csrf_token: String,
    program_id: i64,
    adjustment_review_above: String,
) -> Result<(), AppError> {
    use crate::backend::{commissions::settings, ctx};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_permission(Permission::ApproveFinance).await?;
    let meta = ctx::request_meta();
    let typed = [("adjustment_review_above", adjustment_review_above.as_str())];
    settings::save_adjustment_review(
        &mut *ctx::db().await?,
        &operator.user,
        program_id,
        &adjustment_review_above,
        &meta,
    )
    .await
    .map_err(|e| super::terms::support::keep_typed(e, &typed))?;
    super::flash::after_plain_post("Adjustment review saved. It applies to adjustments from now on.").await
}
