//! Retention against a real database: months move out of the default partition when their
//! partition is made, a month is dropped only when its rollups match a recount, a cutoff inside
//! a cookie window changes nothing, and a rebuild keeps the dropped months' click counts.

use super::retention::{run, Age};
use crate::backend::repos::click_partitions::{self, Partition};
use crate::backend::repos::clicks::{insert_with_rollups, ClickRow};
use crate::backend::repos::{stats, testing_ledger};
use crate::backend::testing::TestDb;
use diesel::sql_types::{BigInt, Date as SqlDate};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

const TODAY: Date = date!(2026 - 12 - 05);

fn click(n: usize, program_id: i64, partner_id: i64, at: OffsetDateTime, flag: Option<&str>) -> ClickRow {
    ClickRow {
        id: format!("RetentionClick{n:08}"),
        link_id: 7,
        partner_id,
        program_id,
        clicked_at: at,
        ip: "192.0.2.1".into(),
        user_agent: "test".into(),
        referrer: None,
        sub1: n.is_multiple_of(2).then(|| "news".to_owned()),
        sub2: None,
        sub3: None,
        sub4: None,
        sub5: None,
        country: None,
        flag: flag.map(str::to_owned),
        creative_id: None,
    }
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).await.unwrap().n
}

async fn rolled_up_clicks(conn: &mut AsyncPgConnection, from: Date, to: Date) -> i64 {
    diesel::sql_query("SELECT COALESCE(sum(clicks), 0)::bigint AS n FROM daily_stats WHERE day >= $1 AND day < $2")
        .bind::<SqlDate, _>(from)
        .bind::<SqlDate, _>(to)
        .get_result::<Count>(conn)
        .await
        .unwrap()
        .n
}

async fn make_month(conn: &mut AsyncPgConnection, month: Date) {
    diesel::sql_query("SELECT trellis_ensure_click_partition($1)")
        .bind::<SqlDate, _>(month)
        .execute(conn)
        .await
        .unwrap();
}

async fn month_tables(conn: &mut AsyncPgConnection) -> Vec<Date> {
    click_partitions::months(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.month)
        .collect()
}

/// Clicks in January, February and March 2024 (from the default partition into months made
/// afterwards) and this month: 3 + 4 + 2 + 5.
async fn clicks_over_three_old_months(conn: &mut AsyncPgConnection) -> (i64, i64) {
    let (program, [ada, bob]) = testing_ledger::program_with_partners(conn).await;
    let times = [
        datetime!(2024-01-03 10:00 UTC),
        datetime!(2024-01-31 23:59 UTC),
        datetime!(2024-01-15 08:00 UTC),
        datetime!(2024-02-01 00:00 UTC),
        datetime!(2024-02-10 12:00 UTC),
        datetime!(2024-02-10 12:01 UTC),
        datetime!(2024-02-29 23:00 UTC),
        datetime!(2024-03-01 09:00 UTC),
        datetime!(2024-03-20 09:00 UTC),
    ];
    let mut rows: Vec<ClickRow> = times
        .iter()
        .enumerate()
        .map(|(n, at)| {
            click(
                n,
                program,
                if n.is_multiple_of(3) { bob } else { ada },
                *at,
                (n == 4).then_some("repeat"),
            )
        })
        .collect();
    rows.extend((0..5).map(|n| click(100 + n, program, ada, OffsetDateTime::now_utc(), None)));
    insert_with_rollups(conn, &rows, 0).await.unwrap();
    assert_eq!(
        count(conn, "SELECT count(*) AS n FROM clicks_default").await,
        9,
        "no 2024 partitions yet"
    );
    for month in [date!(2024 - 01 - 01), date!(2024 - 02 - 01), date!(2024 - 03 - 01)] {
        make_month(conn, month).await;
    }
    assert_eq!(count(conn, "SELECT count(*) AS n FROM clicks_default").await, 0);
    assert_eq!(count(conn, "SELECT count(*) AS n FROM clicks_2024_02").await, 4);
    (program, ada)
}

