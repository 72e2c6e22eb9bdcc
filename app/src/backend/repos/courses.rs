//! Courses, their lessons and their quiz questions. A partner's reads are scoped to published
//! courses of programs it is an active partner in, by the query itself; who within a program
//! sees a course is the domain's visibility rule, applied to the rows these return.

use crate::backend::schema::{
    courses, lessons, partners, program_memberships as memberships, programs, quiz_options, quiz_questions,
};
use crate::domain::creatives::{Audience, Visibility};
use crate::domain::training::quiz;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = courses)]
pub struct CourseRow {
    pub id: i64,
    pub program_id: i64,
    pub title: String,
    pub summary: String,
    pub visibility: String,
    pub visible_kinds: Vec<String>,
    pub visible_tiers: Vec<String>,
    pub pass_mark: i16,
    pub max_attempts: i16,
    pub wait_minutes: i32,
    pub partial_credit: bool,
    pub published_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

impl CourseRow {
    pub fn visibility(&self) -> Visibility {
        Visibility::from_columns(&self.visibility, &self.visible_kinds, &self.visible_tiers, &[])
    }

    pub fn attempt_rules(&self) -> crate::domain::training::attempts::Rules {
        crate::domain::training::attempts::Rules {
            max_attempts: self.max_attempts.max(1) as u32,
            wait: time::Duration::minutes(i64::from(self.wait_minutes)),
        }
    }
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = courses)]
pub struct NewCourse {
    pub program_id: i64,
    pub title: String,
    pub summary: String,
    pub visibility: String,
    pub visible_kinds: Vec<String>,
    pub visible_tiers: Vec<String>,
    pub pass_mark: i16,
    pub max_attempts: i16,
    pub wait_minutes: i32,
    pub partial_credit: bool,
    pub created_by: i64,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = lessons)]
pub struct LessonRow {
    pub id: i64,
    pub course_id: i64,
    pub position: i32,
    pub title: String,
    pub body_markdown: String,
    pub video_url: Option<String>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = quiz_questions)]
pub struct QuestionRow {
    pub id: i64,
    pub course_id: i64,
    pub position: i32,
    pub prompt: String,
    pub multiple: bool,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = quiz_options)]
pub struct OptionRow {
    pub id: i64,
    pub question_id: i64,
    pub position: i32,
    pub label: String,
    pub correct: bool,
}

/// A question with its options, in the order the operator wrote them.
#[derive(Clone, Debug)]
pub struct QuestionWithOptions {
    pub question: QuestionRow,
    pub options: Vec<OptionRow>,
}

impl QuestionWithOptions {
    /// What scoring needs.
    pub fn for_scoring(&self) -> quiz::Question {
        quiz::Question {
            id: self.question.id,
            multiple: self.question.multiple,
            options: self
                .options
                .iter()
                .map(|o| quiz::QuizOption {
                    id: o.id,
                    correct: o.correct,
                })
                .collect(),
        }
    }
}

/// A course as a partner sees it, with its program's name.
#[derive(Clone, Debug)]
pub struct PartnerCourse {
    pub course: CourseRow,
    pub program_name: String,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewCourse) -> QueryResult<i64> {
    diesel::insert_into(courses::table)
        .values(new)
        .returning(courses::id)
        .get_result(conn)
        .await
}

pub async fn of_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<CourseRow>> {
    courses::table
        .filter(courses::program_id.eq(program_id))
        .order(courses::id)
        .select(CourseRow::as_select())
        .load(conn)
        .await
}

