//! Application state shared by handlers and server functions (through Leptos context).

use super::db::DbPool;
use super::mailer::Transport;
use super::settings::Settings;
use super::tracking::click_writer::{ClickWriter, WriterConfig};
use super::tracking::Tracking;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    pub transport: Arc<Transport>,
    pub tracking: Tracking,
}

impl AppState {
    /// Builds the state and starts the click writers (so it must run inside a Tokio runtime).
    pub fn new(
        pool: DbPool,
        settings: Settings,
        leptos_options: LeptosOptions,
        transport: Transport,
        writer: WriterConfig,
    ) -> Self {
        let tracking = Tracking {
            links: Default::default(),
            programs: Default::default(),
            repeats: Default::default(),
            clicks: ClickWriter::spawn(pool.clone(), writer),
        };
        Self {
            pool,
            settings: Arc::new(settings),
            leptos_options,
            transport: Arc::new(transport),
            tracking,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
