//! The queues in front of [`conversion_batch`]: handlers queue their conversion and wait, and
//! each writer task takes whatever its queue holds and stores it as one batch in one
//! transaction. Conversions go to a writer by their coupon or click id, so that one partner's
//! conversions mostly meet in one writer's batches instead of waiting for the other writer's
//! partner locks. What a batch
//! doesn't store goes back to its handler, which ingests it on its own as before: a replay, a
//! conversion that depends on an earlier one of its batch, and every conversion of a batch that
//! failed, timed out or found the queue full. A conversion is therefore never stored twice (the
//! order id is unique), and batching can change how fast an answer comes, not what it says.

use super::conversion_batch::{self, Item, Outcome};
use super::conversions::{self, Ingested};
use super::ApiError;
use crate::backend::db::{DbConn, DbPool};
use crate::backend::tracking::program_cache::ProgramSettings;
use crate::domain::conversion_input::ConversionInput;
use diesel::result::Error as DieselError;
use diesel_async::AsyncConnection;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot, Mutex};

/// The longest a batch may take before its conversions are ingested on their own instead.
const BATCH_DEADLINE: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug)]
pub struct BatchConfig {
    /// Conversions that may wait for each writer; one more is ingested on its own.
    pub queue: usize,
    /// Most conversions in one batch.
    pub max_batch: usize,
    /// Writer tasks (each takes a pooled connection per batch). None means no batching.
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
                if let Ok(Outcome::Stored(ingested)) = wait.await {
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
    loop {
        let mut jobs = Vec::with_capacity(max_batch);
        {
            let mut queue = queue.lock().await;
            if queue.recv_many(&mut jobs, max_batch).await == 0 {
                return;
            }
        }
        let (items, waiting): (Vec<Item>, Vec<_>) = jobs.into_iter().map(|job| (job.item, job.done)).unzip();
        let outcomes = match store_batch(&pool, &items).await {
            Ok(outcomes) => outcomes,
            Err(error) => {
                tracing::warn!(conversions = items.len(), %error, "a conversion batch failed; ingesting each on its own");
                items.iter().map(|_| Outcome::Alone).collect()
            }
        };
        for (done, outcome) in waiting.into_iter().zip(outcomes) {
            let _ = done.send(outcome);
        }
    }
}

async fn store_batch(pool: &DbPool, items: &[Item]) -> Result<Vec<Outcome>, String> {
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    let stored = tokio::time::timeout(
        BATCH_DEADLINE,
        conn.transaction::<_, DieselError, _>(async |conn| conversion_batch::store(conn, items).await),
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
