//! Handlers outside Leptos: login and logout (they set and clear the session cookie) and the
//! health check.

pub mod conversions_csv;
pub mod csv_export;
pub mod deal_reports_csv;
pub mod health;
pub mod login;
