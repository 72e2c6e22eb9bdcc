//! A program's own application questions: the console's list and the forms that add, edit,
//! remove and reorder them. Applicants see them on `/join/{slug}` (`programs::application_form`)
//! and reviewers see the answers beside the application (`review::get_application`).
// One argument per form field is what makes the forms work without JavaScript.
#![allow(clippy::too_many_arguments)]

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionDto {
    pub id: i64,
    pub label: String,
    pub help: String,
    /// `domain::questions::QuestionKind::as_str`.
    pub kind: String,
    pub kind_label: String,
    pub options: Vec<String>,
    pub required: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramQuestionsDto {
    pub program_id: i64,
    pub program_name: String,
    pub program_slug: String,
    pub can_manage: bool,
    pub questions: Vec<QuestionDto>,
}

/// One answer on an application: the question as the applicant saw it, and what they gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerDto {
    pub question: String,
    pub answer: Vec<String>,
}

#[cfg(feature = "ssr")]
pub fn to_dto(row: crate::backend::repos::application_questions::QuestionRow) -> QuestionDto {
    let question = row.question();
    QuestionDto {
        id: row.id,
        kind_label: question.kind.label().to_owned(),
        kind: row.kind,
        label: row.label,
        help: row.help,
        options: row.options,
        required: row.required,
    }
}

#[server(input = GetUrl)]
pub async fn program_questions(program_id: i64) -> Result<ProgramQuestionsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{application_questions, programs};
    use crate::domain::access::Permission;
    let operator = ctx::require_program_operator(program_id).await?;
    let mut conn = ctx::db().await?;
    let program = programs::get(&mut conn, program_id).await?;
    let questions = application_questions::in_use(&mut conn, program_id).await?;
    Ok(ProgramQuestionsDto {
        program_id,
        program_name: program.name,
        program_slug: program.slug,
        can_manage: operator.role.can(Permission::ManagePrograms),
        questions: questions.into_iter().map(to_dto).collect(),
    })
}

/// The prefix of the fields of question `id`'s edit form among the page's forms.
pub fn edit_prefix(id: i64) -> String {
    format!("q{id}-")
}

/// Adds a question to the program's application form, or (with `question_id`) rewrites one.
#[server]
pub async fn save_question(
    csrf_token: String,
    program_id: i64,
    #[server(default)] question_id: Option<i64>,
    label: String,
    kind: String,
    #[server(default)] options: String,
    #[server(default)] help: String,
    #[server(default)] required: Option<String>,
) -> Result<String, AppError> {
    use crate::backend::{ctx, flows::questions};
    use crate::domain::access::Permission;
    use crate::domain::questions::QuestionInput;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let input = QuestionInput {
        label,
        kind,
        options,
        help,
        required: required.is_some_and(|r| !r.is_empty()),
    };
    let row = questions::save(
        &mut *ctx::db().await?,
        &operator.user.actor(),
        (program_id, question_id),
        &input,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await
    .map_err(|e| match (e, question_id) {
        // An edit form's errors carry its question's prefix, to show beside that form's fields.
        (AppError::Invalid(errors), Some(id)) => AppError::Invalid(errors.scoped(&edit_prefix(id))),
        (other, _) => other,
    })?;
    let message = match question_id {
        Some(_) => format!("Saved “{}”. New applications ask it as it reads now.", row.label),
        None => format!("Added “{}” to the application form.", row.label),
    };
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

/// Takes a question off the form. The answers it already got stay with their applications.
#[server]
pub async fn remove_question(csrf_token: String, program_id: i64, question_id: i64) -> Result<String, AppError> {
    use crate::backend::{ctx, flows::questions};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let row = questions::remove(
        &mut *ctx::db().await?,
        &operator.user.actor(),
        (program_id, question_id),
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    let message = format!(
        "Removed “{}”. The answers it already got stay with their applications.",
        row.label
    );
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

/// Moves a question one place `up` or `down` the form.
#[server]
pub async fn move_question(
    csrf_token: String,
    program_id: i64,
    question_id: i64,
    direction: String,
) -> Result<(), AppError> {
    use crate::backend::ctx;
    use crate::backend::flows::questions::{self, Direction};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let direction = match direction.as_str() {
        "up" => Direction::Up,
        "down" => Direction::Down,
        _ => return Err(AppError::field("direction", "Move a question up or down.")),
    };
    questions::reorder(
        &mut *ctx::db().await?,
        &operator.user.actor(),
        (program_id, question_id),
        direction,
        &ctx::request_meta(),
    )
    .await?;
    super::flash::after_plain_post("The order is saved.").await
}
