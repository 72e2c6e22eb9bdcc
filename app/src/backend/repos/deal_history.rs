//! What happened to each deal (append-only events) and the partner's requests for more
//! protection.

use crate::backend::schema::{deal_events, deal_extensions, deals, users};
use crate::backend::scope::Scope;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = deal_events)]
pub struct NewDealEvent<'a> {
    pub deal_id: i64,
    pub at: OffsetDateTime,
    pub actor_id: Option<i64>,
    pub kind: &'a str,
    pub stage: Option<&'a str>,
    pub value: Option<Decimal>,
    pub note: Option<&'a str>,
}

pub async fn record(conn: &mut AsyncPgConnection, event: &NewDealEvent<'_>) -> QueryResult<()> {
    diesel::insert_into(deal_events::table)
        .values(event)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Clone, Debug, Queryable)]
pub struct DealEventRow {
    pub at: OffsetDateTime,
    pub kind: String,
    pub stage: Option<String>,
    pub value: Option<Decimal>,
    pub note: Option<String>,
    /// The actor's display name; `None` for the system.
    pub actor: Option<String>,
}

pub async fn events(conn: &mut AsyncPgConnection, deal_id: i64) -> QueryResult<Vec<DealEventRow>> {
    deal_events::table
        .left_join(users::table.on(users::id.nullable().eq(deal_events::actor_id)))
        .filter(deal_events::deal_id.eq(deal_id))
        .order(deal_events::id.asc())
        .select((
            deal_events::at,
            deal_events::kind,
            deal_events::stage,
            deal_events::value,
            deal_events::note,
            users::display_name.nullable(),
        ))
        .load(conn)
        .await
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = deal_extensions)]
pub struct ExtensionRow {
    pub id: i64,
    pub deal_id: i64,
    pub days: i32,
    pub reason: String,
    pub requested_at: OffsetDateTime,
    pub status: String,
    pub decided_at: Option<OffsetDateTime>,
    pub decision_reason: Option<String>,
}

/// `None` when the deal already has a request waiting (the partial unique index says so).
pub async fn request_extension(
    conn: &mut AsyncPgConnection,
    deal_id: i64,
    days: i32,
    reason: &str,
    by: i64,
    now: OffsetDateTime,
) -> QueryResult<Option<i64>> {
    diesel::insert_into(deal_extensions::table)
        .values((
            deal_extensions::deal_id.eq(deal_id),
            deal_extensions::days.eq(days),
            deal_extensions::reason.eq(reason),
            deal_extensions::requested_by.eq(by),
            deal_extensions::requested_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .returning(deal_extensions::id)
        .get_result(conn)
        .await
        .optional()
}

pub async fn extensions(conn: &mut AsyncPgConnection, deal_id: i64) -> QueryResult<Vec<ExtensionRow>> {
    deal_extensions::table
        .filter(deal_extensions::deal_id.eq(deal_id))
        .order(deal_extensions::id.asc())
        .select(ExtensionRow::as_select())
        .load(conn)
        .await
}

/// The deal's waiting request, locked for a decision.
pub async fn lock_pending_extension(conn: &mut AsyncPgConnection, deal_id: i64) -> QueryResult<Option<ExtensionRow>> {
    deal_extensions::table
        .filter(deal_extensions::deal_id.eq(deal_id))
        .filter(deal_extensions::status.eq("pending"))
        .select(ExtensionRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

pub async fn decide_extension(
    conn: &mut AsyncPgConnection,
    id: i64,
    approved: bool,
    by: i64,
    reason: Option<&str>,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::update(deal_extensions::table.filter(deal_extensions::id.eq(id)))
        .set((
            deal_extensions::status.eq(if approved { "approved" } else { "denied" }),
            deal_extensions::decided_by.eq(by),
            deal_extensions::decided_at.eq(now),
            deal_extensions::decision_reason.eq(reason),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Closes a waiting request that can no longer be granted (its deal's protection ended).
pub async fn decide_extension_by_system(
    conn: &mut AsyncPgConnection,
    id: i64,
    reason: &str,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::update(deal_extensions::table.filter(deal_extensions::id.eq(id)))
        .set((
            deal_extensions::status.eq("denied"),
            deal_extensions::decided_at.eq(now),
            deal_extensions::decision_reason.eq(reason),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// How many extension requests wait on deals in the operator's scope, for the console's tab.
pub async fn pending_extension_count(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<i64> {
    let in_scope = deals::table
        .filter(deals::program_id.eq_any(&scope.programs))
        .select(deals::id);
    deal_extensions::table
        .filter(deal_extensions::status.eq("pending"))
        .filter(deal_extensions::deal_id.eq_any(in_scope))
        .count()
        .get_result(conn)
        .await
}
