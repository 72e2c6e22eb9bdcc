//! Quiz attempts, every one kept. Each is numbered per person and course, and the number is
//! unique, so two submissions racing for the same attempt can't both be stored.

use crate::backend::schema::course_attempts as attempts;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Int8};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = attempts)]
pub struct AttemptRow {
    pub id: i64,
    pub course_id: i64,
    pub user_id: i64,
    pub partner_id: i64,
    pub attempt_no: i32,
    pub answers: serde_json::Value,
    pub score_percent: i16,
    pub passed: bool,
    pub submitted_at: OffsetDateTime,
}

impl AttemptRow {
    pub fn past(&self) -> crate::domain::training::attempts::Past {
        crate::domain::training::attempts::Past {
            submitted_at: self.submitted_at,
            passed: self.passed,
        }
    }
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = attempts)]
pub struct NewAttempt {
    pub course_id: i64,
    pub user_id: i64,
    pub partner_id: i64,
    pub attempt_no: i32,
    pub answers: serde_json::Value,
    pub score_percent: i16,
    pub passed: bool,
    pub submitted_at: OffsetDateTime,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewAttempt) -> QueryResult<i64> {
    diesel::insert_into(attempts::table)
        .values(new)
        .returning(attempts::id)
        .get_result(conn)
        .await
}

/// One person's attempts at some courses, in the order taken.
pub async fn of_person(conn: &mut AsyncPgConnection, user_id: i64, course_ids: &[i64]) -> QueryResult<Vec<AttemptRow>> {
    attempts::table
        .filter(
            attempts::user_id
                .eq(user_id)
                .and(attempts::course_id.eq_any(course_ids)),
        )
        .order((attempts::course_id, attempts::attempt_no))
        .select(AttemptRow::as_select())
        .load(conn)
        .await
}

/// Which of these courses the person has passed at least once.
pub async fn passed_courses(conn: &mut AsyncPgConnection, user_id: i64, course_ids: &[i64]) -> QueryResult<Vec<i64>> {
    attempts::table
        .filter(
            attempts::user_id
                .eq(user_id)
                .and(attempts::course_id.eq_any(course_ids))
                .and(attempts::passed),
        )
        .select(attempts::course_id)
        .distinct()
        .load(conn)
        .await
}

/// Completion and pass figures of one course.
#[derive(Clone, Debug, Default, PartialEq, Eq, QueryableByName)]
pub struct CourseFigures {
    #[diesel(sql_type = Int8)]
    pub course_id: i64,
    /// People with at least one attempt.
    #[diesel(sql_type = BigInt)]
    pub started: i64,
    /// People who passed at least once.
    #[diesel(sql_type = BigInt)]
    pub completed: i64,
    #[diesel(sql_type = BigInt)]
    pub attempts: i64,
    #[diesel(sql_type = BigInt)]
    pub passed_attempts: i64,
}

/// The figures of every course of a program that has attempts, in one query.
pub async fn figures(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<CourseFigures>> {
    diesel::sql_query(
        "SELECT a.course_id, count(DISTINCT a.user_id) AS started,
                count(DISTINCT a.user_id) FILTER (WHERE a.passed) AS completed,
                count(*) AS attempts, count(*) FILTER (WHERE a.passed) AS passed_attempts
         FROM course_attempts a JOIN courses c ON c.id = a.course_id
         WHERE c.program_id = $1
         GROUP BY a.course_id",
    )
    .bind::<Int8, _>(program_id)
    .load(conn)
    .await
}
