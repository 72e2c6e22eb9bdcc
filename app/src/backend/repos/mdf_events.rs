//! The MDF history: every allocation and transition with its amount, append-only.

use super::{page_window, Page};
use crate::backend::schema::mdf_events as events;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = events)]
pub struct NewEvent<'a> {
    pub fund_id: i64,
    pub partner_id: i64,
    pub request_id: Option<i64>,
    pub kind: &'a str,
    pub amount: Option<Decimal>,
    pub actor_id: Option<i64>,
    pub note: Option<&'a str>,
    pub occurred_at: OffsetDateTime,
}

pub async fn record(conn: &mut AsyncPgConnection, event: &NewEvent<'_>) -> QueryResult<()> {
    diesel::insert_into(events::table)
        .values(event)
        .execute(conn)
        .await
        .map(drop)
}

#[derive(Clone, Debug, QueryableByName)]
pub struct EventLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub request_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub fund_name: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub amount: Option<Decimal>,
    /// Who acted: an operator's name, "you" for the partner's own users, none for the system.
    #[diesel(sql_type = Nullable<Text>)]
    pub actor: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub note: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: OffsetDateTime,
}

const LINE_SELECT: &str = "SELECT e.id, e.request_id, f.name AS fund_name, f.currency, e.kind, e.amount,
        u.display_name AS actor, e.note, e.occurred_at
    FROM mdf_events e JOIN mdf_funds f ON f.id = e.fund_id LEFT JOIN users u ON u.id = e.actor_id";

/// The partner's history across funds, newest first (the partner id comes from the session).
pub async fn for_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    page: i64,
    per_page: i64,
) -> QueryResult<Page<EventLine>> {
    let total = events::table
        .filter(events::partner_id.eq(partner_id))
        .count()
        .get_result(conn)
        .await?;
    let (offset, limit) = page_window(page, per_page);
    let rows = diesel::sql_query(format!(
        "{LINE_SELECT} WHERE e.partner_id = $1 ORDER BY e.occurred_at DESC, e.id DESC OFFSET $2 LIMIT $3"
    ))
    .bind::<BigInt, _>(partner_id)
    .bind::<BigInt, _>(offset)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?;
    Ok(Page { rows, total })
}

/// One request's history, oldest first.
pub async fn for_request(conn: &mut AsyncPgConnection, request_id: i64) -> QueryResult<Vec<EventLine>> {
    diesel::sql_query(format!("{LINE_SELECT} WHERE e.request_id = $1 ORDER BY e.id"))
        .bind::<BigInt, _>(request_id)
        .load(conn)
        .await
}
