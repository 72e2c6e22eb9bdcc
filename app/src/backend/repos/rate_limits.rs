//! Fixed-window counters in PostgreSQL, shared by every instance.

use crate::backend::schema::rate_limits;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Interval, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::time::Duration;
use time::OffsetDateTime;

#[derive(QueryableByName, Debug)]
struct Counter {
    #[diesel(sql_type = Integer)]
    hits: i32,
    #[diesel(sql_type = Timestamptz)]
    window_started_at: OffsetDateTime,
}

/// The state of one key: hits in the current window and when the window ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    pub hits: i32,
    pub resets_at: OffsetDateTime,
}

fn interval(window: Duration) -> diesel::pg::data_types::PgInterval {
    diesel::pg::data_types::PgInterval::from_microseconds(window.as_micros() as i64)
}

/// Counts one hit and returns the usage after it, in one atomic statement.
pub async fn hit(conn: &mut AsyncPgConnection, key: &str, window: Duration, now: OffsetDateTime) -> QueryResult<Usage> {
    let counter: Counter = diesel::sql_query(
        "INSERT INTO rate_limits (key, window_started_at, hits) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN rate_limits.window_started_at + $3 <= $2 THEN 1 ELSE rate_limits.hits + 1 END,
           window_started_at = CASE WHEN rate_limits.window_started_at + $3 <= $2 THEN $2 ELSE rate_limits.window_started_at END
         RETURNING hits, window_started_at",
    )
    .bind::<Text, _>(key)
    .bind::<Timestamptz, _>(now)
    .bind::<Interval, _>(interval(window))
    .get_result(conn)
    .await?;
    Ok(Usage {
        hits: counter.hits,
        resets_at: counter.window_started_at + window,
    })
}

/// Takes back one hit (for attempts that turned out to be legitimate).
pub async fn release(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<()> {
    diesel::update(rate_limits::table.find(key))
        .set(rate_limits::hits.eq(diesel::dsl::sql::<Integer>("greatest(hits - 1, 0)")))
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn clear(conn: &mut AsyncPgConnection, key: &str) -> QueryResult<()> {
    diesel::delete(rate_limits::table.find(key))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Removes windows that ended before `cutoff`.
pub async fn delete_stale(conn: &mut AsyncPgConnection, cutoff: OffsetDateTime) -> QueryResult<usize> {
    diesel::delete(rate_limits::table.filter(rate_limits::window_started_at.lt(cutoff)))
        .execute(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;

    #[tokio::test]
    async fn hits_count_within_a_window_and_restart_after_it() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let window = Duration::from_secs(60);
        let t0 = OffsetDateTime::now_utc();
        for expected in 1..=3 {
            assert_eq!(hit(&mut conn, "ip:1", window, t0).await.unwrap().hits, expected);
        }
        release(&mut conn, "ip:1").await.unwrap();
        assert_eq!(
            hit(&mut conn, "ip:1", window, t0).await.unwrap().hits,
            3,
            "a released hit is taken back"
        );
        let t1 = t0 + Duration::from_secs(61);
        let restarted = hit(&mut conn, "ip:1", window, t1).await.unwrap();
        assert_eq!(restarted.hits, 1, "a new window starts from one");
        assert!(restarted.resets_at > t1 + Duration::from_secs(59));
        clear(&mut conn, "ip:1").await.unwrap();
        assert_eq!(
            hit(&mut conn, "ip:1", window, t1).await.unwrap().hits,
            1,
            "cleared keys start over"
        );
        hit(&mut conn, "ip:2", window, t0).await.unwrap();
        assert_eq!(delete_stale(&mut conn, t1).await.unwrap(), 1);
    }
}
