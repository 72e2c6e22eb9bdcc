//! An operator adds, edits, removes and reorders a program's application questions. Each change
//! takes the program's lock (so positions stay 1, 2, … and the question limit holds), and is
//! audited in the same transaction.

use super::{audited, RequestMeta};
use crate::api::error::AppError;
use crate::backend::repos::application_questions::{self as repo, QuestionRow};
use crate::backend::repos::audit::Actor;
use crate::backend::repos::programs;
use crate::domain::questions::{validate_question, QuestionInput, QUESTIONS_MAX};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

pub const NO_SUCH_QUESTION: &str = "That question doesn't exist in this program.";

/// Which way a question moves on the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// Adds a question (`id` is `None`) or rewrites one. Answers already given keep the wording the
/// applicant saw.
pub async fn save(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    (program_id, id): (i64, Option<i64>),
    input: &QuestionInput,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<QuestionRow, AppError> {
    let draft = validate_question(input).map_err(|e| AppError::Invalid(e.with_submitted(&input.echo())))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        programs::lock(conn, program_id).await?;
        let row = match id {
            None => {
                if repo::in_use(conn, program_id).await?.len() >= QUESTIONS_MAX {
                    return Err(AppError::field(
                        "label",
                        format!("A program asks at most {QUESTIONS_MAX} questions: remove one first."),
                    ));
                }
                repo::insert(conn, program_id, &draft, now).await?
            }
            Some(id) => repo::update(conn, program_id, id, &draft)
                .await?
                .ok_or_else(|| AppError::NotFound(NO_SUCH_QUESTION.into()))?,
        };
        let after = serde_json::json!({
            "program_id": program_id, "label": row.label, "kind": row.kind, "options": row.options,
            "required": row.required, "position": row.position,
        });
        let action = if id.is_some() {
            "application_question.update"
        } else {
            "application_question.create"
        };
        audited(
            conn,
            actor,
            action,
            ("application_question", row.id.to_string()),
            after,
            meta,
        )
        .await?;
        Ok(row)
    })
    .await
}

/// Takes a question off the application form; the answers it got stay with their applications.
pub async fn remove(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    (program_id, id): (i64, i64),
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<QuestionRow, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        programs::lock(conn, program_id).await?;
        let row = repo::retire(conn, program_id, id, now)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_QUESTION.into()))?;
        let remaining: Vec<i64> = repo::in_use(conn, program_id).await?.iter().map(|q| q.id).collect();
        repo::reorder(conn, program_id, &remaining).await?;
        let after = serde_json::json!({ "program_id": program_id, "label": row.label, "retired": true });
        audited(
            conn,
            actor,
            "application_question.remove",
            ("application_question", id.to_string()),
            after,
            meta,
        )
        .await?;
        Ok(row)
    })
    .await
}

/// Moves a question one place up or down the form (at either end it stays where it is).
pub async fn reorder(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    (program_id, id): (i64, i64),
    direction: Direction,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        programs::lock(conn, program_id).await?;
        let mut ids: Vec<i64> = repo::in_use(conn, program_id).await?.iter().map(|q| q.id).collect();
        let at = ids
            .iter()
            .position(|q| *q == id)
            .ok_or_else(|| AppError::NotFound(NO_SUCH_QUESTION.into()))?;
        let to = match direction {
            Direction::Up => at.checked_sub(1),
            Direction::Down => Some(at + 1).filter(|to| *to < ids.len()),
        };
        let Some(to) = to else {
            return Ok(());
        };
        ids.swap(at, to);
        repo::reorder(conn, program_id, &ids).await?;
        let after = serde_json::json!({ "program_id": program_id, "order": ids });
        audited(
            conn,
            actor,
            "application_question.move",
            ("application_question", id.to_string()),
            after,
            meta,
        )
        .await?;
        Ok(())
    })
    .await
}
