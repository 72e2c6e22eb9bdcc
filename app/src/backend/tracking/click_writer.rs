//! Group commit for clicks. Redirect handlers queue their click and wait; writer tasks take
//! everything queued (up to a batch size), insert it with one multi-row INSERT plus the rollup
//! deltas, commit with synchronous commit, and only then release the waiting handlers. A full
//! queue or a failed commit is an error for the handler, which answers 503 instead of
//! redirecting.

use crate::backend::db::DbPool;
use crate::backend::repos::clicks::{self, ClickRow};
use crate::backend::repos::stats::{self, Delta, StatKey};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Mutex};

#[derive(Clone, Copy, Debug)]
pub struct WriterConfig {
    /// Clicks that may wait for a writer; one more gets a 503.
    pub queue: usize,
    /// Most clicks in one transaction.
    pub max_batch: usize,
    /// Writer tasks (each holds one connection while it writes).
    pub writers: usize,
}

impl Default for WriterConfig {
    fn default() -> Self {
        Self {
            queue: 10_000,
            max_batch: 500,
            writers: 2,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// The queue is full: the writers can't keep up.
    Busy,
    /// The database refused or is away.
    Unavailable,
}

struct Job {
    click: ClickRow,
    done: oneshot::Sender<Result<(), RecordError>>,
}

#[derive(Clone)]
pub struct ClickWriter {
    queue: mpsc::Sender<Job>,
}

impl ClickWriter {
    /// Starts the writer tasks on the current Tokio runtime.
    pub fn spawn(pool: DbPool, config: WriterConfig) -> Self {
        let (tx, rx) = mpsc::channel(config.queue.max(1));
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..config.writers.max(1) {
            tokio::spawn(run_writer(pool.clone(), rx.clone(), config.max_batch.max(1)));
        }
        Self { queue: tx }
    }

    /// Returns once the click is committed.
    pub async fn record(&self, click: ClickRow) -> Result<(), RecordError> {
        let (done, wait) = oneshot::channel();
        self.queue
            .try_send(Job { click, done })
            .map_err(|_| RecordError::Busy)?;
        wait.await.unwrap_or(Err(RecordError::Unavailable))
    }
}

async fn run_writer(pool: DbPool, queue: Arc<Mutex<mpsc::Receiver<Job>>>, max_batch: usize) {
    loop {
        let mut jobs = Vec::with_capacity(max_batch);
        {
            let mut queue = queue.lock().await;
            if queue.recv_many(&mut jobs, max_batch).await == 0 {
                return; // every sender is gone: the server is shutting down
            }
        }
        let rows: Vec<ClickRow> = jobs.iter().map(|job| job.click.clone()).collect();
        let result = match pool.get().await {
            Ok(mut conn) => write_clicks(&mut conn, &rows).await.map_err(|e| {
                tracing::warn!(error = %e, clicks = rows.len(), "could not record clicks");
                RecordError::Unavailable
            }),
            Err(e) => {
                tracing::warn!(error = %e, "no database connection for the click writer");
                Err(RecordError::Unavailable)
            }
        };
        for job in jobs {
            let _ = job.done.send(result);
        }
    }
}

/// Inserts clicks and their rollup deltas in one transaction that commits synchronously (even if
/// the database's default says otherwise).
pub async fn write_clicks(conn: &mut AsyncPgConnection, rows: &[ClickRow]) -> diesel::QueryResult<()> {
    let deltas = rollup_deltas(rows);
    conn.transaction(async |conn| {
        diesel::sql_query("SET LOCAL synchronous_commit TO on")
            .execute(conn)
            .await?;
        clicks::insert_batch(conn, rows).await?;
        stats::add(conn, &deltas).await
    })
    .await
}

fn rollup_deltas(rows: &[ClickRow]) -> Vec<(StatKey, Delta)> {
    let mut deltas: BTreeMap<StatKey, Delta> = BTreeMap::new();
    for row in rows {
        let key = StatKey::new(
            row.program_id,
            Some(row.partner_id),
            row.clicked_at,
            Some(row.link_id),
            row.sub1.as_deref(),
        );
        let delta = deltas.entry(key).or_default();
        delta.clicks += 1;
        delta.unique_clicks += i64::from(row.flag.is_none());
    }
    deltas.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::db::build_pool;

    fn click(n: u32) -> ClickRow {
        ClickRow {
            id: format!("TestClick{n:013}"),
            link_id: 1,
            partner_id: 1,
            program_id: 1,
            clicked_at: time::OffsetDateTime::now_utc(),
            ip: "192.0.2.1".into(),
            user_agent: "test".into(),
            referrer: None,
            sub1: None,
            sub2: None,
            sub3: None,
            sub4: None,
            sub5: None,
            country: None,
            flag: None,
        }
    }

    /// A "database" that accepts connections and never answers keeps the writer busy, so the
    /// bounded queue fills: the next click is refused at once (the redirect answers 503) and no
    /// click is ever reported as recorded.
    #[tokio::test]
    async fn a_full_queue_refuses_clicks_instead_of_waiting() {
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("postgres://trellis@{}/none", silent.local_addr().unwrap());
        let writer = ClickWriter::spawn(
            build_pool(&url, 1).unwrap(),
            WriterConfig {
                queue: 1,
                max_batch: 1,
                writers: 1,
            },
        );
        let results = tokio::join!(
            writer.record(click(1)),
            writer.record(click(2)),
            writer.record(click(3)),
        );
        let all = [results.0, results.1, results.2];
        assert!(all.contains(&Err(RecordError::Busy)), "{all:?}");
        assert!(all.iter().all(Result::is_err), "{all:?}");
    }

    #[test]
    fn a_batch_becomes_one_rollup_delta_per_key() {
        let mut rows = vec![click(1), click(2), click(3)];
        rows[1].flag = Some("bot".into());
        rows[2].sub1 = Some("yt".into());
        let deltas = rollup_deltas(&rows);
        assert_eq!(deltas.len(), 2);
        let plain = deltas.iter().find(|(k, _)| k.sub1.is_empty()).unwrap();
        assert_eq!((plain.1.clicks, plain.1.unique_clicks), (2, 1));
    }
}
