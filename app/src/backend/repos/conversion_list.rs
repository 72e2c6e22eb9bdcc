//! The console's conversion list and its CSV export: filtered, sorted, paged, with each
//! conversion's refunds and net commission summed in.

use super::Page;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Numeric, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub program_id: i64,
    pub partner_id: Option<i64>,
    /// "open", "partially_refunded" or "refunded".
    pub refund_status: Option<String>,
    pub attributed: Option<bool>,
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
    /// "newest" (default), "oldest", "amount".
    pub sort: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Clone, Debug, QueryableByName)]
pub struct ListedConversion {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub order_id: String,
    #[diesel(sql_type = Text)]
    pub event: String,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub amount: Option<Decimal>,
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub partner_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub partner_name: Option<String>,
    #[diesel(sql_type = Text)]
    pub attribution: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub attribution_note: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub click_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub coupon: Option<String>,
    #[diesel(sql_type = Numeric)]
    pub refunded: Decimal,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub commission: Option<Decimal>,
    #[diesel(sql_type = Numeric)]
    pub commission_net: Decimal,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

const FROM: &str = "FROM conversions c \
    LEFT JOIN partners p ON p.id = c.partner_id \
    LEFT JOIN LATERAL (SELECT COALESCE(sum(amount), 0) AS refunded FROM refunds r WHERE r.conversion_id = c.id) r ON TRUE \
    LEFT JOIN LATERAL (SELECT sum(amount) FILTER (WHERE kind = 'commission') AS commission, COALESCE(sum(amount), 0) AS net \
                       FROM commissions m WHERE m.conversion_id = c.id) m ON TRUE \
    WHERE c.program_id = $1 \
      AND ($2::bigint IS NULL OR c.partner_id = $2) \
      AND ($3::text IS NULL \
           OR ($3 = 'open' AND r.refunded = 0) \
           OR ($3 = 'refunded' AND r.refunded > 0 AND r.refunded >= c.amount) \
           OR ($3 = 'partially_refunded' AND r.refunded > 0 AND r.refunded < c.amount)) \
      AND ($4::boolean IS NULL OR (c.partner_id IS NOT NULL) = $4) \
      AND ($5::date IS NULL OR c.occurred_at >= $5::date) \
      AND ($6::date IS NULL OR c.occurred_at < $6::date + 1)";

fn order_by(sort: Option<&str>) -> &'static str {
    match sort {
        Some("oldest") => "c.occurred_at ASC, c.id ASC",
        Some("amount") => "c.amount DESC NULLS LAST, c.id DESC",
        _ => "c.occurred_at DESC, c.id DESC",
    }
}

macro_rules! bind_filter {
    ($query:expr, $f:expr) => {
        $query
            .bind::<BigInt, _>($f.program_id)
            .bind::<Nullable<BigInt>, _>($f.partner_id)
            .bind::<Nullable<Text>, _>($f.refund_status.clone())
            .bind::<Nullable<diesel::sql_types::Bool>, _>($f.attributed)
            .bind::<Nullable<Date>, _>($f.from)
            .bind::<Nullable<Date>, _>($f.to)
    };
}

const COLUMNS: &str =
    "SELECT c.id, c.order_id, c.event, c.amount, c.occurred_at, c.partner_id, p.name AS partner_name, \
    c.attribution, c.attribution_note, c.click_id, c.coupon, r.refunded, m.commission, m.net AS commission_net ";

pub async fn list(conn: &mut AsyncPgConnection, filter: &Filter) -> QueryResult<Page<ListedConversion>> {
    let (offset, limit) = super::page_window(filter.page, filter.per_page);
    let total: Count = bind_filter!(diesel::sql_query(format!("SELECT count(*) AS n {FROM}")), filter)
        .get_result(conn)
        .await?;
    let sql = format!(
        "{COLUMNS}{FROM} ORDER BY {} LIMIT $7 OFFSET $8",
        order_by(filter.sort.as_deref())
    );
    let rows = bind_filter!(diesel::sql_query(sql), filter)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
        .await?;
    Ok(Page { rows, total: total.n })
}

/// Every matching row, for the CSV export (capped, so one request can't exhaust memory).
pub async fn export(conn: &mut AsyncPgConnection, filter: &Filter) -> QueryResult<Vec<ListedConversion>> {
    let sql = format!(
        "{COLUMNS}{FROM} ORDER BY {} LIMIT 100000",
        order_by(filter.sort.as_deref())
    );
    bind_filter!(diesel::sql_query(sql), filter).load(conn).await
}
