//! A program's application questions and the answers applicants gave. Questions in use are
//! ordered by `position`; a removed question is retired, so answers keep pointing at it.

use crate::backend::schema::{application_answers as answers, application_questions as questions};
use crate::domain::questions::{Answer, Question, QuestionDraft, QuestionKind};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = questions)]
pub struct QuestionRow {
    pub id: i64,
    pub program_id: i64,
    pub position: i32,
    pub label: String,
    pub help: String,
    pub kind: String,
    pub options: Vec<String>,
    pub required: bool,
}

impl QuestionRow {
    /// The question as the answer check sees it (a kind the database allows always parses).
    pub fn question(&self) -> Question {
        Question {
            id: self.id,
            label: self.label.clone(),
            kind: QuestionKind::parse(&self.kind).unwrap_or(QuestionKind::ShortText),
            options: self.options.clone(),
            required: self.required,
        }
    }
}

/// The program's questions in use, in order.
pub async fn in_use(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<QuestionRow>> {
    questions::table
        .filter(questions::program_id.eq(program_id))
        .filter(questions::retired_at.is_null())
        .order((questions::position, questions::id))
        .select(QuestionRow::as_select())
        .load(conn)
        .await
}

/// Adds a question after the others. Call it with the program row locked, so two additions at
/// once don't take the same position.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    draft: &QuestionDraft,
    now: OffsetDateTime,
) -> QueryResult<QuestionRow> {
    let last: Option<i32> = questions::table
        .filter(questions::program_id.eq(program_id))
        .filter(questions::retired_at.is_null())
        .select(diesel::dsl::max(questions::position))
        .first(conn)
        .await?;
    diesel::insert_into(questions::table)
        .values((
            questions::program_id.eq(program_id),
            questions::position.eq(last.unwrap_or(0) + 1),
            questions::label.eq(&draft.label),
            questions::help.eq(&draft.help),
            questions::kind.eq(draft.kind.as_str()),
            questions::options.eq(&draft.options),
            questions::required.eq(draft.required),
            questions::created_at.eq(now),
        ))
        .returning(QuestionRow::as_returning())
        .get_result(conn)
        .await
}

/// Question `id` of the program, while it is in use.
#[diesel::dsl::auto_type]
fn live(program_id: i64, id: i64) -> _ {
    questions::table
        .filter(questions::id.eq(id))
        .filter(questions::program_id.eq(program_id))
        .filter(questions::retired_at.is_null())
}

/// Rewrites a question in use of the program; `None` when it has no such question.
pub async fn update(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    id: i64,
    draft: &QuestionDraft,
) -> QueryResult<Option<QuestionRow>> {
    diesel::update(live(program_id, id))
        .set((
            questions::label.eq(&draft.label),
            questions::help.eq(&draft.help),
            questions::kind.eq(draft.kind.as_str()),
            questions::options.eq(&draft.options),
            questions::required.eq(draft.required),
        ))
        .returning(QuestionRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// Takes a question off the form; its answers stay. `None` when the program has no such question.
pub async fn retire(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    id: i64,
    now: OffsetDateTime,
) -> QueryResult<Option<QuestionRow>> {
    diesel::update(live(program_id, id))
        .set(questions::retired_at.eq(now))
        .returning(QuestionRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// Writes the order of the program's questions: `ids` in their new order, positions 1, 2, …
pub async fn reorder(conn: &mut AsyncPgConnection, program_id: i64, ids: &[i64]) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE application_questions q SET position = o.n::int
         FROM unnest($2::bigint[]) WITH ORDINALITY AS o(id, n)
         WHERE q.id = o.id AND q.program_id = $1",
    )
    .bind::<BigInt, _>(program_id)
    .bind::<Array<BigInt>, _>(ids)
    .execute(conn)
    .await
    .map(drop)
}

/// Keeps an applicant's answers with their membership.
pub async fn insert_answers(conn: &mut AsyncPgConnection, membership_id: i64, given: &[Answer]) -> QueryResult<()> {
    if given.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = given
        .iter()
        .map(|a| {
            (
                answers::membership_id.eq(membership_id),
                answers::question_id.eq(a.question_id),
                answers::label.eq(&a.label),
                answers::answer.eq(&a.values),
            )
        })
        .collect();
    diesel::insert_into(answers::table).values(rows).execute(conn).await?;
    Ok(())
}

/// A membership's answers, as (question as asked, answer), in the form's order.
pub async fn answers_of(conn: &mut AsyncPgConnection, membership_id: i64) -> QueryResult<Vec<(String, Vec<String>)>> {
    answers::table
        .inner_join(questions::table)
        .filter(answers::membership_id.eq(membership_id))
        .order((questions::position, questions::id))
        .select((answers::label, answers::answer))
        .load(conn)
        .await
}
