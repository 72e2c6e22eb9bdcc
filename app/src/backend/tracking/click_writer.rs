//! Group commit for clicks. Redirect handlers queue their click and wait; writer tasks take
//! everything queued (up to a batch size) and write it with one statement that inserts the clicks
//! and adds them to the rollups, committed with synchronous commit, and only then release the
//! waiting handlers. A full queue, a failed commit or a writer that can't answer in time is an
//! error for the handler, which answers 503 instead of redirecting.

use crate::backend::db::{DbConn, DbPool};
use crate::backend::repos::clicks::{self, ClickRow};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Mutex};

/// The longest one batch may take in PostgreSQL (waiting for a lock included) before it fails
/// and its redirects answer 503. Connecting has its own timeouts in the pool, so every waiting
/// redirect gets an answer without a timer of its own.
const STATEMENT_TIMEOUT: &str = "SET statement_timeout TO '10s'";
/// The same bound on our side, for a database that stops answering altogether (one timer per
/// batch, not per redirect).
const BATCH_DEADLINE: std::time::Duration = std::time::Duration::from_secs(15);

#[derive(Clone, Copy, Debug)]
pub struct WriterConfig {
    /// Clicks that may wait for a writer; one more gets a 503.
    pub queue: usize,
    /// Most clicks in one transaction.
    pub max_batch: usize,
    /// Writer tasks (each keeps one connection while it runs).
    pub writers: usize,
}

impl Default for WriterConfig {
    fn default() -> Self {
        Self {
            queue: 10_000,
            max_batch: 500,
            writers: 1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// The queue is full: the writers can't keep up.
    Busy,
    /// The database refused, is away, or didn't answer in time.
    Unavailable,
}

struct Job {
    click: ClickRow,
    done: oneshot::Sender<Result<(), RecordError>>,
}

type Queue = Arc<Mutex<mpsc::Receiver<Job>>>;

#[derive(Clone)]
pub struct ClickWriter {
    queue: mpsc::Sender<Job>,
}

impl ClickWriter {
    /// Starts the writer tasks on the current Tokio runtime.
    pub fn spawn(pool: DbPool, config: WriterConfig) -> Self {
        let (tx, rx) = mpsc::channel(config.queue.max(1));
        let rx: Queue = Arc::new(Mutex::new(rx));
        for writer in 0..config.writers.max(1) {
            // Shard 0 belongs to conversions and rebuilds; writers take 1, 2, …
            let shard = i16::try_from(writer + 1).unwrap_or(i16::MAX);
            tokio::spawn(supervise(pool.clone(), rx.clone(), config.max_batch.max(1), shard));
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

/// Runs a writer, and starts it again should it ever panic, so that redirects don't turn into
/// 503s for good.
async fn supervise(pool: DbPool, queue: Queue, max_batch: usize, shard: i16) {
    loop {
        match tokio::spawn(run_writer(pool.clone(), queue.clone(), max_batch, shard)).await {
            Ok(()) => return, // every sender is gone: the server is shutting down
            Err(e) => tracing::error!(error = %e, "the click writer stopped; starting it again"),
        }
    }
}

async fn run_writer(pool: DbPool, queue: Queue, max_batch: usize, shard: i16) {
    let mut connection: Option<DbConn> = None;
    loop {
        let mut jobs = Vec::with_capacity(max_batch);
        {
            let mut queue = queue.lock().await;
            if queue.recv_many(&mut jobs, max_batch).await == 0 {
                return;
            }
        }
        let (rows, waiting): (Vec<ClickRow>, Vec<_>) = jobs.into_iter().map(|job| (job.click, job.done)).unzip();
        let result = write_batch(&pool, &mut connection, &rows, shard).await;
        if result.is_err() {
            // A fresh connection next time; this one, with the writer's settings, leaves the pool.
            if let Some(conn) = connection.take() {
                drop(deadpool::managed::Object::take(conn));
            }
        }
        for done in waiting {
            let _ = done.send(result);
        }
    }
}

async fn write_batch(
    pool: &DbPool,
    connection: &mut Option<DbConn>,
    rows: &[ClickRow],
    shard: i16,
) -> Result<(), RecordError> {
    if connection.is_none() {
        let mut conn = pool.get().await.map_err(|e| {
            tracing::warn!(error = %e, "no database connection for the click writer");
            RecordError::Unavailable
        })?;
        // Durable before the redirect, whatever the database's default says.
        for setting in ["SET synchronous_commit TO on", STATEMENT_TIMEOUT] {
            diesel::sql_query(setting).execute(&mut *conn).await.map_err(|e| {
                tracing::warn!(error = %e, "could not prepare the click writer's connection");
                RecordError::Unavailable
            })?;
        }
        *connection = Some(conn);
    }
    let Some(conn) = connection.as_mut() else {
        return Err(RecordError::Unavailable);
    };
    // One statement outside a transaction: it commits by itself, in one round trip.
    let written = tokio::time::timeout(BATCH_DEADLINE, clicks::insert_with_rollups(conn, rows, shard)).await;
    let Ok(written) = written else {
        tracing::warn!(
            clicks = rows.len(),
            "the database did not answer the click batch in time"
        );
        return Err(RecordError::Unavailable);
    };
    match written {
        Ok(n) if n == rows.len() => Ok(()),
        Ok(n) => {
            tracing::error!(expected = rows.len(), inserted = n, "click batch partly written");
            Err(RecordError::Unavailable)
        }
        Err(e) => {
            tracing::warn!(error = %e, clicks = rows.len(), "could not record clicks");
            Err(RecordError::Unavailable)
        }
    }
}

/// Writes clicks in their own transaction with synchronous commit (for the benchmark's
/// one-commit-per-click route and the demo seed).
pub async fn write_clicks(conn: &mut AsyncPgConnection, rows: &[ClickRow]) -> diesel::QueryResult<()> {
    conn.transaction(async |conn| {
        diesel::sql_query("SET LOCAL synchronous_commit TO on")
            .execute(conn)
            .await?;
        clicks::insert_with_rollups(conn, rows, 0).await.map(drop)
    })
    .await
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
            creative_id: None,
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
}