#[tokio::test]
async fn a_month_is_dropped_only_when_its_rollups_match_a_recount() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    clicks_over_three_old_months(conn).await;
    // February's rollups lose a click, as a crashed writer of an old release might have left them.
    diesel::sql_query("UPDATE daily_stats SET clicks = clicks - 1 WHERE day = '2024-02-10' AND clicks > 0")
        .execute(conn)
        .await
        .unwrap();

    let dry = run(conn, Age::Months(13), true, TODAY).await.unwrap();
    assert_eq!(dry.dropped, vec![date!(2024 - 01 - 01)]);
    assert_eq!(dry.mismatched.len(), 1);
    assert!(
        month_tables(conn).await.contains(&date!(2024 - 01 - 01)),
        "a dry run drops nothing"
    );

    let outcome = run(conn, Age::Months(13), false, TODAY).await.unwrap();
    assert_eq!(outcome.dropped, vec![date!(2024 - 01 - 01)]);
    assert_eq!(
        outcome.mismatched.iter().map(|m| m.0).next(),
        Some(date!(2024 - 02 - 01))
    );
    let months = month_tables(conn).await;
    assert!(!months.contains(&date!(2024 - 01 - 01)));
    assert!(months.contains(&date!(2024 - 02 - 01)) && months.contains(&date!(2024 - 03 - 01)));
    assert_eq!(count(conn, "SELECT count(*) AS n FROM clicks").await, 4 + 2 + 5);
    assert_eq!(
        rolled_up_clicks(conn, date!(2024 - 01 - 01), date!(2024 - 02 - 01)).await,
        3,
        "reports keep January from the rollups"
    );

    // A rebuild recounts February from its raw clicks and keeps January's counts; then
    // February and March go too.
    stats::rebuild(conn).await.unwrap();
    assert_eq!(
        stats::weeks_drift(conn).await.unwrap(),
        0,
        "the partner weeks follow a rebuild"
    );
    assert_eq!(
        rolled_up_clicks(conn, date!(2024 - 01 - 01), date!(2024 - 02 - 01)).await,
        3
    );
    assert_eq!(
        rolled_up_clicks(conn, date!(2024 - 02 - 01), date!(2024 - 03 - 01)).await,
        4
    );
    let outcome = run(conn, Age::Months(13), false, TODAY).await.unwrap();
    assert_eq!(outcome.dropped, vec![date!(2024 - 02 - 01), date!(2024 - 03 - 01)]);
    assert!(outcome.mismatched.is_empty());
    assert_eq!(count(conn, "SELECT count(*) AS n FROM clicks").await, 5);
    stats::rebuild(conn).await.unwrap();
    assert_eq!(
        rolled_up_clicks(conn, date!(2024 - 01 - 01), date!(2024 - 04 - 01)).await,
        9
    );
    assert_eq!(
        count(
            conn,
            "SELECT count(*) AS n FROM click_retention WHERE kept_from = '2024-04-01'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_cutoff_inside_a_cookie_window_is_refused_and_changes_nothing() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (program, _) = clicks_over_three_old_months(conn).await;
    diesel::sql_query("UPDATE programs SET cookie_days = 365 WHERE id = $1")
        .bind::<BigInt, _>(program)
        .execute(conn)
        .await
        .unwrap();
    let before = month_tables(conn).await;
    for age in [Age::Days(364), Age::Months(11)] {
        let refused = run(conn, age, false, TODAY).await.unwrap_err();
        assert!(
            refused.contains("inside the longest cookie window (365 days"),
            "{refused}"
        );
    }
    assert_eq!(month_tables(conn).await, before);
    assert_eq!(count(conn, "SELECT count(*) AS n FROM clicks").await, 14);
    assert_eq!(count(conn, "SELECT count(*) AS n FROM click_retention").await, 0);
    // A year and a day is outside it.
    let outcome = run(conn, Age::Days(366), false, TODAY).await.unwrap();
    assert_eq!(outcome.dropped.len(), 3);
}

#[tokio::test]
async fn the_partition_job_makes_this_month_and_three_ahead_once() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let today = date!(2031 - 11 - 20);
    assert_eq!(click_partitions::ensure_ahead(conn, today).await.unwrap(), 4);
    assert_eq!(click_partitions::ensure_ahead(conn, today).await.unwrap(), 0);
    let months = month_tables(conn).await;
    for month in [
        date!(2031 - 11 - 01),
        date!(2031 - 12 - 01),
        date!(2032 - 01 - 01),
        date!(2032 - 02 - 01),
    ] {
        assert!(months.contains(&month), "{month}");
    }
    let not_a_first: Result<usize, _> = diesel::sql_query("SELECT trellis_ensure_click_partition('2031-11-02')")
        .execute(conn)
        .await;
    assert!(not_a_first.is_err());
    let table: Partition = Partition {
        table: "clicks_2031_12".into(),
        month: date!(2031 - 12 - 01),
    };
    assert_eq!(click_partitions::recount_differences(conn, &table).await.unwrap(), 0);
}
