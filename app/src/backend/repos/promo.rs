//! Partners' own promotional material: the program's rules and the submissions. A partner's
//! reads take its id from the session into the query; the console's take the program, which the
//! caller checked is in the operator's scope.

use crate::backend::schema::{partners, programs, promo_rules as rules, promo_submissions as submissions, users};
use crate::domain::promo::Rules;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

/// The program's rules (the defaults when it never set any).
pub async fn rules(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Rules> {
    let found: Option<(bool, Vec<String>, Vec<String>)> = rules::table
        .filter(rules::program_id.eq(program_id))
        .select((rules::require_approval, rules::disclosure_phrases, rules::brand_terms))
        .first(conn)
        .await
        .optional()?;
    Ok(
        found.map_or_else(Rules::default, |(require_approval, disclosure_phrases, brand_terms)| {
            Rules {
                require_approval,
                disclosure_phrases,
                brand_terms,
            }
        }),
    )
}

pub async fn save_rules(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    new: &Rules,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::insert_into(rules::table)
        .values((
            rules::program_id.eq(program_id),
            rules::require_approval.eq(new.require_approval),
            rules::disclosure_phrases.eq(&new.disclosure_phrases),
            rules::brand_terms.eq(&new.brand_terms),
            rules::updated_at.eq(now),
        ))
        .on_conflict(rules::program_id)
        .do_update()
        .set((
            rules::require_approval.eq(new.require_approval),
            rules::disclosure_phrases.eq(&new.disclosure_phrases),
            rules::brand_terms.eq(&new.brand_terms),
            rules::updated_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = submissions)]
pub struct SubmissionRow {
    pub id: i64,
    pub program_id: i64,
    pub partner_id: i64,
    pub submitted_by: i64,
    pub channel: String,
    pub url: String,
    pub body: String,
    pub flags: Vec<String>,
    pub status: String,
    pub reason: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    /// Set when the submission has a screenshot (its bytes are read only to serve it).
    pub screenshot_type: Option<String>,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = submissions)]
pub struct NewSubmission {
    pub program_id: i64,
    pub partner_id: i64,
    pub submitted_by: i64,
    pub channel: String,
    pub url: String,
    pub body: String,
    pub flags: Vec<String>,
    pub created_at: OffsetDateTime,
    pub screenshot_type: Option<String>,
    pub screenshot: Option<Vec<u8>>,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewSubmission) -> QueryResult<i64> {
    diesel::insert_into(submissions::table)
        .values(new)
        .returning(submissions::id)
        .get_result(conn)
        .await
}

/// A submission with the names the console shows: (row, partner name, program name).
pub type NamedSubmission = (SubmissionRow, String, String);

/// A program's submissions, pending first, then newest first.
pub async fn of_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<NamedSubmission>> {
    submissions::table
        .inner_join(partners::table)
        .inner_join(programs::table)
        .filter(submissions::program_id.eq(program_id))
        .order(((submissions::status.ne("pending")), submissions::id.desc()))
        .select((SubmissionRow::as_select(), partners::name, programs::name))
        .load(conn)
        .await
}

/// This partner's submissions, newest first.
pub async fn of_partner(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<NamedSubmission>> {
    submissions::table
        .inner_join(partners::table)
        .inner_join(programs::table)
        .filter(submissions::partner_id.eq(partner_id))
        .order(submissions::id.desc())
        .select((SubmissionRow::as_select(), partners::name, programs::name))
        .load(conn)
        .await
}

/// One of the program's submissions, locked for its decision.
pub async fn lock_in_program(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    id: i64,
) -> QueryResult<Option<SubmissionRow>> {
    submissions::table
        .filter(submissions::program_id.eq(program_id).and(submissions::id.eq(id)))
        .select(SubmissionRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

pub async fn set_decision(
    conn: &mut AsyncPgConnection,
    id: i64,
    status: &str,
    reason: Option<&str>,
    decided_by: i64,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::update(submissions::table.filter(submissions::id.eq(id)))
        .set((
            submissions::status.eq(status),
            submissions::reason.eq(reason),
            submissions::decided_by.eq(decided_by),
            submissions::decided_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The person who submitted: (email, display name).
pub async fn submitter(conn: &mut AsyncPgConnection, user_id: i64) -> QueryResult<(String, String)> {
    users::table
        .filter(users::id.eq(user_id))
        .select((users::email, users::display_name))
        .first(conn)
        .await
}

/// The rules of every program this partner is active in, in one query: (program id, name, rules).
pub async fn rules_for_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
) -> QueryResult<Vec<(i64, String, Rules)>> {
    use crate::backend::schema::program_memberships as memberships;
    type Found = (i64, String, Option<bool>, Option<Vec<String>>, Option<Vec<String>>);
    let rows: Vec<Found> = programs::table
        .inner_join(
            memberships::table.on(memberships::program_id
                .eq(programs::id)
                .and(memberships::partner_id.eq(partner_id))
                .and(memberships::status.eq("active"))),
        )
        .left_join(rules::table.on(rules::program_id.eq(programs::id)))
        .order(programs::name)
        .select((
            programs::id,
            programs::name,
            rules::require_approval.nullable(),
            rules::disclosure_phrases.nullable(),
            rules::brand_terms.nullable(),
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, require_approval, disclosure_phrases, brand_terms)| {
            (
                id,
                name,
                Rules {
                    require_approval: require_approval.unwrap_or(false),
                    disclosure_phrases: disclosure_phrases.unwrap_or_default(),
                    brand_terms: brand_terms.unwrap_or_default(),
                },
            )
        })
        .collect())
}

/// Whose submission this is and its screenshot, if it has one: (program id, partner id, content
/// type, bytes).
pub async fn screenshot(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<(i64, i64, String, Vec<u8>)>> {
    submissions::table
        .find(id)
        .filter(submissions::screenshot.is_not_null())
        .select((
            submissions::program_id,
            submissions::partner_id,
            submissions::screenshot_type.assume_not_null(),
            submissions::screenshot.assume_not_null(),
        ))
        .first(conn)
        .await
        .optional()
}
