//! Claims of periodic jobs' runs, shared by every instance on the database: a run is claimed
//! when the job's period has passed since the last claim, by one upsert that concurrent claimers
//! serialize on (the row's lock), so exactly one of them wins each period.

use diesel::sql_types::{Text, Timestamptz};
use diesel::QueryResult;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::{Duration, OffsetDateTime};

/// True when this caller won the run of `job` due at `now` (it never ran, or its last run
/// started at least `period` before `now`); false when another instance already has it. The
/// upsert touches one row when it wins and none when the WHERE keeps the last claim.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    job: &str,
    period: Duration,
    now: OffsetDateTime,
) -> QueryResult<bool> {
    let claimed = diesel::sql_query(
        "INSERT INTO periodic_jobs (name, last_started_at) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET last_started_at = EXCLUDED.last_started_at
         WHERE periodic_jobs.last_started_at <= $3",
    )
    .bind::<Text, _>(job)
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(now - period)
    .execute(conn)
    .await?;
    Ok(claimed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;
    use time::macros::datetime;

    #[tokio::test]
    async fn each_period_is_claimed_once_however_many_instances_ask() {
        let db = TestDb::new().await;
        let t0 = datetime!(2026-12-05 10:00 UTC);
        let period = Duration::minutes(5);
        // Eight instances ask at the same moment, each on its own connection.
        let mut asks = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let mut conn = db.conn().await;
            asks.spawn(async move { claim(&mut conn, "reminders", period, t0).await.unwrap() });
        }
        let won = asks.join_all().await.into_iter().filter(|won| *won).count();
        assert_eq!(won, 1, "one instance runs the job");

        let mut conn = db.conn().await;
        let before = datetime!(2026-12-05 10:04:59 UTC);
        assert!(
            !claim(&mut conn, "reminders", period, before).await.unwrap(),
            "not due yet"
        );
        assert!(
            claim(&mut conn, "mdf-deadlines", period, before).await.unwrap(),
            "jobs are claimed apart"
        );
        assert!(
            claim(&mut conn, "reminders", period, t0 + period).await.unwrap(),
            "due again"
        );
        assert!(
            !claim(&mut conn, "reminders", period, t0 + period).await.unwrap(),
            "and taken"
        );
    }
}
