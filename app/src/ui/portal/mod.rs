//! The partner portal.

mod dashboard;
mod links;
mod performance;
mod planned;
mod programs;

pub use dashboard::Dashboard;
pub use links::Links;
pub use planned::{Deals, Mdf, Payouts, Training};
pub use programs::Programs;

pub use crate::ui::account::SettingsPage as Settings;
