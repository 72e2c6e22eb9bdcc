//! Saved segments, and a filter compiled to one SQL query over a program's active members. The
//! query text is fixed: every condition is `(bind IS NULL OR …)`, so a filter only changes the
//! bound values, and parts a count doesn't need (the window's rollups, the last activity) are
//! switched off by a bound flag that PostgreSQL folds away before it reads those tables.

use crate::backend::schema::segments;
use crate::domain::segments::filter::{Fields, Filter, ACTIVITY_LOOKBACK_DAYS};
use crate::domain::segments::{Activation, Facts};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Numeric, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Duration, OffsetDateTime};

/// A segment as saved: its filter is the form's fields, parsed when used.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = segments)]
pub struct SegmentRow {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub filter: serde_json::Value,
    pub updated_at: OffsetDateTime,
}

impl SegmentRow {
    pub fn fields(&self) -> Fields {
        serde_json::from_value(self.filter.clone()).unwrap_or_default()
    }
}

/// One member of a segment, with the facts the filter read.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub name: String,
    pub email: String,
    pub facts: Facts,
}

#[derive(QueryableByName)]
struct MemberRow {
    #[diesel(sql_type = BigInt)]
    partner_id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    tier: Option<String>,
    #[diesel(sql_type = Text)]
    country: String,
    #[diesel(sql_type = diesel::sql_types::Array<Text>)]
    tags: Vec<String>,
    #[diesel(sql_type = Numeric)]
    revenue: Decimal,
    #[diesel(sql_type = Numeric)]
    commission: Decimal,
    #[diesel(sql_type = BigInt)]
    conversions: i64,
    #[diesel(sql_type = BigInt)]
    clicks: i64,
    #[diesel(sql_type = BigInt)]
    bot_clicks: i64,
    #[diesel(sql_type = BigInt)]
    refunded: i64,
    #[diesel(sql_type = BigInt)]
    won_deals: i64,
    #[diesel(sql_type = Nullable<Date>)]
    last_active: Option<time::Date>,
    #[diesel(sql_type = Bool)]
    activated: bool,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Each active member's facts (`$1` program, `$2` window start, `$3` activity lookback start,
/// `$4` today; `$18` reads the window's performance, `$19` the activity; `$20`..`$21` the
/// window's whole weeks, Monday to Sunday), then the filter.
const QUERY: &str = "
WITH facts AS (
  SELECT m.partner_id, p.name, p.email, p.kind, p.country, m.tier, m.tags,
         COALESCE(s.revenue, 0) AS revenue, COALESCE(s.commission, 0) AS commission,
         COALESCE(s.conversions, 0)::BIGINT AS conversions, COALESCE(s.clicks, 0)::BIGINT AS clicks,
         COALESCE(s.bot_clicks, 0)::BIGINT AS bot_clicks, COALESCE(r.refunded, 0) AS refunded,
         COALESCE(d.won_deals, 0) AS won_deals,
         -- Per partner down its rollups' key, newest day first: one short index walk each.
         GREATEST((SELECT max(x.day) FROM daily_stats x
                    WHERE $19 AND x.program_id = $1 AND x.partner_id = m.partner_id
                      AND x.day BETWEEN $3 AND $4 AND (x.clicks > 0 OR x.conversions > 0)),
                  dl.day) AS last_active,
         ($19 AND (EXISTS (SELECT 1 FROM daily_stats x
                            WHERE x.program_id = $1 AND x.partner_id = m.partner_id AND x.clicks > 0)
                   OR EXISTS (SELECT 1 FROM deals y WHERE y.program_id = $1 AND y.partner_id = m.partner_id)))
           AS activated
  FROM program_memberships m
  JOIN partners p ON p.id = m.partner_id
  -- The window's whole weeks from partner_weeks, the days at either end from daily_stats.
  LEFT JOIN (SELECT partner_id, sum(revenue) AS revenue, sum(commission) AS commission,
                    sum(conversions) AS conversions, sum(clicks) AS clicks,
                    sum(clicks - unique_clicks) AS bot_clicks
               FROM (SELECT partner_id, revenue, commission, conversions, clicks, unique_clicks
                       FROM partner_weeks
                      WHERE $18 AND program_id = $1 AND week BETWEEN $20 AND $21 - 6
                     UNION ALL
                     SELECT partner_id, revenue, commission, conversions, clicks, unique_clicks
                       FROM daily_stats
                      WHERE $18 AND program_id = $1 AND day BETWEEN $2 AND $4
                        AND day NOT BETWEEN $20 AND $21) AS window_rows
              GROUP BY partner_id) s ON s.partner_id = m.partner_id
  LEFT JOIN (SELECT c.partner_id, count(DISTINCT r.conversion_id) AS refunded
               FROM refunds r JOIN conversions c ON c.id = r.conversion_id
              WHERE $18 AND r.program_id = $1 AND (r.created_at AT TIME ZONE 'UTC')::date BETWEEN $2 AND $4
              GROUP BY c.partner_id) r ON r.partner_id = m.partner_id
  LEFT JOIN (SELECT partner_id, count(*) AS won_deals FROM deals
              WHERE $18 AND program_id = $1 AND status = 'won'
                AND (closed_at AT TIME ZONE 'UTC')::date BETWEEN $2 AND $4
              GROUP BY partner_id) d ON d.partner_id = m.partner_id
  LEFT JOIN (SELECT partner_id, max((submitted_at AT TIME ZONE 'UTC')::date) AS day FROM deals
              WHERE $19 AND program_id = $1 AND (submitted_at AT TIME ZONE 'UTC')::date BETWEEN $3 AND $4
              GROUP BY partner_id) dl ON dl.partner_id = m.partner_id
  WHERE m.program_id = $1 AND m.status = 'active'
)
SELECT {select} FROM facts
 WHERE ($5::text IS NULL OR kind = $5)
   AND ($6::text IS NULL OR tier = $6)
   AND ($7::text IS NULL OR country = $7)
   AND ($8::text IS NULL OR $8 = ANY (tags))
   AND ($9::numeric IS NULL OR revenue >= $9)
   AND ($10::bigint IS NULL OR conversions >= $10)
   AND ($11::numeric IS NULL OR (clicks > 0 AND commission >= $11 * clicks))
   AND ($12::bigint IS NULL OR won_deals >= $12)
   AND ($13::numeric IS NULL OR refunded * 100 <= $13 * conversions)
   AND ($14::numeric IS NULL OR bot_clicks * 100 <= $14 * clicks)
   AND ($15::date IS NULL OR last_active > $15)
   AND ($16::date IS NULL OR last_active IS NULL OR last_active <= $16)
   AND ($17::bool IS NULL OR activated = $17)
 {order}";

/// What a query reads beyond the members' own columns.
#[derive(Clone, Copy)]
struct Reads {
    performance: bool,
    activity: bool,
}

impl Reads {
    const ALL: Reads = Reads {
        performance: true,
        activity: true,
    };

