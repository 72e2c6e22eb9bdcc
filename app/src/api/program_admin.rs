//! The console's program pages: tracking settings, coupons, API keys,
//! and switching links off. Reading is open to every operator; changes need ManagePrograms.
// Form server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use super::links::{CouponDto, LinkDto};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramSettingsDto {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub currency: String,
    pub allowed_domains: Vec<String>,
    pub default_landing_url: String,
    pub cookie_days: i32,
    pub attribution_model: String,
    pub click_param: String,
    pub coupons_override: bool,
    pub can_manage: bool,
    pub base_url: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartnerChoice {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramCouponsDto {
    pub coupons: Vec<CouponDto>,
    pub partners: Vec<PartnerChoice>,
    pub can_manage: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyDto {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramKeysDto {
    pub keys: Vec<ApiKeyDto>,
    pub can_manage: bool,
}

#[cfg(feature = "ssr")]
const NEW_KEY_SESSION: &str = "new_api_key";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramLinksDto {
    pub links: Vec<LinkDto>,
    pub can_manage: bool,
}

/// Whether the operator may change program `id`, which they must be able to see: another
/// brand's program is not found.
#[cfg(feature = "ssr")]
async fn can_manage(id: i64) -> Result<bool, AppError> {
    use crate::domain::access::Permission;
    Ok(crate::backend::ctx::require_program_operator(id)
        .await?
        .role
        .can(Permission::ManagePrograms))
}

#[server(input = GetUrl)]
pub async fn program_settings(id: i64) -> Result<ProgramSettingsDto, AppError> {
    use crate::backend::{ctx, errors::not_found_as, repos::tracking_settings};
    let can_manage = can_manage(id).await?;
    let mut conn = ctx::db().await?;
    let p = tracking_settings::get(&mut conn, id)
        .await
        .map_err(|e| not_found_as(e, "That program doesn't exist."))?;
    Ok(ProgramSettingsDto {
        id: p.id,
        name: p.name,
        slug: p.slug,
        currency: p.currency,
        allowed_domains: p.allowed_domains,
        default_landing_url: p.default_landing_url.unwrap_or_default(),
        cookie_days: p.cookie_days,
        attribution_model: p.attribution_model,
        click_param: p.click_param,
        coupons_override: p.coupons_override,
        can_manage,
        base_url: ctx::state()?.settings.base_url.clone(),
    })
}

#[allow(clippy::too_many_arguments)]
#[server]
pub async fn save_program_settings(
    csrf_token: String,
    id: i64,
    allowed_domains: String,
    default_landing_url: String,
    cookie_days: String,
    attribution_model: String,
    click_param: String,
    #[server(default)] coupons_override: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::ctx;
    use crate::backend::flows::program_settings::{self, SettingsForm};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(id, Permission::ManagePrograms).await?;
    let form = SettingsForm {
        allowed_domains,
        default_landing_url,
        cookie_days,
        attribution_model,
        click_param,
        coupons_override: coupons_override.is_some(),
    };
    let meta = ctx::request_meta();
    program_settings::save(&mut *ctx::db().await?, &operator.user.actor(), id, &form, &meta).await?;
    // Click parameter and cookie window live in the link cache.
    ctx::forget(crate::backend::tracking::cache_events::Stale::AllLinks).await?;
    ctx::forget(crate::backend::tracking::cache_events::Stale::Programs).await?;
    super::flash::after_plain_post("Settings saved.").await
}

#[server(input = GetUrl)]
pub async fn program_coupons(id: i64) -> Result<ProgramCouponsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{coupons, memberships};
    let can_manage = can_manage(id).await?;
    let mut conn = ctx::db().await?;
    let coupons = coupons::for_program(&mut conn, id)
        .await?
        .into_iter()
        .map(|(c, partner_name)| CouponDto {
            id: c.id,
            code: c.code,
            program_name: String::new(),
            partner_name,
            created_at: crate::domain::format::date(c.created_at),
        })
        .collect();
    let choices = memberships::active_partners(&mut conn, id)
        .await?
        .into_iter()
        .map(|(id, name, _)| PartnerChoice { id, name })
        .collect();
    Ok(ProgramCouponsDto {
        coupons,
        partners: choices,
        can_manage,
    })
}

#[server]
pub async fn assign_coupon(
    csrf_token: String,
    program_id: i64,
    #[server(default)] partner_id: Option<i64>,
    code: String,
) -> Result<(), AppError> {
    use crate::backend::ctx;
    use crate::backend::flows::program_settings;
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let partner_id = partner_id.ok_or_else(|| AppError::field("partner_id", "Choose a partner."))?;
    let meta = ctx::request_meta();
    program_settings::assign_coupon(
        &mut *ctx::db().await?,
        &operator.user.actor(),
        program_id,
        partner_id,
        &code,
        &meta,
        ctx::now(),
    )
    .await?;
    super::flash::after_plain_post(format!("Coupon {} assigned.", code.trim())).await
}

#[server(input = GetUrl)]
pub async fn program_keys(id: i64) -> Result<ProgramKeysDto, AppError> {
    use crate::backend::{ctx, repos::api_keys};
    use crate::domain::format;
    let can_manage = can_manage(id).await?;
    let keys = api_keys::for_program(&mut *ctx::db().await?, id)
        .await?
        .into_iter()
        .map(|k| ApiKeyDto {
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            created_at: format::datetime(k.created_at),
            revoked_at: k.revoked_at.map(format::datetime),
        })
        .collect();
    Ok(ProgramKeysDto { keys, can_manage })
}

/// A key made by this browser's last plain form post, once: a form post without JavaScript ends
/// in a redirect back to the page, which takes the key from the session while it renders.
/// Taking it removes it from the session, so this is a POST.
#[server]
pub async fn take_new_api_key(csrf_token: String, program_id: i64) -> Result<Option<String>, AppError> {
    use crate::backend::ctx;
    ctx::verify_csrf(&csrf_token)?;
    ctx::require_operator().await?;
    let session = ctx::session().await?;
    let waiting = session
        .get::<(i64, String)>(NEW_KEY_SESSION)
        .await
        .map_err(crate::backend::errors::internal)?;
    // Another program's page leaves the key waiting for its own.
    let Some((_, secret)) = waiting.filter(|(program, _)| *program == program_id) else {
        return Ok(None);
    };
    session
        .remove_value(NEW_KEY_SESSION)
        .await
        .map_err(crate::backend::errors::internal)?;
    Ok(Some(secret))
}

/// Makes a key and returns it: the only time anyone sees it.
#[server]
pub async fn create_api_key(csrf_token: String, program_id: i64, name: String) -> Result<String, AppError> {
    use crate::backend::ctx;
    use crate::backend::flows::program_settings;
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let meta = ctx::request_meta();
    let secret = program_settings::create_key(
        &mut *ctx::db().await?,
        &operator.user,
        program_id,
        &name,
        &meta,
        ctx::now(),
    )
    .await?;
    if ctx::is_plain_form_post().await {
        ctx::session()
            .await?
            .insert(NEW_KEY_SESSION, (program_id, secret.clone()))
            .await
            .map_err(crate::backend::errors::internal)?;
    }
    Ok(secret)
}

#[server]
pub async fn revoke_api_key(csrf_token: String, program_id: i64, key_id: i64) -> Result<(), AppError> {
    use crate::backend::ctx;
    use crate::backend::flows::program_settings;
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let meta = ctx::request_meta();
    program_settings::revoke_key(
        &mut *ctx::db().await?,
        &operator.user.actor(),
        program_id,
        key_id,
        &meta,
        ctx::now(),
    )
    .await?;
    ctx::forget(crate::backend::tracking::cache_events::Stale::Programs).await?;
    super::flash::after_plain_post("Key revoked. Calls that use it are now refused with 401.").await
}

#[server(input = GetUrl)]
pub async fn program_links(id: i64) -> Result<ProgramLinksDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{links, reports};
    let can_manage = can_manage(id).await?;
    let base_url = ctx::state()?.settings.base_url.clone();
    let mut conn = ctx::db().await?;
    let counts = reports::link_lifetime(&mut conn, &[id], None).await?;
    let links = links::for_program(&mut conn, id)
        .await?
        .into_iter()
        .map(|(link, partner)| super::links::link_dto(link, String::new(), partner, &counts, &base_url))
        .collect();
    Ok(ProgramLinksDto { links, can_manage })
}

#[server]
pub async fn set_link_enabled(csrf_token: String, link_id: i64, enabled: bool) -> Result<(), AppError> {
    use crate::backend::{ctx, flows};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_permission(Permission::ManagePrograms).await?;
    let meta = ctx::request_meta();
    let link = flows::links::set_enabled(
        &mut *ctx::db().await?,
        &operator.user.actor(),
        &operator.scope,
        link_id,
        enabled,
        &meta,
        ctx::now(),
    )
    .await?;
    ctx::forget(crate::backend::tracking::cache_events::Stale::Link(link.code.clone())).await?;
    super::flash::after_plain_post(if enabled {
        "Link enabled: it redirects again."
    } else {
        "Link disabled: visitors now see “link not found”."
    })
    .await
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramSummaryDto {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub currency: String,
    pub allowed_domains: Vec<String>,
    pub cookie_days: i32,
}

/// The programs the operator may see, for the console's program list.
#[server(input = GetUrl)]
pub async fn console_programs() -> Result<Vec<ProgramSummaryDto>, AppError> {
    use crate::backend::{ctx, repos::tracking_settings};
    let operator = ctx::require_operator().await?;
    Ok(tracking_settings::list(&mut *ctx::db().await?, &operator.scope)
        .await?
        .into_iter()
        .map(|p| ProgramSummaryDto {
            id: p.id,
            name: p.name,
            slug: p.slug,
            currency: p.currency,
            allowed_domains: p.allowed_domains,
            cookie_days: p.cookie_days,
        })
        .collect())
}
