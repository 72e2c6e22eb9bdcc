//! Announcements: a program's list and the form that posts one (console), and a partner
//! person's list with what they haven't read (portal). Reads are recorded per person.
// Form server functions take one argument per field.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnnouncementDto {
    pub id: i64,
    pub title: String,
    /// The Markdown rendered on the server and sanitized.
    pub html: String,
    pub program_name: String,
    /// Console: "All partners", "Tier Gold", "Segment Top EU (3 partners)" …; portal: empty.
    pub audience: String,
    pub posted_at: String,
    pub emailed: bool,
    /// Console: people who read it. Portal: 1 when this person has, else 0.
    pub reads: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramAnnouncementsDto {
    pub program_id: i64,
    pub program_name: String,
    pub announcements: Vec<AnnouncementDto>,
    /// The program's segments (id, name), which an announcement may go to.
    pub segments: Vec<(i64, String)>,
    pub can_manage: bool,
}

#[server(input = GetUrl)]
pub async fn program_announcements(id: i64) -> Result<ProgramAnnouncementsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::announcements;
    use crate::domain::access::Permission;
    let operator = ctx::require_program_operator(id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, id).await?;
    let announcements = announcements::of_program(&mut conn, id)
        .await?
        .into_iter()
        .map(|(row, reads)| build::dto(&row, &program.name, reads))
        .collect();
    let segments = crate::backend::repos::segments::list(&mut conn, id)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(ProgramAnnouncementsDto {
        program_id: program.id,
        program_name: program.name,
        announcements,
        segments,
        can_manage: operator.role.can(Permission::ManagePrograms),
    })
}

/// Posts an announcement; with `email`, it also goes to every admitted person by email. Returns
/// how many emails were queued.
#[server]
pub async fn post_announcement(
    csrf_token: String,
    program_id: i64,
    title: String,
    body: String,
    #[server(default)] visibility: String,
    #[server(default)] audience: String,
    #[server(default)] segment_id: String,
    #[server(default)] email: Option<String>,
) -> Result<usize, AppError> {
    use crate::backend::{announcements, ctx};
    use crate::domain::access::Permission;
    use crate::domain::announcements::AnnouncementInput;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let input = AnnouncementInput {
        title,
        body,
        visibility,
        audience,
        segment_id,
        email: email.is_some(),
    };
    let base_url = ctx::state()?.settings.base_url.clone();
    let mut conn = ctx::db().await?;
    let (_, sent) = announcements::post(
        &mut conn,
        &operator.user.actor(),
        program_id,
        &input,
        &base_url,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    crate::api::flash::after_plain_post(match sent {
        0 => "Announcement posted.".to_owned(),
        n => format!("Announcement posted and emailed to {n} people."),
    })
    .await?;
    Ok(sent)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyAnnouncementsDto {
    pub announcements: Vec<AnnouncementDto>,
    pub unread: usize,
}

#[server(input = GetUrl)]
pub async fn my_announcements() -> Result<MyAnnouncementsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::announcements;
    let me = ctx::require_partner().await?;
    let rows = announcements::for_person(&mut *ctx::db().await?, me.partner_id, me.user.id).await?;
    let unread = rows.iter().filter(|a| a.read_at.is_none()).count();
    Ok(MyAnnouncementsDto {
        announcements: rows
            .iter()
            .map(|a| build::portal_dto(&a.announcement, &a.program_name, a.read_at.is_some()))
            .collect(),
        unread,
    })
}

/// Marks announcements read for this person: the ids given, or every one (`all`).
#[server]
pub async fn mark_announcements_read(
    csrf_token: String,
    #[server(default)] ids: Vec<i64>,
    #[server(default)] all: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::announcements;
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let visible: Vec<i64> = announcements::for_person(&mut conn, me.partner_id, me.user.id)
        .await?
        .iter()
        .map(|a| a.announcement.id)
        .collect();
    let chosen = if all.is_some() { visible.clone() } else { ids };
    // Only announcements this person may see: any other id is as missing as one that doesn't exist.
    if chosen.is_empty() || chosen.iter().any(|id| !visible.contains(id)) {
        return Err(AppError::NotFound("That announcement doesn't exist.".into()));
    }
    announcements::mark_read(&mut conn, me.user.id, &chosen, ctx::now()).await?;
    Ok(())
}

/// How many announcements this partner person hasn't read (for the portal's navigation).
#[cfg(feature = "ssr")]
pub async fn unread_count(
    conn: &mut diesel_async::AsyncPgConnection,
    partner_id: i64,
    user_id: i64,
) -> Result<usize, AppError> {
    Ok(crate::backend::repos::announcements::unread_count(conn, partner_id, user_id).await?)
}

#[cfg(feature = "ssr")]
mod build {
    use super::AnnouncementDto;
    use crate::backend::repos::announcements::AnnouncementRow;

    /// As a partner person gets it: without the audience, which is the operators' business (a
    /// segment's name is an internal label).
    pub fn portal_dto(row: &AnnouncementRow, program_name: &str, read: bool) -> AnnouncementDto {
        AnnouncementDto {
            audience: String::new(),
            ..dto(row, program_name, i64::from(read))
        }
    }

    pub fn dto(row: &AnnouncementRow, program_name: &str, reads: i64) -> AnnouncementDto {
        AnnouncementDto {
            id: row.id,
            title: row.title.clone(),
            html: crate::backend::markdown::render(&row.body_markdown),
            program_name: program_name.to_owned(),
            audience: row.audience(),
            posted_at: crate::domain::format::datetime(row.created_at),
            emailed: row.emailed,
            reads,
        }
    }
}
