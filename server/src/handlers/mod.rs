//! Handlers outside Leptos: login and logout (they set and clear the session cookie), the
//! health check, and MDF claims with file uploads and their downloads.

pub mod conversions_csv;
pub mod csv_export;
pub mod deal_reports_csv;
pub mod health;
pub mod login;
pub mod mdf_claim;
pub mod mdf_files;