    fn of(filter: &Filter) -> Self {
        Self {
            performance: filter.min_revenue.is_some()
                || filter.min_conversions.is_some()
                || filter.min_epc.is_some()
                || filter.min_won_deals.is_some()
                || filter.max_refund_rate.is_some()
                || filter.max_bot_share.is_some(),
            activity: filter.active_within_days.is_some()
                || filter.inactive_for_days.is_some()
                || filter.onboarding.is_some(),
        }
    }
}

fn bound(
    sql: String,
    program_id: i64,
    filter: &Filter,
    today: time::Date,
    reads: Reads,
) -> diesel::query_builder::BoxedSqlQuery<'static, diesel::pg::Pg, diesel::query_builder::SqlQuery> {
    let days_ago = |days: i32| today - Duration::days(days.into());
    let weeks = whole_weeks(filter.window_start(today), today);
    diesel::sql_query(sql)
        .into_boxed()
        .bind::<BigInt, _>(program_id)
        .bind::<Date, _>(filter.window_start(today))
        .bind::<Date, _>(days_ago(ACTIVITY_LOOKBACK_DAYS - 1))
        .bind::<Date, _>(today)
        .bind::<Nullable<Text>, _>(filter.kind.map(|k| k.as_str().to_owned()))
        .bind::<Nullable<Text>, _>(filter.tier.clone())
        .bind::<Nullable<Text>, _>(filter.country.clone())
        .bind::<Nullable<Text>, _>(filter.tag.clone())
        .bind::<Nullable<Numeric>, _>(filter.min_revenue)
        .bind::<Nullable<BigInt>, _>(filter.min_conversions)
        .bind::<Nullable<Numeric>, _>(filter.min_epc)
        .bind::<Nullable<BigInt>, _>(filter.min_won_deals)
        .bind::<Nullable<Numeric>, _>(filter.max_refund_rate)
        .bind::<Nullable<Numeric>, _>(filter.max_bot_share)
        .bind::<Nullable<Date>, _>(filter.active_within_days.map(days_ago))
        .bind::<Nullable<Date>, _>(filter.inactive_for_days.map(days_ago))
        .bind::<Nullable<Bool>, _>(filter.onboarding.map(|a| a == Activation::Activated))
        .bind::<Bool, _>(reads.performance)
        .bind::<Bool, _>(reads.activity)
        .bind::<Date, _>(weeks.0)
        .bind::<Date, _>(weeks.1)
}

/// The whole ISO weeks (Monday to Sunday) inside `from..=to`, as the first Monday and the last
/// Sunday; when there are none, a range no day falls in (`to + 1` to `to`).
fn whole_weeks(from: time::Date, to: time::Date) -> (time::Date, time::Date) {
    let monday = from + Duration::days(((7 - from.weekday().number_days_from_monday()) % 7).into());
    let sunday = to - Duration::days(((to.weekday().number_days_from_monday() + 1) % 7).into());
    if monday < sunday {
        (monday, sunday)
    } else {
        (to + Duration::days(1), to)
    }
}

