//! Application state shared by handlers and server functions (through Leptos context).

use super::api_v1::conversion_writer::{BatchConfig, ConversionWriter};
use super::db::{DbConn, DbPool};
use super::mailer::Transport;
use super::replica::Replica;
use super::settings::Settings;
use super::tracking::click_writer::{ClickWriter, WriterConfig};
use super::tracking::Tracking;
use axum::extract::FromRef;
use diesel_async::pooled_connection::deadpool::PoolError;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    pub transport: Arc<Transport>,
    pub tracking: Tracking,
    /// The standby heavy reads go to (`DATABASE_REPLICA_URL`), when there is one.
    pub replica: Option<Arc<Replica>>,
}

impl AppState {
    /// Builds the state and starts the click and conversion writers (so it must run inside a
    /// Tokio runtime).
    pub fn new(
        pool: DbPool,
        settings: Settings,
        leptos_options: LeptosOptions,
        transport: Transport,
        writer: WriterConfig,
        batches: BatchConfig,
    ) -> Self {
        let tracking = Tracking {
            links: Default::default(),
            programs: Default::default(),
            creatives: Default::default(),
            repeats: Default::default(),
            clicks: ClickWriter::spawn(pool.clone(), writer),
            conversions: ConversionWriter::spawn(pool.clone(), batches),
        };
        Self {
            pool,
            settings: Arc::new(settings),
            leptos_options,
            transport: Arc::new(transport),
            tracking,
            replica: None,
        }
    }

    /// Heavy reports and CSV exports read from this standby while it is fit (see `replica`).
    pub fn with_replica(self, replica: Arc<Replica>) -> Self {
        Self {
            replica: Some(replica),
            ..self
        }
    }

    /// A connection for heavy reads: to the replica when one is configured, reachable and close
    /// enough behind, else to the primary.
    pub async fn report_conn(&self) -> Result<DbConn, PoolError> {
        if let Some(replica) = &self.replica {
            if let Some(conn) = replica.conn().await {
                return Ok(conn);
            }
        }
        self.pool.get().await
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
