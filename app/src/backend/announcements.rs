//! Posting an announcement: stored, audited and, when asked, emailed through the outbox to every
//! person its audience admits, all in one transaction. A segment's announcement goes to the
//! segment's members at the time of posting.

use crate::api::error::AppError;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::announcements::{self, NewAnnouncement};
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::{outbox, programs};
use crate::domain::announcements::{self as rules, AnnouncementInput};
use crate::domain::creatives::Visibility;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

/// Returns the announcement's id and how many emails were queued.
pub async fn post(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    input: &AnnouncementInput,
    base_url: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(i64, usize), AppError> {
    let keep = |e: AppError| match e {
        AppError::Invalid(errors) => AppError::Invalid(errors.with_submitted(&input.echo())),
        other => other,
    };
    let mut valid = rules::validate(input).map_err(|e| keep(AppError::Invalid(e)))?;
    let segment_name = match valid.segment {
        Some(id) => {
            let (name, members) = segment_members(conn, program_id, id, now).await.map_err(keep)?;
            valid.visibility = Visibility::Partners(members);
            Some(name)
        }
        None => None,
    };
    let (visibility, visible_kinds, visible_tiers, visible_partners) = valid.visibility.columns();
    let new = NewAnnouncement {
        program_id,
        title: valid.title.clone(),
        body_markdown: valid.body.clone(),
        visibility: visibility.to_owned(),
        visible_kinds,
        visible_tiers,
        emailed: valid.email,
        created_by: actor.user_id.unwrap_or_default(),
        created_at: now,
        visible_partners,
        segment_name,
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        let id = announcements::insert(conn, &new).await?;
        let mut sent = 0;
        if valid.email {
            let program = programs::get(conn, program_id).await?;
            let url = format!("{base_url}/portal/announcements");
            for person in announcements::recipients(conn, program_id, &valid.visibility).await? {
                let email = rules::email(&person.name, &program.name, &valid.title, &valid.body, &url);
                outbox::enqueue_for_program(conn, program_id, &person.email, &email).await?;
                sent += 1;
            }
        }
        audit::record(
            conn,
            NewEvent {
                actor,
                action: "announcement.post",
                subject_type: "announcement",
                subject_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "program_id": program_id, "title": new.title, "visibility": new.visibility, "emails": sent,
                    "segment": new.segment_name, "partners": new.visible_partners.len(),
                })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok((id, sent))
    })
    .await
}

/// A segment's name and its members today, which an announcement to it goes to; a segment
/// without members, or of another program, is refused beside the field.
async fn segment_members(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    segment_id: i64,
    now: OffsetDateTime,
) -> Result<(String, Vec<i64>), AppError> {
    let as_field = |e: AppError| match e {
        AppError::NotFound(m) | AppError::Conflict(m) => AppError::field("segment_id", m),
        other => other,
    };
    let (segment, filter) = crate::backend::segments::resolve(conn, program_id, segment_id)
        .await
        .map_err(as_field)?;
    let members = crate::backend::repos::segments::member_ids(conn, program_id, &filter, now.date()).await?;
    if members.is_empty() {
        return Err(AppError::field(
            "segment_id",
            format!(
                "The segment \"{}\" has no members today, so nobody would see it.",
                segment.name
            ),
        ));
    }
    Ok((segment.name, members))
}