/// The segment's members on `today`, by name, with every fact read; the first `limit` of them
/// when given (a preview lists a few, an export all).
pub async fn members(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    filter: &Filter,
    today: time::Date,
    limit: Option<u32>,
) -> QueryResult<Vec<Member>> {
    let limit = limit.map_or_else(String::new, |n| format!(" LIMIT {n}"));
    let sql = QUERY
        .replace("{select}", "*")
        .replace("{order}", &format!("ORDER BY name, partner_id{limit}"));
    let rows: Vec<MemberRow> = bound(sql, program_id, filter, today, Reads::ALL).load(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| Member {
            name: r.name,
            email: r.email,
            facts: Facts {
                partner_id: r.partner_id,
                kind: r.kind,
                tier: r.tier,
                country: r.country,
                tags: r.tags,
                revenue: r.revenue,
                commission: r.commission,
                conversions: r.conversions,
                clicks: r.clicks,
                bot_clicks: r.bot_clicks,
                refunded: r.refunded,
                won_deals: r.won_deals,
                last_active: r.last_active,
                activated: r.activated,
            },
        })
        .collect())
}

/// How many members the segment has on `today`, reading only what the filter asks about.
pub async fn count(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    filter: &Filter,
    today: time::Date,
) -> QueryResult<i64> {
    let sql = QUERY.replace("{select}", "count(*) AS n").replace("{order}", "");
    let row: Count = bound(sql, program_id, filter, today, Reads::of(filter))
        .get_result(conn)
        .await?;
    Ok(row.n)
}

/// The ids of the segment's members on `today`, for an amendment or an allocation.
pub async fn member_ids(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    filter: &Filter,
    today: time::Date,
) -> QueryResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        partner_id: i64,
    }
    let sql = QUERY
        .replace("{select}", "partner_id")
        .replace("{order}", "ORDER BY partner_id");
    let rows: Vec<Id> = bound(sql, program_id, filter, today, Reads::of(filter))
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.partner_id).collect())
}

pub async fn list(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<SegmentRow>> {
    segments::table
        .filter(segments::program_id.eq(program_id))
        .order(segments::name.asc())
        .select(SegmentRow::as_select())
        .load(conn)
        .await
}

/// The program's segment `id`; another program's is not found.
pub async fn find(conn: &mut AsyncPgConnection, program_id: i64, id: i64) -> QueryResult<Option<SegmentRow>> {
    segments::table
        .filter(segments::program_id.eq(program_id))
        .filter(segments::id.eq(id))
        .select(SegmentRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Saves a new segment (`id` None) or replaces one's name and filter; the id saved.
pub async fn save(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    id: Option<i64>,
    name: &str,
    fields: &Fields,
    by: Option<i64>,
    now: OffsetDateTime,
) -> QueryResult<i64> {
    let filter = serde_json::to_value(fields).expect("a map of strings is JSON");
    match id {
        None => {
            diesel::insert_into(segments::table)
                .values((
                    segments::program_id.eq(program_id),
                    segments::name.eq(name),
                    segments::filter.eq(filter),
                    segments::created_by.eq(by),
                    segments::created_at.eq(now),
                    segments::updated_at.eq(now),
                ))
                .returning(segments::id)
                .get_result(conn)
                .await
        }
        Some(id) => {
            diesel::update(segments::table.filter(segments::program_id.eq(program_id)).find(id))
                .set((
                    segments::name.eq(name),
                    segments::filter.eq(filter),
                    segments::updated_at.eq(now),
                ))
                .returning(segments::id)
                .get_result(conn)
                .await
        }
    }
}

pub async fn delete(conn: &mut AsyncPgConnection, program_id: i64, id: i64) -> QueryResult<usize> {
    diesel::delete(segments::table.filter(segments::program_id.eq(program_id)).find(id))
        .execute(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::whole_weeks;
    use time::macros::date;

    #[test]
    fn whole_weeks_run_monday_to_sunday_inside_the_window() {
        // 2026-06-30 is a Tuesday: the last whole week ends on Sunday the 28th.
        assert_eq!(
            whole_weeks(date!(2026 - 04 - 02), date!(2026 - 06 - 30)),
            (date!(2026 - 04 - 06), date!(2026 - 06 - 28))
        );
        // A window that starts on a Monday and ends on a Sunday is whole weeks only.
        assert_eq!(
            whole_weeks(date!(2026 - 06 - 01), date!(2026 - 06 - 28)),
            (date!(2026 - 06 - 01), date!(2026 - 06 - 28))
        );
        // Seven days from a Wednesday hold no whole week: nothing is read by week.
        let (first, last) = whole_weeks(date!(2026 - 06 - 24), date!(2026 - 06 - 30));
        assert!(first > last);
    }
}
