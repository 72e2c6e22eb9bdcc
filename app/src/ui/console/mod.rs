//! The operator console.

mod applications;
mod audit;
mod dashboard;
mod outbox;

pub use applications::{ApplicationDetail, Applications};
pub use audit::Audit;
pub use dashboard::Dashboard;
pub use outbox::{Outbox, OutboxMessage};

pub use crate::ui::account::SettingsPage as Settings;
use leptos::prelude::Get;

/// A query parameter of the current URL.
pub(crate) fn query_param(name: &str) -> Option<String> {
    leptos_router::hooks::use_query_map()
        .get()
        .get(name)
        .filter(|v| !v.is_empty())
}
