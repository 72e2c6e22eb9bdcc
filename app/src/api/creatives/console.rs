//! The console's creatives page for one program.

use crate::api::error::AppError;
use crate::domain::creatives::CreativeKind;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreativeRowDto {
    pub id: i64,
    pub kind: CreativeKind,
    pub name: String,
    pub thumb_url: Option<String>,
    /// "728 × 90"
    pub size: Option<String>,
    pub tags: Vec<String>,
    pub landing_url: String,
    /// "Always", "From 1 Dec 2026", "1 Dec 2026 – 31 Dec 2026"
    pub window: String,
    pub visibility: String,
    /// live, scheduled, ended, archived
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramCreativesDto {
    pub program_id: i64,
    pub program_name: String,
    pub allowed_domains: Vec<String>,
    pub creatives: Vec<CreativeRowDto>,
    pub can_manage: bool,
    /// The errors (and typed values) of an add form the server refused, shown once.
    pub refused: Option<AppError>,
}

#[server(input = GetUrl)]
pub async fn program_creatives(id: i64) -> Result<ProgramCreativesDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{creatives, tracking_settings};
    use crate::domain::access::Permission;
    let operator = ctx::require_program_operator(id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, id).await?;
    let allowed_domains = tracking_settings::get(&mut conn, id).await?.allowed_domains;
    let now = ctx::now();
    let rows = creatives::of_program(&mut conn, id).await?;
    let refused = ctx::session()
        .await?
        .remove::<AppError>(&super::refusal_key(id))
        .await
        .map_err(crate::backend::errors::internal)?;
    Ok(ProgramCreativesDto {
        program_id: program.id,
        program_name: program.name,
        allowed_domains,
        creatives: rows.iter().map(|row| build::row(row, now)).collect(),
        can_manage: operator.role.can(Permission::ManagePrograms),
        refused,
    })
}

/// Archives a creative: partners stop seeing it, and its code's clicks go to the link's own page.
#[server]
pub async fn archive_creative(csrf_token: String, program_id: i64, creative_id: i64) -> Result<(), AppError> {
    use crate::backend::creatives::flows;
    use crate::backend::ctx;
    use crate::backend::tracking::cache_events::Stale;
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let mut conn = ctx::db().await?;
    flows::archive(
        &mut conn,
        &operator.user.actor(),
        program_id,
        creative_id,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    ctx::forget(Stale::Creatives).await?;
    crate::api::flash::after_plain_post("Creative archived: partners no longer see it.").await
}

#[cfg(feature = "ssr")]
pub(crate) mod build {
    use super::CreativeRowDto;
    use crate::backend::repos::creatives::CreativeRow;
    use crate::domain::creatives::CreativeKind;
    use crate::domain::format::date;
    use time::OffsetDateTime;

    pub fn row(row: &CreativeRow, now: OffsetDateTime) -> CreativeRowDto {
        let status = if row.archived_at.is_some() {
            "archived"
        } else if row.active_from.is_some_and(|from| now < from) {
            "scheduled"
        } else if row.active_until.is_some_and(|until| now >= until) {
            "ended"
        } else {
            "live"
        };
        CreativeRowDto {
            id: row.id,
            kind: CreativeKind::parse(&row.kind).unwrap_or(CreativeKind::Text),
            name: row.name.clone(),
            thumb_url: row
                .thumb_sha256
                .as_deref()
                .map(|sha| super::super::file_path(sha, "image/png")),
            size: size(row),
            tags: row.tags.clone(),
            landing_url: row.landing_url.clone(),
            window: window(row.active_from, row.active_until),
            visibility: row.visibility().describe(),
            status: status.into(),
        }
    }

    pub fn size(row: &CreativeRow) -> Option<String> {
        Some(format!("{} × {}", row.width?, row.height?))
    }

    /// The active window in days as the operator entered them (the stored end is exclusive).
    fn window(from: Option<OffsetDateTime>, until: Option<OffsetDateTime>) -> String {
        let last_day = until.map(|u| date(u - time::Duration::days(1)));
        match (from.map(date), last_day) {
            (None, None) => "Always".into(),
            (Some(from), None) => format!("From {from}"),
            (None, Some(to)) => format!("Until {to}"),
            (Some(from), Some(to)) => format!("{from} – {to}"),
        }
    }
}
