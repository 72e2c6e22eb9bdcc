//! A program in the console: its list, overview report, tracking settings, links, coupons,
//! commission plans, partner terms, approval settings, API keys, integration snippets and
//! conversions, one file per tab (plus the page of one partner in the program).

mod adjustment_review;
mod agreement;
mod announcements;
mod application_questions;
mod approvals;
mod conversions;
mod coupons;
mod course;
mod creatives;
mod deals;
mod integration;
mod keys;
mod library;
mod lifecycle;
mod links;
mod list;
mod mdf;
mod new;
mod off_domain;
mod overview;
mod partner;
mod partner_forms;
mod partner_ledger;
mod partner_tier;
mod plan_form;
mod plans;
mod promo;
mod settings;
mod tabs;
mod terms;
mod terms_fields;
mod training;

pub use agreement::ProgramAgreement;
pub use announcements::ProgramAnnouncements;
pub use application_questions::ProgramQuestions;
pub use approvals::ProgramApprovals;
pub use conversions::ProgramConversions;
pub use coupons::ProgramCoupons;
pub use course::CourseEditor;
pub use creatives::ProgramCreatives;
pub use deals::ProgramDeals;
pub use integration::ProgramIntegration;
pub use keys::ProgramKeys;
pub use library::ProgramLibrary;
pub use links::ProgramLinks;
pub use list::Programs;
pub use mdf::ProgramMdf;
pub use new::NewProgram;
pub use overview::ProgramOverview;
pub use partner::ProgramPartner;
pub use plans::ProgramPlans;
pub use settings::ProgramSettings;
pub use terms::ProgramTerms;
pub use training::ProgramTraining;
