//! The settings page's list of links that lead off the program's allowed domains (after a
//! domain was taken off the list), and switching them off in one step. Reading is open to every
//! operator of the program's brand; switching off needs ManagePrograms.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OffDomainLinkDto {
    pub id: i64,
    pub code: String,
    pub partner_name: String,
    pub destination: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OffDomainLinksDto {
    pub links: Vec<OffDomainLinkDto>,
    pub can_manage: bool,
}

#[server(input = GetUrl)]
pub async fn off_domain_links(id: i64) -> Result<OffDomainLinksDto, AppError> {
    use crate::backend::{ctx, flows::off_domain_links};
    use crate::domain::access::Permission;
    let can_manage = ctx::require_program_operator(id)
        .await?
        .role
        .can(Permission::ManagePrograms);
    let links = off_domain_links::list(&mut *ctx::db().await?, id)
        .await?
        .into_iter()
        .map(|(link, partner_name)| OffDomainLinkDto {
            id: link.id,
            code: link.code,
            partner_name,
            destination: link.destination,
        })
        .collect();
    Ok(OffDomainLinksDto { links, can_manage })
}

/// Switches off the listed links (those still off the allowed domains) and says how many.
#[server]
pub async fn switch_off_links(
    csrf_token: String,
    program_id: i64,
    #[server(default)] ids: Vec<i64>,
) -> Result<usize, AppError> {
    use crate::backend::{ctx, flows::off_domain_links};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    use crate::backend::tracking::cache_events;
    let meta = ctx::request_meta();
    let conn = &mut *ctx::db().await?;
    let switched =
        off_domain_links::switch_off(conn, &operator.user.actor(), program_id, &ids, &meta, ctx::now()).await?;
    let caches = &ctx::state()?.tracking;
    for link in &switched {
        cache_events::announce(conn, caches, cache_events::Stale::Link(link.code.clone())).await;
    }
    super::flash::after_plain_post(switched_message(switched.len())).await?;
    Ok(switched.len())
}

pub fn switched_message(count: usize) -> String {
    match count {
        0 => "No links were switched off: they were already off, or lead to an allowed domain again.".into(),
        1 => "1 link switched off: visitors now see “link not found”.".into(),
        n => format!("{n} links switched off: visitors now see “link not found”."),
    }
}
