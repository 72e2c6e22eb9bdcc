//! The operator console.

mod applications;
mod audit;
mod brands;
mod commissions;
mod dashboard;
mod deals;
mod documents;
mod mdf;
mod operators;
mod outbox;
mod payouts;
mod programs;
mod reports;
mod two_factor_rules;

pub use applications::{ApplicationDetail, Applications};
pub use audit::Audit;
pub use brands::{BrandFields, BrandPage, Brands};
pub use commissions::{CommissionDetail, CommissionQueue};
pub use dashboard::Dashboard;
pub use deals::{DealQueue, DealReview};
pub use documents::DocumentQueue;
pub use mdf::{MdfDetail, MdfQueue};
pub use operators::Operators;
pub use outbox::{Outbox, OutboxMessage};
pub use payouts::{PayoutRun, PayoutRuns, PayoutSettings};
pub use programs::{
    CourseEditor, NewProgram, ProgramAgreement, ProgramAnnouncements, ProgramApprovals, ProgramConversions,
    ProgramCoupons, ProgramCreatives, ProgramDeals, ProgramIntegration, ProgramKeys, ProgramLibrary, ProgramLinks,
    ProgramMdf, ProgramOverview, ProgramPartner, ProgramPlans, ProgramQuestions, ProgramSegments, ProgramSettings,
    ProgramTerms, ProgramTiers, ProgramTraining, Programs,
};
pub use reports::{DealReport, OnboardingReport};

pub use crate::ui::account::SettingsPage as Settings;
pub(crate) use crate::ui::params::{id_param, query_param};
