//! Agreement versions and acceptances. Which versions a person still has to accept is decided
//! in one query: the newest version of every program its partner is active (or suspended) in,
//! without an acceptance by that person.

use crate::backend::schema::{agreement_acceptances as acceptances, agreement_versions as versions};
use diesel::prelude::*;
use diesel::sql_types::{Int8, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = versions)]
pub struct AgreementRow {
    pub id: i64,
    pub program_id: i64,
    pub version: i32,
    pub title: String,
    pub body_markdown: String,
    pub changes: String,
    pub text_sha256: String,
    pub published_at: OffsetDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = versions)]
pub struct NewAgreement {
    pub program_id: i64,
    pub version: i32,
    pub title: String,
    pub body_markdown: String,
    pub changes: String,
    pub text_sha256: String,
    pub published_by: i64,
    pub published_at: OffsetDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = acceptances)]
pub struct NewAcceptance {
    pub agreement_id: i64,
    pub user_id: i64,
    pub partner_id: i64,
    pub accepted_at: OffsetDateTime,
    pub ip: String,
    pub text_sha256: String,
}

/// The version in force in a program: its newest.
pub async fn in_force(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Option<AgreementRow>> {
    versions::table
        .filter(versions::program_id.eq(program_id))
        .order(versions::version.desc())
        .select(AgreementRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Every version of a program, newest first, with how many people accepted each.
pub async fn history(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<(AgreementRow, i64)>> {
    versions::table
        .left_join(acceptances::table)
        .filter(versions::program_id.eq(program_id))
        .group_by(versions::id)
        .order(versions::version.desc())
        .select((
            AgreementRow::as_select(),
            diesel::dsl::count(acceptances::user_id.nullable()),
        ))
        .load(conn)
        .await
}

/// Publishes the next version of a program's agreement; call it after `programs::lock`, in the
/// same transaction.
pub async fn publish(conn: &mut AsyncPgConnection, mut new: NewAgreement) -> QueryResult<AgreementRow> {
    let newest: Option<i32> = versions::table
        .filter(versions::program_id.eq(new.program_id))
        .select(diesel::dsl::max(versions::version))
        .first(conn)
        .await?;
    new.version = newest.unwrap_or(0) + 1;
    diesel::insert_into(versions::table)
        .values(&new)
        .returning(AgreementRow::as_returning())
        .get_result(conn)
        .await
}

/// A version by id, if it belongs to one of the programs the partner is active or suspended in.
pub async fn for_partner(
    conn: &mut AsyncPgConnection,
    agreement_id: i64,
    partner_id: i64,
) -> QueryResult<Option<AgreementRow>> {
    use crate::backend::schema::program_memberships as memberships;
    versions::table
        .inner_join(memberships::table.on(memberships::program_id.eq(versions::program_id)))
        .filter(versions::id.eq(agreement_id))
        .filter(memberships::partner_id.eq(partner_id))
        .filter(memberships::status.eq_any(["active", "suspended"]))
        .select(AgreementRow::as_select())
        .first(conn)
        .await
        .optional()
}

const IN_FORCE_FOR_PARTNER: &str = "
    SELECT DISTINCT ON (v.program_id) v.*
    FROM agreement_versions v
    JOIN program_memberships m
      ON m.program_id = v.program_id AND m.partner_id = $1 AND m.status IN ('active', 'suspended')
    ORDER BY v.program_id, v.version DESC";

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    due: bool,
}

/// Whether the person has a version in force left to accept (the portal's gate).
pub async fn any_due(conn: &mut AsyncPgConnection, partner_id: i64, user_id: i64) -> QueryResult<bool> {
    let row: Exists = diesel::sql_query(format!(
        "SELECT EXISTS (SELECT 1 FROM ({IN_FORCE_FOR_PARTNER}) in_force
           WHERE NOT EXISTS (SELECT 1 FROM agreement_acceptances a
                             WHERE a.agreement_id = in_force.id AND a.user_id = $2)) AS due"
    ))
    .bind::<Int8, _>(partner_id)
    .bind::<Int8, _>(user_id)
    .get_result(conn)
    .await?;
    Ok(row.due)
}

#[derive(Clone, Debug, QueryableByName)]
pub struct AgreementForPerson {
    #[diesel(embed)]
    pub agreement: AgreementRow,
    #[diesel(sql_type = Text)]
    pub program_name: String,
    /// When this person accepted this version; `None` while it waits for them.
    #[diesel(sql_type = diesel::sql_types::Nullable<Timestamptz>)]
    pub accepted_at: Option<OffsetDateTime>,
    /// The newest earlier version this person accepted, if any (to say what changed since).
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int4>)]
    pub last_accepted_version: Option<i32>,
}

