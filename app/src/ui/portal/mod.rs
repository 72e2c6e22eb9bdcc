//! The partner portal.

mod dashboard;
mod planned;
mod programs;

pub use dashboard::Dashboard;
pub use planned::{Deals, Links, Mdf, Payouts, Training};
pub use programs::Programs;

pub use crate::ui::account::SettingsPage as Settings;
