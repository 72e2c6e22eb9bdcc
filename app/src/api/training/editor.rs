//! One course in the console: its lessons as partners will read them, its quiz with the right
//! answers marked, and the forms that add a lesson or a question and publish the course.

use crate::api::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonDto {
    pub id: i64,
    pub title: String,
    /// The Markdown rendered on the server and sanitized.
    pub html: String,
    /// The host's embed address, when the lesson has a video.
    pub video_embed: Option<String>,
    /// Library documents to read with it (for partners, those their audience admits).
    pub attachments: Vec<AttachmentDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentDto {
    pub title: String,
    /// "PDF · 1.2 MB"
    pub file: String,
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorQuestionDto {
    pub number: usize,
    pub prompt: String,
    pub multiple: bool,
    /// (label, correct)
    pub options: Vec<(String, bool)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseEditorDto {
    pub program_id: i64,
    pub program_name: String,
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub visibility: String,
    /// "Pass mark 80% · 3 attempts · 60 minutes between attempts"
    pub rules: String,
    pub published: bool,
    pub lessons: Vec<LessonDto>,
    pub questions: Vec<EditorQuestionDto>,
    /// "YouTube, Vimeo or Loom": the hosts a lesson's video may be on (empty: none).
    pub video_hosts: String,
    /// The program's live library documents, for the attach form: (id, title).
    pub documents: Vec<(i64, String)>,
    pub can_manage: bool,
}

#[server(input = GetUrl)]
pub async fn course_editor(program_id: i64, course_id: i64) -> Result<CourseEditorDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{courses, library};
    use crate::domain::access::Permission;
    let operator = ctx::require_program_operator(program_id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, program_id).await?;
    let course = courses::find_in_program(&mut conn, program_id, course_id)
        .await?
        .ok_or_else(|| AppError::NotFound("That course doesn't exist in this program.".into()))?;
    let lessons = courses::lessons(&mut conn, course_id).await?;
    let questions = courses::questions(&mut conn, course_id).await?;
    let videos = ctx::state()?.settings.video_hosts.clone();
    let ids: Vec<i64> = lessons.iter().map(|l| l.id).collect();
    let attached = library::attachments_of(&mut conn, &ids).await?;
    let documents = library::of_program(&mut conn, program_id)
        .await?
        .into_iter()
        .filter(|d| d.document.archived_at.is_none())
        .map(|d| (d.document.id, d.document.title))
        .collect();
    Ok(CourseEditorDto {
        program_id,
        program_name: program.name,
        id: course.id,
        title: course.title.clone(),
        summary: course.summary.clone(),
        visibility: course.visibility().describe(),
        rules: rules(
            course.pass_mark,
            course.max_attempts,
            course.wait_minutes,
            course.partial_credit,
        ),
        published: course.published_at.is_some(),
        lessons: lessons
            .iter()
            .map(|lesson| {
                let files = attached
                    .iter()
                    .filter(|(l, ..)| *l == lesson.id)
                    .map(|(_, doc, latest)| AttachmentDto {
                        title: doc.title.clone(),
                        file: crate::api::library::file_label(&latest.content_type, latest.size_bytes),
                        href: format!(
                            "/console/programs/{program_id}/library/{}/versions/{}",
                            doc.id, latest.version
                        ),
                    })
                    .collect();
                lesson_dto(lesson, files, &videos)
            })
            .collect(),
        video_hosts: crate::domain::training::video::names(&videos),
        documents,
        questions: questions
            .iter()
            .enumerate()
            .map(|(i, q)| EditorQuestionDto {
                number: i + 1,
                prompt: q.question.prompt.clone(),
                multiple: q.question.multiple,
                options: q.options.iter().map(|o| (o.label.clone(), o.correct)).collect(),
            })
            .collect(),
        can_manage: operator.role.can(Permission::ManagePrograms),
    })
}

/// A course's quiz rules in words.
pub fn rules(pass_mark: i16, max_attempts: i16, wait_minutes: i32, partial_credit: bool) -> String {
    let attempts = if max_attempts == 1 {
        "1 attempt".to_owned()
    } else {
        format!("{max_attempts} attempts")
    };
    let wait = match wait_minutes {
        0 => "no wait between attempts".to_owned(),
        m if m % 1440 == 0 => format!("{} day(s) between attempts", m / 1440),
        m if m % 60 == 0 => format!("{} hour(s) between attempts", m / 60),
        m => format!("{m} minutes between attempts"),
    };
    let credit = if partial_credit { " · partial credit" } else { "" };
    format!("Pass mark {pass_mark}% · {attempts} · {wait}{credit}")
}

#[cfg(feature = "ssr")]
pub(crate) fn lesson_dto(
    lesson: &crate::backend::repos::courses::LessonRow,
    attachments: Vec<AttachmentDto>,
    videos: &[crate::domain::training::video::VideoHost],
) -> LessonDto {
    LessonDto {
        attachments,
        id: lesson.id,
        title: lesson.title.clone(),
        html: crate::backend::markdown::render(&lesson.body_markdown),
        video_embed: lesson
            .video_url
            .as_deref()
            .and_then(|url| crate::domain::training::video::embed_url(url, videos).ok()),
    }
}

#[server]
pub async fn add_lesson(
    csrf_token: String,
    program_id: i64,
    course_id: i64,
    title: String,
    #[server(default)] body: String,
    #[server(default)] video_url: String,
) -> Result<i64, AppError> {
    use crate::backend::ctx;
    use crate::backend::training::authoring;
    use crate::domain::access::Permission;
    use crate::domain::training::form::LessonInput;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let input = LessonInput { title, body, video_url };
    let videos = ctx::state()?.settings.video_hosts.clone();
    let mut conn = ctx::db().await?;
    let id = authoring::add_lesson(
        &mut conn,
        &operator.user.actor(),
        program_id,
        course_id,
        &input,
        &videos,
        &ctx::request_meta(),
    )
    .await?;
    crate::api::flash::after_plain_post("Lesson added.").await?;
    Ok(id)
}

#[server]
pub async fn add_question(
    csrf_token: String,
    program_id: i64,
    course_id: i64,
    prompt: String,
    options: String,
) -> Result<i64, AppError> {
    use crate::backend::ctx;
    use crate::backend::training::authoring;
    use crate::domain::access::Permission;
    use crate::domain::training::form::QuestionInput;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let input = QuestionInput { prompt, options };
    let mut conn = ctx::db().await?;
    let id = authoring::add_question(
        &mut conn,
        &operator.user.actor(),
        program_id,
        course_id,
        &input,
        &ctx::request_meta(),
    )
    .await?;
    crate::api::flash::after_plain_post("Question added.").await?;
    Ok(id)
}

#[server]
pub async fn publish_course(csrf_token: String, program_id: i64, course_id: i64) -> Result<(), AppError> {
    use crate::backend::ctx;
    use crate::backend::training::authoring;
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let mut conn = ctx::db().await?;
    authoring::publish_course(
        &mut conn,
        &operator.user.actor(),
        program_id,
        course_id,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    crate::api::flash::after_plain_post("Course published: the partners it is for can take it now.").await
}

/// Attaches a library document of the program to one of the course's lessons.
#[server]
pub async fn attach_document(
    csrf_token: String,
    program_id: i64,
    course_id: i64,
    lesson_id: i64,
    document_id: i64,
) -> Result<(), AppError> {
    use crate::backend::ctx;
    use crate::backend::library::flows;
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let mut conn = ctx::db().await?;
    flows::attach_to_lesson(
        &mut conn,
        &operator.user.actor(),
        program_id,
        (course_id, lesson_id),
        document_id,
        &ctx::request_meta(),
    )
    .await?;
    crate::api::flash::after_plain_post("Document attached: partners who may see it find it under the lesson.").await
}
