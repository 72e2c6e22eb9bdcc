//! Handlers outside Leptos: login and logout (they set and clear the session cookie), the
//! health check, file uploads (MDF claims, brand logos, creatives, the first-run setup), downloads,
//! creative images and
//! brand stylesheets.

pub mod attachment;
pub mod brand_logo;
pub mod brand_view;
pub mod conversions_csv;
pub mod creative_files;
pub mod creatives;
pub mod csv_export;
pub mod deal_reports_csv;
pub mod documents;
pub mod health;
pub mod library;
pub mod login;
pub mod login_code;
pub mod mdf_claim;
pub mod mdf_files;
pub mod operator_gate;
pub mod payout_files;
pub mod promo_material;
pub mod segments_csv;
pub mod setup;
pub mod theme;
pub mod training_csv;
pub mod upload_form;
