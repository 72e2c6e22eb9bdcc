//! The partner's training: the courses open to it, each course's lessons and quiz for this
//! person, the quiz submission (scored on the server), and the certificates its people hold.

use super::editor::LessonDto;
use crate::api::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseCardDto {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub program_name: String,
    pub lessons: i64,
    pub questions: i64,
    /// Not started, Passed (best score), Tried, Out of attempts
    pub status: String,
    pub passed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeldCertificateDto {
    pub certification: String,
    pub program: String,
    pub holder: String,
    pub valid_until: String,
    pub status: String,
    pub verify_path: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyTrainingDto {
    pub courses: Vec<CourseCardDto>,
    /// The newest certificate of each person at the partner, per certification.
    pub certificates: Vec<HeldCertificateDto>,
}

#[server(input = GetUrl)]
pub async fn my_training() -> Result<MyTrainingDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{certifications, course_attempts, courses};
    use crate::domain::format;
    use crate::domain::training::{attempts, certification};
    let me = ctx::require_partner().await?;
    let now = ctx::now();
    let mut conn = ctx::db().await?;
    let visible = courses::visible_to_partner(&mut conn, me.partner_id).await?;
    let ids: Vec<i64> = visible.iter().map(|c| c.course.id).collect();
    let sizes = courses::sizes(&mut conn, &ids).await?;
    let mine = course_attempts::of_person(&mut conn, me.user.id, &ids).await?;
    let courses = visible
        .into_iter()
        .map(|c| {
            let (_, lessons, questions) = sizes.iter().find(|s| s.0 == c.course.id).copied().unwrap_or_default();
            let tried: Vec<_> = mine.iter().filter(|a| a.course_id == c.course.id).collect();
            let best = tried.iter().filter(|a| a.passed).map(|a| a.score_percent).max();
            let past: Vec<_> = tried.iter().map(|a| a.past()).collect();
            let status = match (best, attempts::standing(c.course.attempt_rules(), &past, now)) {
                (Some(score), _) if questions > 0 => format!("Passed ({score}%)"),
                (Some(_), _) => "Completed".into(),
                (None, _) if tried.is_empty() => "Not started".into(),
                (None, attempts::Standing::Exhausted) => "Out of attempts".into(),
                (None, _) => format!("Tried {} time(s), not passed yet", tried.len()),
            };
            CourseCardDto {
                id: c.course.id,
                title: c.course.title,
                summary: c.course.summary,
                program_name: c.program_name,
                lessons,
                questions,
                status,
                passed: best.is_some(),
            }
        })
        .collect();
    let certificates = certifications::newest_held(&mut conn, me.partner_id, None)
        .await?
        .into_iter()
        .map(|h| HeldCertificateDto {
            certification: h.certification,
            program: h.program,
            holder: h.holder,
            valid_until: format::date(h.certificate.valid_until),
            status: certification::status(h.certificate.valid_until, now).label(),
            verify_path: format!("/verify/{}", h.certificate.code),
        })
        .collect();
    Ok(MyTrainingDto { courses, certificates })
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizOptionDto {
    pub id: i64,
    pub label: String,
}

/// A question as the browser gets it: never with its correct options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizQuestionDto {
    pub id: i64,
    pub number: usize,
    pub prompt: String,
    pub multiple: bool,
    /// In this attempt's order.
    pub options: Vec<QuizOptionDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptDto {
    pub number: i32,
    pub score: i16,
    pub passed: bool,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoursePageDto {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub program_name: String,
    pub lessons: Vec<LessonDto>,
    pub questions: Vec<QuizQuestionDto>,
    pub rules: String,
    /// Why the quiz can't be taken now (a wait, or no attempts left); `None` when it can.
    pub blocked: Option<String>,
    /// Attempts left, counting the next one.
    pub attempts_left: u32,
    /// The number of the attempt this page shows (its options' order), sent back with it.
    pub attempt_no: i32,
    pub attempts: Vec<AttemptDto>,
}

#[server(input = GetUrl)]
pub async fn my_course(id: i64) -> Result<CoursePageDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{course_attempts, courses, library};
    use crate::backend::training::quiz::NO_SUCH_COURSE;
    use crate::domain::format;
    use crate::domain::training::{attempts, quiz};
    let me = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let found = courses::find_for_partner(&mut conn, me.partner_id, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_SUCH_COURSE.into()))?;
    let course = found.course;
    let lessons = courses::lessons(&mut conn, id).await?;
    let questions = courses::questions(&mut conn, id).await?;
    let videos = ctx::state()?.settings.video_hosts.clone();
    let ids: Vec<i64> = lessons.iter().map(|l| l.id).collect();
    let attached = library::attachments_of(&mut conn, &ids).await?;
    // An attachment shows only to partners the document's own audience admits.
    let readable: Vec<i64> = match attached.is_empty() {
        true => Vec::new(),
        false => library::visible_to_partner(&mut conn, me.partner_id, None, None)
            .await?
            .into_iter()
            .map(|d| d.document.id)
            .collect(),
    };
    let tried = course_attempts::of_person(&mut conn, me.user.id, &[id]).await?;
    let past: Vec<_> = tried.iter().map(|a| a.past()).collect();
    let standing = attempts::standing(course.attempt_rules(), &past, ctx::now());
    let (attempt_no, attempts_left) = match standing {
        attempts::Standing::Open { attempt_no, left } => (attempt_no, left),
        _ => (past.len() as i32 + 1, 0),
    };
    Ok(CoursePageDto {
        id,
        title: course.title.clone(),
        summary: course.summary.clone(),
        program_name: found.program_name,
        lessons: lessons
            .iter()
            .map(|lesson| {
                let files = attached
                    .iter()
                    .filter(|(l, doc, _)| *l == lesson.id && readable.contains(&doc.id))
                    .map(|(_, doc, latest)| super::editor::AttachmentDto {
                        title: doc.title.clone(),
                        file: crate::api::library::file_label(&latest.content_type, latest.size_bytes),
                        href: format!("/portal/library/{}/download", doc.id),
                    })
                    .collect();
                super::editor::lesson_dto(lesson, files, &videos)
            })
            .collect(),
        questions: questions
            .iter()
            .enumerate()
            .map(|(i, q)| QuizQuestionDto {
                id: q.question.id,
                number: i + 1,
                prompt: q.question.prompt.clone(),
                multiple: q.question.multiple,
                options: quiz::shuffled(&q.options, quiz::seed(me.user.id, q.question.id, attempt_no))
                    .into_iter()
                    .map(|o| QuizOptionDto {
                        id: o.id,
                        label: o.label,
                    })
                    .collect(),
            })
            .collect(),
        rules: super::editor::rules(
            course.pass_mark,
            course.max_attempts,
            course.wait_minutes,
            course.partial_credit,
        ),
        blocked: standing.refusal(),
        attempts_left,
        attempt_no,
        attempts: tried
            .iter()
            .rev()
            .map(|a| AttemptDto {
                number: a.attempt_no,
                score: a.score_percent,
                passed: a.passed,
                at: format::datetime(a.submitted_at),
            })
            .collect(),
    })
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizResultDto {
    pub attempt_no: i32,
    pub score: u8,
    pub passed: bool,
    pub certified: Vec<String>,
}

impl QuizResultDto {
    pub fn message(&self) -> String {
        let mut text = if self.passed {
            format!("Attempt {}: {}%. You passed.", self.attempt_no, self.score)
        } else {
            format!("Attempt {}: {}%. Not a pass this time.", self.attempt_no, self.score)
        };
        for name in &self.certified {
            text.push_str(&format!(" You are now certified: {name}."));
        }
        text
    }
}

/// Submits an attempt. Single-choice answers come as `single[question id]=option id`, the picks
/// of multiple-choice questions as `multi[]=question id:option id`.
#[server]
pub async fn submit_quiz(
    csrf_token: String,
    course_id: i64,
    #[server(default)] attempt: Option<i32>,
    #[server(default)] single: HashMap<String, i64>,
    #[server(default)] multi: Vec<String>,
) -> Result<QuizResultDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::training::quiz::{self, Person};
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::require_partner().await?;
    let answers = answers(&single, &multi)?;
    let person = Person {
        user_id: me.user.id,
        partner_id: me.partner_id,
        name: &me.user.display_name,
        email: &me.user.email,
    };
    let base_url = ctx::state()?.settings.base_url.clone();
    let outcome = quiz::submit(
        &mut *ctx::db().await?,
        &person,
        course_id,
        attempt,
        &answers,
        &base_url,
        ctx::now(),
    )
    .await?;
    let result = QuizResultDto {
        attempt_no: outcome.attempt_no,
        score: outcome.score.percent,
        passed: outcome.score.passed,
        certified: outcome.certified,
    };
    crate::api::flash::after_plain_post(result.message()).await?;
    Ok(result)
}

/// The form's fields as answers; a malformed field is refused (the quiz checks the ids).
pub fn answers(
    single: &HashMap<String, i64>,
    multi: &[String],
) -> Result<crate::domain::training::quiz::Answers, AppError> {
    let malformed = || {
        AppError::field(
            "answers",
            "The answers were not understood. Reload the page and try again.",
        )
    };
    let mut answers = crate::domain::training::quiz::Answers::new();
    for (question, option) in single {
        let question: i64 = question.parse().map_err(|_| malformed())?;
        answers.entry(question).or_default().insert(*option);
    }
    for pick in multi {
        let (question, option) = pick.split_once(':').ok_or_else(malformed)?;
        let (question, option) = (
            question.parse::<i64>().map_err(|_| malformed())?,
            option.parse::<i64>().map_err(|_| malformed())?,
        );
        answers.entry(question).or_default().insert(option);
    }
    Ok(answers)
}
