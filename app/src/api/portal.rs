//! The partner portal's own data. The partner id always comes from the session.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyProgramDto {
    pub program_name: String,
    pub program_slug: String,
    pub currency: String,
    pub status: String,
    pub status_label: String,
    pub reason: Option<String>,
    pub applied_at: String,
    pub decided_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalOverviewDto {
    pub partner_name: String,
    pub partner_kind: String,
    pub country: String,
    pub programs: Vec<MyProgramDto>,
}

#[server(input = GetUrl)]
pub async fn portal_overview() -> Result<PortalOverviewDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{memberships, partners};
    use crate::domain::{format, membership::MembershipStatus, partner_kind::PartnerKind};
    let me = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let partner = partners::get(&conn, me.partner_id).await?;
    let programs = memberships::list_for_partner(&mut conn, me.partner_id, me.brand)
        .await?
        .into_iter()
        .map(|(m, program_name, program_slug, currency)| MyProgramDto {
            program_name,
            program_slug,
            currency,
            status_label: MembershipStatus::parse(&m.status)
                .map(|s| s.label().to_owned())
                .unwrap_or_default(),
            status: m.status,
            reason: m.status_reason,
            applied_at: format::date(m.applied_at),
            decided_at: m.decided_at.map(format::date),
        })
        .collect();
    Ok(PortalOverviewDto {
        partner_name: partner.name,
        partner_kind: PartnerKind::parse(&partner.kind)
            .map(|k| k.label().to_owned())
            .unwrap_or(partner.kind),
        country: crate::domain::country::name(&partner.country)
            .unwrap_or_default()
            .to_owned(),
        programs,
    })
}
