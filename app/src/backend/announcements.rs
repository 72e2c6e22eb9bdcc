//! Posting an announcement: stored, audited and, when asked, emailed through the outbox to every
//! person its audience admits, all in one transaction.

use crate::api::error::AppError;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::announcements::{self, NewAnnouncement};
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::{outbox, programs};
use crate::domain::announcements::{self as rules, AnnouncementInput};
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
    let valid = rules::validate(input).map_err(|e| AppError::Invalid(e.with_submitted(&input.echo())))?;
    let (visibility, visible_kinds, visible_tiers, _) = valid.visibility.columns();
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
                })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok((id, sent))
    })
    .await
}
