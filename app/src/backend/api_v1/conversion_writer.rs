//! The queues in front of [`conversion_batch`]: handlers queue their conversion and wait, and
//! each writer task takes what its queue holds and stores it as one batch in one transaction.
//! A conversion with a coupon goes to a writer by its coupon, so one partner's coupon sales meet
//! in one writer's batches instead of waiting for another writer's partner locks; the others
//! spread by click or order id. A conversion that depends on an earlier one of its batch waits
//! for the writer's next batch. What no batch stores goes back to its handler, which ingests it
//! on its own as before: a replay, and every conversion of a batch that failed, a full queue, or
//! a writer that doesn't answer in time. A conversion is never stored twice (the order id is
//! unique). The one answer batching can change: a batch that commits after its handler gave up
//! waiting answers that handler's retry as a replay (200, not 201).

use super::conversion_batch::{self, Item, Outcome};
use super::conversions::{self, Ingested};
use super::ApiError;
use crate::backend::db::{DbConn, DbPool};
use crate::backend::tracking::program_cache::ProgramSettings;
use crate::domain::conversion_input::ConversionInput;
use diesel::result::Error as DieselError;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot, Mutex};

/// Each statement of a batch may take this long in PostgreSQL before the batch fails and its
/// conversions are ingested on their own (set inside the transaction, so the server ends it).
const STATEMENT_TIMEOUT: &str = "SET LOCAL statement_timeout TO '5s'";
/// Our own bound on a batch, for a database that stops answering altogether.
const BATCH_DEADLINE: Duration = Duration::from_secs(30);
/// How long a handler waits for its writer before ingesting on its own.
const HANDLER_DEADLINE: Duration = Duration::from_secs(40);

#[derive(Clone, Copy, Debug)]
pub struct BatchConfig {
    /// Conversions that may wait for each writer; one more is ingested on its own.
    pub queue: usize,
    /// Most conversions in one batch.
    pub max_batch: usize,
    /// Writer tasks (each takes a pooled connection per batch); 0 means no batching.
    pub writers: usize,
}

impl Default for BatchConfig {
    fn default() -> Self {
        Self {
            queue: 10_000,
            max_batch: 256,
            writers: 2,
        }
    }
}

struct Job {
    item: Item,
    done: oneshot::Sender<Outcome>,
}

/// One writer's queue; shared with the writer's restarts after a panic.
type Queue = Arc<Mutex<mpsc::Receiver<Job>>>;

#[derive(Clone)]
pub struct ConversionWriter {
    queues: Arc<[mpsc::Sender<Job>]>,
}

impl ConversionWriter {
    /// Starts the writer tasks on the current Tokio runtime.
    pub fn spawn(pool: DbPool, config: BatchConfig) -> Self {
        let queues = (0..config.writers)
            .map(|_| {
                let (tx, rx) = mpsc::channel(config.queue.max(1));
                tokio::spawn(supervise(
                    pool.clone(),
                    Arc::new(Mutex::new(rx)),
                    config.max_batch.max(1),
                ));
                tx
            })
            .collect();
        Self { queues }
    }

    /// The queue of the writer for this conversion: by what most likely names its partner.
    fn queue_for(&self, program_id: i64, input: &ConversionInput) -> Option<&mpsc::Sender<Job>> {
        use std::hash::{Hash, Hasher};
        if self.queues.is_empty() {
            return None;
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        program_id.hash(&mut hasher);
        match (&input.coupon, &input.click_id) {
            (Some(code), _) => code.to_lowercase().hash(&mut hasher),
            (None, Some(click)) => click.hash(&mut hasher),
            (None, None) => input.order_id.hash(&mut hasher),
        }
        Some(&self.queues[hasher.finish() as usize % self.queues.len()])
    }

    /// Ingests the conversion with the next batch, or on its own when the batch leaves it.
    pub async fn ingest(
        &self,
        pool: &DbPool,
        settings: Arc<ProgramSettings>,
        input: ConversionInput,
        now: OffsetDateTime,
    ) -> Result<Ingested, ApiError> {
        conversions::check(&settings, &input)?;
        if let Some(queue) = self.queue_for(settings.tracking.id, &input) {
            let (done, wait) = oneshot::channel();
            let item = Item {
                settings: settings.clone(),
                input: input.clone(),
                now,
            };
            if queue.try_send(Job { item, done }).is_ok() {
                if let Ok(Ok(Outcome::Stored(ingested))) = tokio::time::timeout(HANDLER_DEADLINE, wait).await {
                    return Ok(*ingested);
                }
            }
        }
        let mut conn = pool.get().await?;
        conversions::ingest(&mut conn, &settings, &input, now).await
    }
}

/// Runs a writer, and starts it again should it ever panic (its waiting handlers then ingest on
/// their own).
async fn supervise(pool: DbPool, queue: Queue, max_batch: usize) {
    loop {
        match tokio::spawn(run_writer(pool.clone(), queue.clone(), max_batch)).await {
            Ok(()) => return, // every sender is gone: the server is shutting down
            Err(e) => tracing::error!(error = %e, "a conversion writer stopped; starting it again"),
        }
    }
}

async fn run_writer(pool: DbPool, queue: Queue, max_batch: usize) {
    // Conversions a batch ended before (they depend on one of it) start the next batch.
    let mut carried: Vec<Job> = Vec::new();
    loop {
        let mut jobs = std::mem::take(&mut carried);
        {
            let mut queue = queue.lock().await;
            if jobs.is_empty() {
                if queue.recv_many(&mut jobs, max_batch).await == 0 {
                    return;
                }
            } else {
                while jobs.len() < max_batch {
                    let Ok(job) = queue.try_recv() else { break };
                    jobs.push(job);
                }
            }
        }
        let (mut items, mut waiting): (Vec<Item>, Vec<_>) = jobs.into_iter().map(|job| (job.item, job.done)).unzip();
        let outcomes = match store_batch(&pool, &items).await {
            Ok(outcomes) => outcomes,
            Err(error) => {
                tracing::warn!(conversions = items.len(), %error, "a conversion batch failed; ingesting each on its own");
                items.iter().map(|_| Outcome::Alone).collect()
            }
        };
        let handled = outcomes.len();
        carried = items
            .split_off(handled)
            .into_iter()
            .zip(waiting.split_off(handled))
            .map(|(item, done)| Job { item, done })
            .collect();
        for (done, outcome) in waiting.into_iter().zip(outcomes) {
            let _ = done.send(outcome);
        }
    }
}

async fn store_batch(pool: &DbPool, items: &[Item]) -> Result<Vec<Outcome>, String> {
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    let stored = tokio::time::timeout(
        BATCH_DEADLINE,
        conn.transaction::<_, DieselError, _>(async |conn| {
            // Sent ahead of the batch's first reads, in the same round trip (pipelined).
            let conn: &AsyncPgConnection = conn;
            let mut setting = conn;
            let (_, outcomes) = tokio::try_join!(
                diesel::sql_query(STATEMENT_TIMEOUT).execute(&mut setting),
                conversion_batch::store(conn, items),
            )?;
            Ok(outcomes)
        }),
    )
    .await;
    match stored {
        Ok(Ok(outcomes)) => Ok(outcomes),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => {
            // The transaction may still be open on this connection: it leaves the pool.
            discard(conn);
            Err(format!("no answer within {BATCH_DEADLINE:?}"))
        }
    }
}

fn discard(conn: DbConn) {
    drop(deadpool::managed::Object::take(conn));
}
