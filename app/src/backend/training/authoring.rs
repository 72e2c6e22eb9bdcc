//! Operators building training: a course (a draft until published), its lessons and quiz
//! questions, and certifications over a set of courses. Every change is audited with it.

use crate::api::error::AppError;
use crate::backend::flows::{audited, RequestMeta};
use crate::backend::repos::audit::Actor;
use crate::backend::repos::certifications::{self, NewCertification};
use crate::backend::repos::courses::{self, NewCourse};
use crate::domain::training::form::{self, CertificationInput, CourseInput, LessonInput, QuestionInput};
use crate::domain::training::video::VideoHost;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use time::OffsetDateTime;

const NO_SUCH_COURSE: &str = "That course doesn't exist in this program.";

pub async fn create_course(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    input: &CourseInput,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<i64, AppError> {
    let valid = form::course(input).map_err(|e| AppError::Invalid(e.with_submitted(&input.echo())))?;
    let (visibility, visible_kinds, visible_tiers, _) = valid.visibility.columns();
    let new = NewCourse {
        program_id,
        title: valid.title,
        summary: valid.summary,
        visibility: visibility.to_owned(),
        visible_kinds,
        visible_tiers,
        pass_mark: valid.pass_mark,
        max_attempts: valid.max_attempts,
        wait_minutes: valid.wait_minutes,
        partial_credit: valid.partial_credit,
        created_by: actor.user_id.unwrap_or_default(),
        created_at: now,
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        let id = courses::insert(conn, &new).await?;
        let after = json!({
            "program_id": program_id, "title": new.title, "visibility": new.visibility,
            "pass_mark": new.pass_mark, "max_attempts": new.max_attempts, "wait_minutes": new.wait_minutes,
        });
        audited(conn, actor, "course.create", ("course", id.to_string()), after, meta).await?;
        Ok(id)
    })
    .await
}

pub async fn add_lesson(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    course_id: i64,
    input: &LessonInput,
    videos: &[VideoHost],
    meta: &RequestMeta,
) -> Result<i64, AppError> {
    let valid = form::lesson(input, videos).map_err(|e| AppError::Invalid(e.with_submitted(&input.echo())))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        courses::lock_in_program(conn, program_id, course_id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_COURSE.into()))?;
        let id = courses::add_lesson(conn, course_id, &valid.title, &valid.body, valid.video_url.as_deref()).await?;
        let after = json!({ "course_id": course_id, "title": valid.title, "video_url": valid.video_url });
        audited(
            conn,
            actor,
            "course.lesson_add",
            ("lesson", id.to_string()),
            after,
            meta,
        )
        .await?;
        Ok(id)
    })
    .await
}

/// Adds a question. A course that people have already attempted keeps its quiz as it is, so that
/// every kept attempt was scored against the questions it answered.
pub async fn add_question(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    course_id: i64,
    input: &QuestionInput,
    meta: &RequestMeta,
) -> Result<i64, AppError> {
    let valid = form::question(input).map_err(|e| AppError::Invalid(e.with_submitted(&input.echo())))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let course = courses::lock_in_program(conn, program_id, course_id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_COURSE.into()))?;
        if course.published_at.is_some() {
            return Err(AppError::Conflict(
                "This course is published: its quiz can't change under the people taking it. Make a new course for a new quiz.".into(),
            ));
        }
        let id = courses::add_question(conn, course_id, &valid.prompt, valid.multiple, &valid.options).await?;
        let after = json!({ "course_id": course_id, "prompt": valid.prompt, "options": valid.options.len() });
        audited(conn, actor, "course.question_add", ("quiz_question", id.to_string()), after, meta).await?;
        Ok(id)
    })
    .await
}

/// Publishes a draft that has at least one lesson: partners it admits see it from now on.
pub async fn publish_course(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    course_id: i64,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        courses::lock_in_program(conn, program_id, course_id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_COURSE.into()))?;
        if courses::lessons(conn, course_id).await?.is_empty() {
            return Err(AppError::Conflict("Add a lesson before you publish the course.".into()));
        }
        if !courses::publish(conn, program_id, course_id, now).await? {
            return Err(AppError::Conflict("This course is already published.".into()));
        }
        audited(
            conn,
            actor,
            "course.publish",
            ("course", course_id.to_string()),
            json!({ "program_id": program_id }),
            meta,
        )
        .await
    })
    .await
}

pub async fn create_certification(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    input: &CertificationInput,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<i64, AppError> {
    let program_courses: Vec<i64> = courses::of_program(conn, program_id)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let valid =
        form::certification(input, &program_courses).map_err(|e| AppError::Invalid(e.with_submitted(&input.echo())))?;
    let new = NewCertification {
        program_id,
        name: valid.name,
        description: valid.description,
        valid_months: valid.valid_months,
        course_ids: valid.course_ids,
        created_by: actor.user_id.unwrap_or_default(),
        created_at: now,
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        let id = certifications::insert(conn, &new).await?;
        let after = json!({
            "program_id": program_id, "name": new.name, "valid_months": new.valid_months, "course_ids": new.course_ids,
        });
        audited(
            conn,
            actor,
            "certification.create",
            ("certification", id.to_string()),
            after,
            meta,
        )
        .await?;
        Ok(id)
    })
    .await
}
