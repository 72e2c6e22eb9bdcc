//! Publishing a document, adding a version, withdrawing a document, and a partner's download.
//! The rows, the streamed file and the audit event commit together or not at all.

use super::upload::{self, Incoming, Stored};
use crate::api::error::AppError;
use crate::backend::flows::{audited, RequestMeta};
use crate::backend::repos::audit::Actor;
use crate::backend::repos::library::{self, NewDocument, PartnerDocument};
use crate::backend::repos::{certifications, courses};
use crate::backend::training::quiz::NO_SUCH_COURSE;
use crate::domain::library::form::{self, DocumentInput, FolderChoice};
use crate::domain::library::DocumentVisibility;
use crate::domain::validate::FieldErrors;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use futures_util::Stream;
use serde_json::json;
use time::OffsetDateTime;

/// Publishes a document with its first version in a program the caller may manage (the caller
/// checked). Returns the document's id.
#[allow(clippy::too_many_arguments)]
pub async fn publish<S, B, E>(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    input: &DocumentInput,
    file: Incoming<S>,
    max_bytes: usize,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<i64, AppError>
where
    S: Stream<Item = Result<B, E>> + Send,
    B: AsRef<[u8]> + Send,
    E: std::fmt::Display + Send,
{
    let with_input = |errors: FieldErrors| AppError::Invalid(errors.with_submitted(&input.echo()));
    let valid = form::document(input).map_err(AppError::Invalid)?;
    if let DocumentVisibility::Certified(id) = valid.visibility {
        let known = certifications::of_program(conn, program_id).await?;
        if !known.iter().any(|c| c.id == id) {
            return Err(with_input(FieldErrors::single(
                "certification_id",
                "Choose one of this program's certifications.",
            )));
        }
    }
    if let FolderChoice::Existing(id) = valid.folder {
        if library::folder_in_program(conn, program_id, id).await?.is_none() {
            return Err(with_input(FieldErrors::single(
                "folder_id",
                "Choose one of this program's folders, or name a new one.",
            )));
        }
    }
    let uploaded_by = actor.user_id.unwrap_or_default();
    conn.transaction::<_, AppError, _>(async |conn| {
        let folder_id = match &valid.folder {
            FolderChoice::Existing(id) => *id,
            FolderChoice::New(name) => library::folder_named(conn, program_id, name, now).await?,
        };
        let (visibility, visible_kinds, visible_tiers, certification_id) = valid.visibility.columns();
        let id = library::insert_document(
            conn,
            &NewDocument {
                program_id,
                folder_id,
                search_text: form::search_text(&valid.title, &valid.description, &valid.tags),
                title: valid.title.clone(),
                description: valid.description.clone(),
                tags: valid.tags.clone(),
                visibility: visibility.to_owned(),
                visible_kinds,
                visible_tiers,
                certification_id,
                latest_version: 1,
                created_by: uploaded_by,
                created_at: now,
                updated_at: now,
            },
        )
        .await?;
        let stored = upload::store(conn, file, (id, 1, ""), uploaded_by, max_bytes, now)
            .await
            .map_err(|e| keep_input(e, input))?;
        audited(
            conn,
            actor,
            "document.publish",
            ("document", id.to_string()),
            json!({ "program_id": program_id, "title": valid.title, "folder_id": folder_id, "file": file_facts(&stored) }),
            meta,
        )
        .await?;
        Ok(id)
    })
    .await
}

/// Stores a new version of a program's document; partners get it from now on. Returns its number.
#[allow(clippy::too_many_arguments)]
pub async fn add_version<S, B, E>(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    document_id: i64,
    note: &str,
    file: Incoming<S>,
    max_bytes: usize,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<i32, AppError>
where
    S: Stream<Item = Result<B, E>> + Send,
    B: AsRef<[u8]> + Send,
    E: std::fmt::Display + Send,
{
    let note = form::version_note(note).map_err(AppError::Invalid)?;
    conn.transaction::<_, AppError, _>(async |conn| {
        // Locked, so two uploads at once are numbered one after the other.
        let document = library::lock_in_program(conn, program_id, document_id)
            .await?
            .ok_or_else(|| AppError::NotFound("That document doesn't exist, or it was withdrawn.".into()))?;
        let number = document.latest_version + 1;
        let stored = upload::store(
            conn,
            file,
            (document_id, number, &note),
            actor.user_id.unwrap_or_default(),
            max_bytes,
            now,
        )
        .await?;
        library::set_latest(conn, document_id, number, now).await?;
        audited(
            conn,
            actor,
            "document.version",
            ("document", document_id.to_string()),
            json!({ "version": number, "note": note, "file": file_facts(&stored) }),
            meta,
        )
        .await?;
        Ok(number)
    })
    .await
}

/// Withdraws a document: partners no longer see or download it; its history stays.
pub async fn archive(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    document_id: i64,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        if !library::archive(conn, program_id, document_id, now).await? {
            return Err(AppError::NotFound(
                "That document doesn't exist, or it was already withdrawn.".into(),
            ));
        }
        audited(
            conn,
            actor,
            "document.archive",
            ("document", document_id.to_string()),
            json!({ "archived": true }),
            meta,
        )
        .await
    })
    .await
}

/// The latest version of a document this partner may read, counted as one download; `None`
/// (nothing counted) as for a document that doesn't exist.
pub async fn download(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    document_id: i64,
    now: OffsetDateTime,
) -> Result<Option<PartnerDocument>, AppError> {
    let Some(found) = library::find_for_partner(conn, partner_id, document_id).await? else {
        return Ok(None);
    };
    library::count_download(conn, document_id, partner_id, now).await?;
    Ok(Some(found))
}

/// Attaches a live document of the program to a lesson of one of its courses. Partners see the
/// attachment only if the document's own audience admits them.
pub async fn attach_to_lesson(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    (course_id, lesson_id): (i64, i64),
    document_id: i64,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        courses::lock_in_program(conn, program_id, course_id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_COURSE.into()))?;
        if !courses::lessons(conn, course_id)
            .await?
            .iter()
            .any(|l| l.id == lesson_id)
        {
            return Err(AppError::field("lesson_id", "Choose one of this course's lessons."));
        }
        let live = library::find_in_program(conn, program_id, document_id)
            .await?
            .is_some_and(|d| d.archived_at.is_none());
        if !live {
            return Err(AppError::field(
                "document_id",
                "Choose one of this program's live documents.",
            ));
        }
        if !library::attach(conn, lesson_id, document_id).await? {
            return Err(AppError::field(
                "document_id",
                "That document is already attached to this lesson.",
            ));
        }
        audited(
            conn,
            actor,
            "course.lesson_attach",
            ("lesson", lesson_id.to_string()),
            json!({ "course_id": course_id, "document_id": document_id }),
            meta,
        )
        .await
    })
    .await
}

fn file_facts(stored: &Stored) -> serde_json::Value {
    json!({
        "type": stored.document_type.content_type(),
        "bytes": stored.size_bytes,
        "sha256": stored.sha256,
    })
}

/// A refused file keeps what the operator typed in the rest of the form.
fn keep_input(error: AppError, input: &DocumentInput) -> AppError {
    match error {
        AppError::Invalid(errors) => AppError::Invalid(errors.with_submitted(&input.echo())),
        other => other,
    }
}
