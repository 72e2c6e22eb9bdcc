//! Handlers outside Leptos: login and logout (they set and clear the session cookie), the
//! health check, file uploads (MDF claims, brand logos, the first-run setup), downloads and
//! brand stylesheets.

pub mod brand_logo;
pub mod conversions_csv;
pub mod csv_export;
pub mod deal_reports_csv;
pub mod health;
pub mod login;
pub mod mdf_claim;
pub mod mdf_files;
pub mod setup;
pub mod theme;
pub mod upload_form;
