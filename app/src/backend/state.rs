//! Application state shared by handlers and server functions (through Leptos context).

use super::db::DbPool;
use super::mailer::Transport;
use super::settings::Settings;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    pub transport: Arc<Transport>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
