//! Server-only code: database access, sessions, mail and the context helpers that server
//! functions use. Nothing here is compiled for the browser.

pub mod admin;
pub mod agreements;
#[cfg(test)]
mod agreements_tests;
pub mod announcements;
pub mod api_v1;
pub mod auth;
pub mod brand_view;
pub mod clock;
pub mod commissions;
pub mod creatives;
pub mod csp;
pub mod csrf;
pub mod ctx;
pub mod data_key;
pub mod db;
#[cfg(test)]
mod db_revert_tests;
pub mod db_tls;
pub mod db_url;
pub mod deals;
pub mod documents;
pub mod errors;
pub mod flows;
pub mod library;
pub mod mailer;
pub mod markdown;
pub mod mdf;
pub mod onboarding;
#[cfg(test)]
mod onboarding_tests;
pub mod operator_mail;
pub mod partner_mail;
pub mod partner_team;
pub mod passwords;
pub mod payouts;
pub mod promo;
pub mod replica;
pub mod repos;
pub mod retention;
#[cfg(test)]
mod retention_tests;
pub mod schema;
pub mod scope;
pub mod segments;
#[cfg(test)]
mod segments_tests;
pub mod session_store;
pub mod settings;
pub mod signed_in;
pub mod sql;
pub mod state;
pub mod tiers;
pub mod tokens;
pub mod tracking;
pub mod training;
pub mod two_factor;
#[cfg(test)]
mod two_factor_tests;

#[cfg(any(test, feature = "testing"))]
pub mod testing;
