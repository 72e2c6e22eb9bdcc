//! Segments (console, a program's Segments tab): the saved segments with their members counted
//! now, the count and first members of a filter while it is edited, the save and the delete; and
//! the tags on a partner's membership that segments filter on (console partner page).

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentDto {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Members today, or None when the filter no longer reads (a tier the ladder dropped).
    pub members: Option<i64>,
    pub fields: Vec<(String, String)>,
    pub csv_href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramSegmentsDto {
    pub program_id: i64,
    pub program_name: String,
    pub currency: String,
    pub can_manage: bool,
    pub tiers: Vec<String>,
    pub active_partners: i64,
    pub segments: Vec<SegmentDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampleMemberDto {
    pub partner_id: i64,
    pub name: String,
    pub revenue: String,
    pub last_active: String,
}

/// A filter's count while it is edited, with its first members.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentCountDto {
    pub count: i64,
    pub description: String,
    pub window_days: i32,
    pub sample: Vec<SampleMemberDto>,
}

/// How many members a preview lists.
pub const SAMPLE: u32 = 10;

#[server(input = GetUrl)]
pub async fn program_segments(program_id: i64) -> Result<ProgramSegmentsDto, AppError> {
    use crate::backend::repos::segments as repo;
    use crate::backend::{ctx, segments};
    use crate::domain::access::Permission;
    use crate::domain::segments::filter::{self, Filter};
    let operator = ctx::require_program_operator(program_id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, program_id).await?;
    let today = ctx::now().date();
    let tiers = segments::tier_names(&mut conn, program_id).await?;
    let active_partners = repo::count(&mut conn, program_id, &Filter::default(), today).await?;
    let mut list = Vec::new();
    for row in repo::list(&mut conn, program_id).await? {
        let fields = row.fields();
        let parsed = filter::parse(&fields, &tiers).ok();
        let members = match &parsed {
            Some(f) => Some(repo::count(&mut conn, program_id, f, today).await?),
            None => None,
        };
        let mut fields: Vec<(String, String)> = fields.into_iter().collect();
        fields.sort();
        list.push(SegmentDto {
            id: row.id,
            description: parsed.map_or_else(
                || "Names a tier the program no longer has: edit it.".into(),
                |f| f.describe(&program.currency),
            ),
            name: row.name,
            members,
            fields,
            csv_href: format!("/console/programs/{program_id}/segments/{}.csv", row.id),
        });
    }
    Ok(ProgramSegmentsDto {
        program_id,
        program_name: program.name,
        currency: program.currency,
        can_manage: operator.role.can(Permission::ManagePrograms),
        tiers,
        active_partners,
        segments: list,
    })
}

/// The count and first members of the filter in `fields` (a JSON object of the form's fields).
#[server(input = GetUrl)]
pub async fn count_segment(program_id: i64, fields: String) -> Result<SegmentCountDto, AppError> {
    use crate::backend::repos::segments as repo;
    use crate::backend::{ctx, segments};
    use crate::domain::{format, money};
    let operator = ctx::require_program_operator(program_id).await?;
    let fields: HashMap<String, String> =
        serde_json::from_str(&fields).map_err(|_| AppError::Request("The filter's fields are not readable.".into()))?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, program_id).await?;
    let filter = segments::parse(&mut conn, program_id, &fields).await?;
    let today = ctx::now().date();
    let count = repo::count(&mut conn, program_id, &filter, today).await?;
    let sample = repo::members(&mut conn, program_id, &filter, today, Some(SAMPLE))
        .await?
        .into_iter()
        .map(|m| SampleMemberDto {
            partner_id: m.facts.partner_id,
            name: m.name,
            revenue: money::format(m.facts.revenue, &program.currency),
            last_active: m
                .facts
                .last_active
                .map_or_else(|| "No activity in a year".into(), format::day),
        })
        .collect();
    Ok(SegmentCountDto {
        count,
        description: filter.describe(&program.currency),
        window_days: filter.window_days,
        sample,
    })
}

/// Saves the filter in `fields` as a segment (a new one when `segment_id` is empty).
#[server]
pub async fn save_segment(
    csrf_token: String,
    program_id: i64,
    #[server(default)] segment_id: String,
    #[server(default)] name: String,
    #[server(default)] fields: HashMap<String, String>,
) -> Result<String, AppError> {
    use crate::backend::{ctx, segments};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let id = match segment_id.trim() {
        "" => None,
        text => Some(
            text.parse::<i64>()
                .map_err(|_| AppError::NotFound(segments::SEGMENT_MISSING.into()))?,
        ),
    };
    let mut conn = ctx::db().await?;
    let draft = segments::Draft {
        id,
        name: &name,
        fields: &fields,
    };
    segments::save(
        &mut conn,
        &operator.user,
        &ctx::request_meta(),
        program_id,
        &draft,
        ctx::now(),
    )
    .await?;
    let message = format!("Saved the segment \"{}\".", name.trim());
    super::flash::after_plain_post(message.clone()).await?;
    leptos_axum::redirect(&format!("/console/programs/{program_id}/segments"));
    Ok(message)
}

#[server]
pub async fn delete_segment(csrf_token: String, program_id: i64, segment_id: i64) -> Result<String, AppError> {
    use crate::backend::{ctx, segments};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let mut conn = ctx::db().await?;
    segments::delete(&mut conn, &operator.user, &ctx::request_meta(), program_id, segment_id).await?;
    let message = "Deleted the segment.".to_owned();
    super::flash::after_plain_post(message.clone()).await?;
    leptos_axum::redirect(&format!("/console/programs/{program_id}/segments"));
    Ok(message)
}

/// Replaces a partner's tags in the program (a comma-separated list; empty clears them).
#[server]
pub async fn set_partner_tags(
    csrf_token: String,
    program_id: i64,
    partner_id: i64,
    #[server(default)] tags: String,
) -> Result<String, AppError> {
    use crate::backend::{ctx, segments};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let mut conn = ctx::db().await?;
    let saved = segments::set_tags(
        &mut conn,
        &operator.user,
        &ctx::request_meta(),
        program_id,
        partner_id,
        &tags,
    )
    .await?;
    let message = if saved.is_empty() {
        "Cleared the partner's tags.".to_owned()
    } else {
        format!("Tagged the partner {}.", saved.join(", "))
    };
    super::flash::after_plain_post(message.clone()).await?;
    leptos_axum::redirect(&format!("/console/programs/{program_id}/partners/{partner_id}"));
    Ok(message)
}