/// One of the program's courses; `None` for any other id.
pub async fn find_in_program(conn: &mut AsyncPgConnection, program_id: i64, id: i64) -> QueryResult<Option<CourseRow>> {
    courses::table
        .filter(courses::program_id.eq(program_id).and(courses::id.eq(id)))
        .select(CourseRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Locks a course of the program while lessons or questions are added, so positions don't race.
pub async fn lock_in_program(conn: &mut AsyncPgConnection, program_id: i64, id: i64) -> QueryResult<Option<CourseRow>> {
    courses::table
        .filter(courses::program_id.eq(program_id).and(courses::id.eq(id)))
        .select(CourseRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Publishes a draft; false when it isn't one of the program's drafts.
pub async fn publish(conn: &mut AsyncPgConnection, program_id: i64, id: i64, now: OffsetDateTime) -> QueryResult<bool> {
    diesel::update(
        courses::table.filter(
            courses::program_id
                .eq(program_id)
                .and(courses::id.eq(id))
                .and(courses::published_at.is_null()),
        ),
    )
    .set(courses::published_at.eq(now))
    .execute(conn)
    .await
    .map(|n| n == 1)
}

pub async fn lessons(conn: &mut AsyncPgConnection, course_id: i64) -> QueryResult<Vec<LessonRow>> {
    lessons::table
        .filter(lessons::course_id.eq(course_id))
        .order(lessons::position)
        .select(LessonRow::as_select())
        .load(conn)
        .await
}

/// Adds a lesson after the last one. Call with the course locked.
pub async fn add_lesson(
    conn: &mut AsyncPgConnection,
    course_id: i64,
    title: &str,
    body_markdown: &str,
    video_url: Option<&str>,
) -> QueryResult<i64> {
    let last: Option<i32> = lessons::table
        .filter(lessons::course_id.eq(course_id))
        .select(diesel::dsl::max(lessons::position))
        .first(conn)
        .await?;
    diesel::insert_into(lessons::table)
        .values((
            lessons::course_id.eq(course_id),
            lessons::position.eq(last.unwrap_or(0) + 1),
            lessons::title.eq(title),
            lessons::body_markdown.eq(body_markdown),
            lessons::video_url.eq(video_url),
        ))
        .returning(lessons::id)
        .get_result(conn)
        .await
}

/// The course's questions with their options: two queries, whatever the number of questions.
pub async fn questions(conn: &mut AsyncPgConnection, course_id: i64) -> QueryResult<Vec<QuestionWithOptions>> {
    let questions: Vec<QuestionRow> = quiz_questions::table
        .filter(quiz_questions::course_id.eq(course_id))
        .order(quiz_questions::position)
        .select(QuestionRow::as_select())
        .load(conn)
        .await?;
    let ids: Vec<i64> = questions.iter().map(|q| q.id).collect();
    let options: Vec<OptionRow> = quiz_options::table
        .filter(quiz_options::question_id.eq_any(&ids))
        .order((quiz_options::question_id, quiz_options::position))
        .select(OptionRow::as_select())
        .load(conn)
        .await?;
    let mut by_question: std::collections::HashMap<i64, Vec<OptionRow>> = std::collections::HashMap::new();
    for option in options {
        by_question.entry(option.question_id).or_default().push(option);
    }
    Ok(questions
        .into_iter()
        .map(|question| QuestionWithOptions {
            options: by_question.remove(&question.id).unwrap_or_default(),
            question,
        })
        .collect())
}

/// Adds a question after the last one, with its options. Call with the course locked.
pub async fn add_question(
    conn: &mut AsyncPgConnection,
    course_id: i64,
    prompt: &str,
    multiple: bool,
    options: &[(String, bool)],
) -> QueryResult<i64> {
    let last: Option<i32> = quiz_questions::table
        .filter(quiz_questions::course_id.eq(course_id))
        .select(diesel::dsl::max(quiz_questions::position))
        .first(conn)
        .await?;
    let id: i64 = diesel::insert_into(quiz_questions::table)
        .values((
            quiz_questions::course_id.eq(course_id),
            quiz_questions::position.eq(last.unwrap_or(0) + 1),
            quiz_questions::prompt.eq(prompt),
            quiz_questions::multiple.eq(multiple),
        ))
        .returning(quiz_questions::id)
        .get_result(conn)
        .await?;
    let rows: Vec<_> = options
        .iter()
        .enumerate()
        .map(|(i, (label, correct))| {
            (
                quiz_options::question_id.eq(id),
                quiz_options::position.eq(i as i32 + 1),
                quiz_options::label.eq(label),
                quiz_options::correct.eq(*correct),
            )
        })
        .collect();
    diesel::insert_into(quiz_options::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(id)
}

/// Lesson and question counts of these courses: (course id, lessons, questions), two queries.
pub async fn sizes(conn: &mut AsyncPgConnection, course_ids: &[i64]) -> QueryResult<Vec<(i64, i64, i64)>> {
    use diesel::dsl::count;
    let lesson_counts: Vec<(i64, i64)> = lessons::table
        .filter(lessons::course_id.eq_any(course_ids))
        .group_by(lessons::course_id)
        .select((lessons::course_id, count(lessons::id)))
        .load(conn)
        .await?;
    let question_counts: Vec<(i64, i64)> = quiz_questions::table
        .filter(quiz_questions::course_id.eq_any(course_ids))
        .group_by(quiz_questions::course_id)
        .select((quiz_questions::course_id, count(quiz_questions::id)))
        .load(conn)
        .await?;
    let of = |counts: &[(i64, i64)], id: i64| counts.iter().find(|(c, _)| *c == id).map_or(0, |(_, n)| *n);
    Ok(course_ids
        .iter()
        .map(|&id| (id, of(&lesson_counts, id), of(&question_counts, id)))
        .collect())
}

/// The published courses this partner may see, in the programs it is an active partner in.
pub async fn visible_to_partner(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<PartnerCourse>> {
    let rows: Vec<(CourseRow, String, String, Option<String>)> = courses::table
        .inner_join(programs::table)
        .inner_join(
            memberships::table.on(memberships::program_id
                .eq(courses::program_id)
                .and(memberships::partner_id.eq(partner_id))
                .and(memberships::status.eq("active"))),
        )
        .inner_join(partners::table.on(partners::id.eq(memberships::partner_id)))
        .filter(courses::published_at.is_not_null())
        .order((programs::name, courses::id))
        .select((
            CourseRow::as_select(),
            programs::name,
            partners::kind,
            memberships::tier,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|(course, _, kind, tier)| {
            course.visibility().admits(&Audience {
                partner_id,
                kind,
                tier: tier.as_deref(),
            })
        })
        .map(|(course, program_name, ..)| PartnerCourse { course, program_name })
        .collect())
}

/// One course, if this partner may see it; `None` as for one that doesn't exist.
pub async fn find_for_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    id: i64,
) -> QueryResult<Option<PartnerCourse>> {
    // A partner's courses are few; reading them keeps one visibility rule.
    Ok(visible_to_partner(conn, partner_id)
        .await?
        .into_iter()
        .find(|c| c.course.id == id))
}
