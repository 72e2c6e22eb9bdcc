//! The partner's deals: the list by stage, the registration form, one deal's page, moving it
//! through stages and asking for more protection.
// Form server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::{DealDetailDto, DealRowDto, StageTotalDto};
use crate::api::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyDealsDto {
    pub deals: Vec<DealRowDto>,
    pub stages: Vec<StageTotalDto>,
    /// Whether any program takes registrations from this partner.
    pub can_register: bool,
}

/// A program the partner can register deals in, with its catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealProgramDto {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub protection_days: i32,
    pub products: Vec<(i64, String)>,
    /// The partner's approved MDF activities in this program, a deal's possible source.
    pub activities: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegisterOptionsDto {
    pub programs: Vec<DealProgramDto>,
    pub countries: Vec<(String, String)>,
    /// Currencies of those programs, for the currency list.
    pub currencies: Vec<String>,
    /// Why the partner can't register anywhere, when they can't.
    pub refusal: Option<String>,
}

#[cfg(feature = "ssr")]
async fn acting_partner() -> Result<
    (
        crate::backend::ctx::PartnerUser,
        crate::backend::flows::RequestMeta,
        String,
    ),
    AppError,
> {
    use crate::backend::ctx;
    let me = ctx::require_partner().await?;
    Ok((me, ctx::request_meta(), ctx::state()?.settings.base_url.clone()))
}

#[cfg(feature = "ssr")]
async fn registrable_programs(
    conn: &mut diesel_async::AsyncPgConnection,
    partner_id: i64,
    brand: Option<i64>,
) -> Result<(Vec<DealProgramDto>, Option<String>), AppError> {
    use crate::backend::deals::register::may_register;
    use crate::backend::repos::{deal_catalogue, memberships};
    let mut programs = Vec::new();
    let mut refusal = None;
    for (membership, ..) in memberships::list_for_partner(conn, partner_id, brand).await? {
        match may_register(conn, partner_id, membership.program_id).await {
            Ok(settings) => {
                let products = deal_catalogue::products(conn, settings.id)
                    .await?
                    .into_iter()
                    .filter(|p| p.archived_at.is_none())
                    .map(|p| (p.id, p.name))
                    .collect();
                let activities = deal_catalogue::sourcing_activities(conn, partner_id, settings.id).await?;
                let protection_days = deal_catalogue::protection_days(conn, settings.id, partner_id).await?;
                programs.push(DealProgramDto {
                    activities,
                    id: settings.id,
                    name: settings.name,
                    currency: settings.currency,
                    protection_days,
                    products,
                });
            }
            Err(AppError::Invalid(errors)) => refusal = errors.get("program_id").map(str::to_owned).or(refusal),
            Err(other) => return Err(other),
        }
    }
    if programs.is_empty() && refusal.is_none() {
        refusal = Some("You can register deals once a program approves you.".into());
    }
    let refusal = refusal.filter(|_| programs.is_empty());
    Ok((programs, refusal))
}

#[server(input = GetUrl)]
pub async fn my_deals() -> Result<MyDealsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::deals;
    let me = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let listings = deals::list_for_partner(&mut conn, me.partner_id, me.brand).await?;
    let (programs, _) = registrable_programs(&mut conn, me.partner_id, me.brand).await?;
    let now = ctx::now();
    Ok(MyDealsDto {
        stages: super::build::stage_totals(&listings),
        deals: listings.iter().map(|l| super::build::row(l, false, now)).collect(),
        can_register: !programs.is_empty(),
    })
}

#[server(input = GetUrl)]
pub async fn register_options() -> Result<RegisterOptionsDto, AppError> {
    use crate::backend::ctx;
    let me = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let (programs, refusal) = registrable_programs(&mut conn, me.partner_id, me.brand).await?;
    let mut currencies: Vec<String> = programs.iter().map(|p| p.currency.clone()).collect();
    currencies.sort();
    currencies.dedup();
    Ok(RegisterOptionsDto {
        programs,
        countries: crate::domain::country::all()
            .map(|(code, name)| (code.to_owned(), name.to_owned()))
            .collect(),
        currencies,
        refusal,
    })
}

/// Registers a deal and opens its page.
#[server]
pub async fn register_deal(
    csrf_token: String,
    program_id: String,
    company: String,
    domain: String,
    country: String,
    contact_name: String,
    contact_email: String,
    #[server(default)] contact_title: String,
    #[server(default)] products: Vec<String>,
    value: String,
    currency: String,
    expected_close: String,
    #[server(default)] notes: String,
    #[server(default)] mdf_request: String,
) -> Result<i64, AppError> {
    use crate::backend::ctx;
    use crate::backend::deals::{register, Acting};
    use crate::domain::deals::registration::RegistrationForm;
    ctx::verify_csrf(&csrf_token)?;
    let (me, meta, base_url) = acting_partner().await?;
    let program_id = program_id
        .parse::<i64>()
        .map_err(|_| AppError::field("program_id", "Choose a program from the list."))?;
    let form = RegistrationForm {
        company,
        domain,
        country,
        contact_name,
        contact_email,
        contact_title,
        products,
        value,
        currency,
        expected_close,
        notes,
        mdf_request,
    };
    let acting = Acting {
        user: &me.user,
        meta: &meta,
        base_url: &base_url,
        now: ctx::now(),
    };
    let deal = register::register(&mut *ctx::db().await?, &acting, me.partner_id, program_id, &form).await?;
    crate::api::flash::after_plain_post(format!(
        "Deal #{} registered. The program team reviews it next.",
        deal.id
    ))
    .await?;
    leptos_axum::redirect(&format!("/portal/deals/{}", deal.id));
    Ok(deal.id)
}

#[server(input = GetUrl)]
pub async fn my_deal(id: i64) -> Result<DealDetailDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::deals;
    let me = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let listing = deals::get_for_partner(&mut conn, me.partner_id, id)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such deal among yours.".into()))?;
    super::build::detail_of(&mut conn, listing, false, false, ctx::now()).await
}

/// The partner moves their deal to a stage (won books its commission).
#[server]
pub async fn move_deal(
    csrf_token: String,
    id: i64,
    stage: String,
    value: String,
    #[server(default)] expected_close: String,
) -> Result<String, AppError> {
    use crate::backend::ctx;
    use crate::backend::deals::progress::{self, StageForm};
    use crate::backend::deals::Acting;
    use crate::backend::scope::Whose;
    ctx::verify_csrf(&csrf_token)?;
    let (me, meta, base_url) = acting_partner().await?;
    let form = StageForm {
        stage,
        value,
        expected_close,
        note: String::new(),
    };
    let acting = Acting {
        user: &me.user,
        meta: &meta,
        base_url: &base_url,
        now: ctx::now(),
    };
    let moved = progress::change_stage(
        &mut *ctx::db().await?,
        &acting,
        Whose::Partner(me.partner_id),
        id,
        &form,
    )
    .await?;
    let message = super::build::moved_message(&moved);
    crate::api::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

#[server]
pub async fn request_extension(csrf_token: String, id: i64, days: String, reason: String) -> Result<String, AppError> {
    use crate::backend::ctx;
    use crate::backend::deals::{extensions, Acting};
    ctx::verify_csrf(&csrf_token)?;
    let (me, meta, base_url) = acting_partner().await?;
    let acting = Acting {
        user: &me.user,
        meta: &meta,
        base_url: &base_url,
        now: ctx::now(),
    };
    extensions::request(&mut *ctx::db().await?, &acting, me.partner_id, id, &days, &reason).await?;
    let message = "Extension requested. The program team decides and emails you.".to_owned();
    crate::api::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}