/// The version in force of every program of the partner, with this person's acceptance.
pub async fn in_force_for_person(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    user_id: i64,
) -> QueryResult<Vec<AgreementForPerson>> {
    diesel::sql_query(format!(
        "SELECT in_force.*, p.name AS program_name, mine.accepted_at,
                (SELECT max(v.version) FROM agreement_acceptances a
                   JOIN agreement_versions v ON v.id = a.agreement_id
                  WHERE a.user_id = $2 AND v.program_id = in_force.program_id
                    AND v.version < in_force.version) AS last_accepted_version
         FROM ({IN_FORCE_FOR_PARTNER}) in_force
         JOIN programs p ON p.id = in_force.program_id
         LEFT JOIN agreement_acceptances mine ON mine.agreement_id = in_force.id AND mine.user_id = $2
         ORDER BY (mine.accepted_at IS NOT NULL), p.name"
    ))
    .bind::<Int8, _>(partner_id)
    .bind::<Int8, _>(user_id)
    .load(conn)
    .await
}

/// Records an acceptance; a second acceptance of the same version by the same person changes
/// nothing. Returns whether a row was written.
pub async fn accept(conn: &mut AsyncPgConnection, new: &NewAcceptance) -> QueryResult<bool> {
    let written = diesel::insert_into(acceptances::table)
        .values(new)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(written == 1)
}

#[derive(Clone, Debug, QueryableByName)]
pub struct PersonAcceptance {
    #[diesel(sql_type = Text)]
    pub person: String,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Text)]
    pub partner_name: String,
    /// The newest version of this program the person accepted, if any.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int4>)]
    pub version: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Timestamptz>)]
    pub accepted_at: Option<OffsetDateTime>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    pub ip: Option<String>,
    /// Every person listed (all pages), and how many of them are behind `in_force`.
    #[diesel(sql_type = Int8)]
    pub total: i64,
    #[diesel(sql_type = Int8)]
    pub waiting: i64,
}

/// One page of the people of the program's active and suspended partners, each with the newest
/// version they accepted: those behind version `in_force` first. Each row carries the totals.
pub async fn people_of_program(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    in_force: Option<i32>,
    (offset, limit): (i64, i64),
) -> QueryResult<Vec<PersonAcceptance>> {
    diesel::sql_query(
        "SELECT u.display_name AS person, u.email, pa.name AS partner_name,
                last.version, last.accepted_at, last.ip,
                count(*) OVER () AS total,
                count(*) FILTER (WHERE last.version IS DISTINCT FROM $2) OVER () AS waiting
         FROM program_memberships m
         JOIN partners pa ON pa.id = m.partner_id
         JOIN users u ON u.partner_id = m.partner_id AND u.is_active
         LEFT JOIN LATERAL (
             SELECT v.version, a.accepted_at, a.ip
             FROM agreement_acceptances a JOIN agreement_versions v ON v.id = a.agreement_id
             WHERE a.user_id = u.id AND v.program_id = m.program_id
             ORDER BY v.version DESC LIMIT 1) last ON true
         WHERE m.program_id = $1 AND m.status IN ('active', 'suspended')
         ORDER BY last.version IS NOT DISTINCT FROM $2, last.version NULLS FIRST, pa.name, u.display_name, u.id
         OFFSET $3 LIMIT $4",
    )
    .bind::<Int8, _>(program_id)
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::Int4>, _>(in_force)
    .bind::<Int8, _>(offset)
    .bind::<Int8, _>(limit)
    .load(conn)
    .await
}
