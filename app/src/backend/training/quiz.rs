//! A person takes a course's quiz (or, for a course without one, says they finished it). The
//! attempt is scored on the server and stored with its number; a pass then awards every
//! certification whose courses the person has all passed, in the same transaction.

use crate::api::error::AppError;
use crate::backend::repos::certifications::{self, NewCertificate};
use crate::backend::repos::course_attempts::{self, NewAttempt};
use crate::backend::repos::{courses, outbox};
use crate::domain::format;
use crate::domain::training::{attempts, certification, emails, quiz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

/// The partner person taking the quiz, from the session.
#[derive(Clone, Debug)]
pub struct Person<'a> {
    pub user_id: i64,
    pub partner_id: i64,
    pub name: &'a str,
    pub email: &'a str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub attempt_no: i32,
    pub score: quiz::Score,
    /// Names of the certifications this pass awarded or renewed.
    pub certified: Vec<String>,
}

const ALREADY_SUBMITTED: &str = "That attempt was already submitted. Reload the page to see its result.";

pub const NO_SUCH_COURSE: &str = "That course doesn't exist, or it isn't open to you.";

/// `expected_attempt` is the attempt number the page showed: a second submission of the same
/// page (a double click, two tabs) finds it taken and changes nothing.
pub async fn submit(
    conn: &mut AsyncPgConnection,
    person: &Person<'_>,
    course_id: i64,
    expected_attempt: Option<i32>,
    answers: &quiz::Answers,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<Outcome, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        // One submission per person at a time, whatever the course: a certification over two
        // courses passed in two tabs at once must see both passes, and award once.
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('training:' || $1, 0))")
            .bind::<diesel::sql_types::Int8, _>(person.user_id)
            .execute(conn)
            .await?;
        let course = courses::find_for_partner(conn, person.partner_id, course_id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_COURSE.into()))?
            .course;
        let past = course_attempts::of_person(conn, person.user_id, &[course_id]).await?;
        let standing = attempts::standing(
            course.attempt_rules(),
            &past.iter().map(|a| a.past()).collect::<Vec<_>>(),
            now,
        );
        let attempt_no = match standing {
            attempts::Standing::Open { attempt_no, .. } => attempt_no,
            refused => return Err(AppError::Conflict(refused.refusal().unwrap_or_default())),
        };
        if expected_attempt.is_some_and(|n| n != attempt_no) {
            return Err(AppError::Conflict(ALREADY_SUBMITTED.into()));
        }
        let questions: Vec<quiz::Question> = courses::questions(conn, course_id)
            .await?
            .iter()
            .map(|q| q.for_scoring())
            .collect();
        let score = quiz::score(&questions, answers, course.pass_mark as u8, course.partial_credit)
            .map_err(|e| AppError::field("answers", e.message()))?;
        let stored = NewAttempt {
            course_id,
            user_id: person.user_id,
            partner_id: person.partner_id,
            attempt_no,
            answers: serde_json::to_value(answers).map_err(crate::backend::errors::internal)?,
            score_percent: i16::from(score.percent),
            passed: score.passed,
            submitted_at: now,
        };
        // The number is unique per person and course: a second submission of the same attempt
        // (a double click, two tabs) loses here and changes nothing.
        course_attempts::insert(conn, &stored)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => {
                    AppError::Conflict("That attempt was already submitted. Reload the page to see its result.".into())
                }
                other => other,
            })?;
        let certified = if score.passed {
            award_earned(conn, person, course_id, base_url, now).await?
        } else {
            Vec::new()
        };
        Ok(Outcome {
            attempt_no,
            score,
            certified,
        })
    })
    .await
}

/// Awards each certification of this course that the person has now earned, refreshes the
/// partner's stored count and emails the person. Returns the certifications' names.
async fn award_earned(
    conn: &mut AsyncPgConnection,
    person: &Person<'_>,
    course_id: i64,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<Vec<String>, AppError> {
    let mut awarded = Vec::new();
    for certification in certifications::containing_course(conn, course_id).await? {
        let passed = course_attempts::passed_courses(conn, person.user_id, &certification.course_ids).await?;
        let every = certification.course_ids.iter().all(|id| passed.contains(id));
        let current = certifications::current(conn, person.user_id, certification.id).await?;
        if !certification::awards(every, current.map(|c| c.valid_until), now) {
            continue;
        }
        let code = new_code();
        let valid_until = certification::valid_until(now, certification.valid_months.max(1) as u32);
        certifications::award(
            conn,
            &NewCertificate {
                certification_id: certification.id,
                user_id: person.user_id,
                partner_id: person.partner_id,
                code: code.clone(),
                awarded_at: now,
                valid_until,
            },
        )
        .await?;
        certifications::refresh_counts(conn, Some((person.partner_id, certification.id)), now).await?;
        let email = emails::certified(
            person.name,
            &certification.name,
            &format::date(valid_until),
            &format!("{base_url}/verify/{code}"),
        );
        outbox::enqueue_for_program(conn, certification.program_id, person.email, &email).await?;
        awarded.push(certification.name);
    }
    Ok(awarded)
}

/// A verification code: 12 letters and digits without the look-alikes (0/O, 1/I).
fn new_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}
