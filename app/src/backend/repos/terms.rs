//! Partner terms versions. Rows are never updated; the terms in force at a time are the latest
//! version that had taken effect by then.

use crate::backend::schema::{commission_plans, partner_terms, partners, program_memberships, users};
use diesel::dsl::max;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable)]
pub struct TermsRow {
    pub id: i64,
    pub program_id: i64,
    pub partner_id: i64,
    pub version: i32,
    pub plan_id: i64,
    pub plan_name: String,
    pub plan: Value,
    pub overrides: Value,
    pub effective_from: OffsetDateTime,
    pub author: Option<String>,
    pub reason: String,
    pub created_at: OffsetDateTime,
}

pub struct NewTerms<'a> {
    pub program_id: i64,
    pub partner_id: i64,
    pub plan_id: i64,
    pub overrides: Value,
    pub effective_from: OffsetDateTime,
    pub author_id: Option<i64>,
    pub reason: &'a str,
}

type Columns = (
    partner_terms::id,
    partner_terms::program_id,
    partner_terms::partner_id,
    partner_terms::version,
    partner_terms::plan_id,
    commission_plans::name,
    commission_plans::definition,
    partner_terms::overrides,
    partner_terms::effective_from,
    diesel::dsl::Nullable<users::display_name>,
    partner_terms::reason,
    partner_terms::created_at,
);

fn columns() -> Columns {
    (
        partner_terms::id,
        partner_terms::program_id,
        partner_terms::partner_id,
        partner_terms::version,
        partner_terms::plan_id,
        commission_plans::name,
        commission_plans::definition,
        partner_terms::overrides,
        partner_terms::effective_from,
        users::display_name.nullable(),
        partner_terms::reason,
        partner_terms::created_at,
    )
}

macro_rules! with_plan {
    () => {
        partner_terms::table
            .inner_join(commission_plans::table)
            .left_join(users::table.on(users::id.nullable().eq(partner_terms::author_id)))
    };
}

/// Adds the next version. Versions of one membership are numbered under a row lock on the
/// membership, so concurrent changes take turns.
pub async fn insert(conn: &mut AsyncPgConnection, new: &NewTerms<'_>, now: OffsetDateTime) -> QueryResult<i64> {
    program_memberships::table
        .filter(program_memberships::program_id.eq(new.program_id))
        .filter(program_memberships::partner_id.eq(new.partner_id))
        .select(program_memberships::id)
        .for_update()
        .first::<i64>(conn)
        .await?;
    let latest: Option<i32> = partner_terms::table
        .filter(partner_terms::program_id.eq(new.program_id))
        .filter(partner_terms::partner_id.eq(new.partner_id))
        .select(max(partner_terms::version))
        .first(conn)
        .await?;
    diesel::insert_into(partner_terms::table)
        .values((
            partner_terms::program_id.eq(new.program_id),
            partner_terms::partner_id.eq(new.partner_id),
            partner_terms::version.eq(latest.unwrap_or(0) + 1),
            partner_terms::plan_id.eq(new.plan_id),
            partner_terms::overrides.eq(&new.overrides),
            partner_terms::effective_from.eq(new.effective_from),
            partner_terms::author_id.eq(new.author_id),
            partner_terms::reason.eq(new.reason),
            partner_terms::created_at.eq(now),
        ))
        .returning(partner_terms::id)
        .get_result(conn)
        .await
}

/// The terms in force at `at`: the one query behind "which terms applied on day D?".
pub async fn in_force(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    at: OffsetDateTime,
) -> QueryResult<Option<TermsRow>> {
    with_plan!()
        .filter(partner_terms::program_id.eq(program_id))
        .filter(partner_terms::partner_id.eq(partner_id))
        .filter(partner_terms::effective_from.le(at))
        .order((partner_terms::effective_from.desc(), partner_terms::version.desc()))
        .select(columns())
        .first(conn)
        .await
        .optional()
}

pub async fn get(conn: &mut AsyncPgConnection, terms_id: i64) -> QueryResult<TermsRow> {
    with_plan!()
        .filter(partner_terms::id.eq(terms_id))
        .select(columns())
        .first(conn)
        .await
}

/// Every version of a membership's terms, newest first.
pub async fn history(conn: &mut AsyncPgConnection, program_id: i64, partner_id: i64) -> QueryResult<Vec<TermsRow>> {
    with_plan!()
        .filter(partner_terms::program_id.eq(program_id))
        .filter(partner_terms::partner_id.eq(partner_id))
        .order(partner_terms::version.desc())
        .select(columns())
        .load(conn)
        .await
}

/// Memberships of a program chosen for a bulk amendment: active ones, optionally of one
/// partner kind and country.
pub async fn amendment_targets(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    kind: Option<&str>,
    country: Option<&str>,
) -> QueryResult<Vec<(i64, String, String)>> {
    let mut query = program_memberships::table
        .inner_join(partners::table)
        .filter(program_memberships::program_id.eq(program_id))
        .filter(program_memberships::status.eq("active"))
        .select((partners::id, partners::name, partners::email))
        .order(partners::name.asc())
        .into_boxed();
    if let Some(kind) = kind {
        query = query.filter(partners::kind.eq(kind.to_owned()));
    }
    if let Some(country) = country {
        query = query.filter(partners::country.eq(country.to_owned()));
    }
    query.load(conn).await
}
