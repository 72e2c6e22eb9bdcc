//! Business rules with no IO: no clock reads, no database, no framework types.
//! Everything here compiles for the browser too and is tested beside the code.

pub mod access;
pub mod admin;
pub mod agreements;
pub mod announcements;
pub mod attribution;
pub mod bots;
pub mod commission;
pub mod conversion_input;
pub mod country;
pub mod creatives;
pub mod csv;
pub mod deals;
pub mod destination;
pub mod device;
pub mod documents;
pub mod emails;
pub mod format;
pub mod home;
pub mod html;
pub mod join;
pub mod library;
pub mod mdf;
pub mod membership;
pub mod money;
pub mod partner_kind;
pub mod partner_team;
pub mod password;
pub mod payouts;
pub mod period;
pub mod promo;
pub mod questions;
pub mod redirect;
pub mod report_table;
pub mod training;
pub mod validate;
