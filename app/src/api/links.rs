//! Tracked links and coupon codes: the partner's own (portal) and a program's (console).
// Form server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkDto {
    pub id: i64,
    pub program_name: String,
    /// The partner's name (console lists) or empty (portal).
    pub partner_name: String,
    pub code: String,
    pub tracked_url: String,
    pub destination: String,
    pub campaign: Option<String>,
    /// "sub1=yt, sub2=nov" or empty.
    pub subs: String,
    pub is_default: bool,
    pub enabled: bool,
    pub clicks: i64,
    pub conversions: i64,
    /// The tracked URL as a QR code, an SVG document.
    pub qr_svg: String,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkProgramDto {
    pub id: i64,
    pub name: String,
    pub allowed_domains: Vec<String>,
    pub default_landing_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyLinksDto {
    pub links: Vec<LinkDto>,
    /// Programs the partner is active in, for the new-link form.
    pub programs: Vec<LinkProgramDto>,
    pub coupons: Vec<CouponDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CouponDto {
    pub id: i64,
    pub code: String,
    pub program_name: String,
    pub partner_name: String,
    pub created_at: String,
}

#[cfg(feature = "ssr")]
pub(crate) fn qr_svg(url: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color<'_>>()
            .min_dimensions(160, 160)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn link_dto(
    link: crate::backend::repos::links::LinkRow,
    program_name: String,
    partner_name: String,
    counts: &[(i64, i64, i64)],
    base_url: &str,
) -> LinkDto {
    let tracked_url = format!("{base_url}/r/{}", link.code);
    let (clicks, conversions) = counts
        .iter()
        .find(|(id, _, _)| *id == link.id)
        .map_or((0, 0), |(_, c, v)| (*c, *v));
    let subs = link
        .subs()
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.as_ref().map(|s| format!("sub{}={s}", i + 1)))
        .collect::<Vec<_>>()
        .join(", ");
    LinkDto {
        id: link.id,
        program_name,
        partner_name,
        qr_svg: qr_svg(&tracked_url),
        tracked_url,
        destination: link.destination,
        campaign: link.campaign,
        subs,
        is_default: link.is_default,
        enabled: link.disabled_at.is_none(),
        clicks,
        conversions,
        code: link.code,
        created_at: crate::domain::format::date(link.created_at),
    }
}

#[server(input = GetUrl)]
pub async fn my_links() -> Result<MyLinksDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{coupons, links, reports, tracking_settings};
    let me = ctx::require_partner().await?;
    let base_url = ctx::state()?.settings.base_url.clone();
    let mut conn = ctx::db().await?;
    let in_view = me.programs_in_view(&mut conn).await?;
    let shown = |program_id: i64| in_view.as_ref().is_none_or(|ids| ids.contains(&program_id));
    let mut rows = links::for_partner(&mut conn, me.partner_id, None).await?;
    rows.retain(|(link, _, _)| shown(link.program_id));
    let mut program_ids: Vec<i64> = rows.iter().map(|(l, _, _)| l.program_id).collect();
    program_ids.dedup();
    let counts = reports::link_lifetime(&mut conn, &program_ids, Some(me.partner_id)).await?;
    let links = rows
        .into_iter()
        .map(|(link, program, _)| link_dto(link, program, String::new(), &counts, &base_url))
        .collect();
    let programs = tracking_settings::of_active_memberships(&mut conn, me.partner_id)
        .await?
        .into_iter()
        .filter(|settings| shown(settings.id))
        .map(|settings| LinkProgramDto {
            id: settings.id,
            name: settings.name,
            allowed_domains: settings.allowed_domains,
            default_landing_url: settings.default_landing_url,
        })
        .collect();
    let coupons = coupons::for_partner(&mut conn, me.partner_id)
        .await?
        .into_iter()
        .filter(|(c, _)| shown(c.program_id))
        .map(|(c, program_name)| CouponDto {
            id: c.id,
            code: c.code,
            program_name,
            partner_name: String::new(),
            created_at: crate::domain::format::date(c.created_at),
        })
        .collect();
    Ok(MyLinksDto {
        links,
        programs,
        coupons,
    })
}

#[server]
pub async fn create_link(
    csrf_token: String,
    program_id: i64,
    destination: String,
    campaign: String,
    sub1: String,
    sub2: String,
    sub3: String,
    sub4: String,
    sub5: String,
) -> Result<String, AppError> {
    use crate::backend::ctx;
    use crate::backend::flows::links::{self, LinkForm};
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::require_partner().await?;
    let form = LinkForm {
        program_id,
        destination,
        campaign,
        subs: [sub1, sub2, sub3, sub4, sub5],
    };
    let link = links::create(&mut *ctx::db().await?, me.partner_id, &form, ctx::now()).await?;
    let url = format!("{}/r/{}", ctx::state()?.settings.base_url, link.code);
    super::flash::after_plain_post(format!("Your new link is ready: {url}")).await?;
    Ok(url)
}
