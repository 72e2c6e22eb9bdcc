//! The partner portal.

mod across_programs;
mod agreements;
mod announcements;
mod checklist;
mod commissions;
mod course;
mod creatives;
mod dashboard;
mod deals;
mod documents;
mod ledger_table;
mod library;
mod links;
mod material;
mod mdf;
mod mdf_request;
mod payouts;
mod performance;
mod profile;
mod programs;
mod sub_partners;
mod team;
mod terms;
mod training;

pub use agreements::Agreements;
pub use announcements::Announcements;
pub use commissions::Commissions;
pub use course::CoursePage;
pub use creatives::Creatives;
pub use dashboard::Dashboard;
pub use deals::{DealPage, Deals, NewDeal};
pub use documents::Documents;
pub use library::Library;
pub use links::Links;
pub use material::Material;
pub use mdf::Mdf;
pub use mdf_request::MdfRequest;
pub use payouts::Payouts;
pub use profile::Profile;
pub use programs::Programs;
pub use team::Team;
pub use terms::Terms;
pub use training::Training;

pub use crate::ui::account::SettingsPage as Settings;
