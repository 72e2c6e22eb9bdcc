//! Server functions, one file per feature, with the DTOs they send over the wire. Each is a thin
//! adapter: context and rights, a domain rule, a repository or flow, a DTO.

pub mod across_programs;
pub mod agreements;
pub mod announcements;
pub mod application_questions;
pub mod approval_settings;
pub mod approvals;
pub mod audit;
pub mod auth;
pub mod brands;
pub mod conversions;
pub mod creatives;
pub mod dashboard;
pub mod deal_reports;
pub mod deals;
pub mod documents;
pub mod documents_console;
pub mod error;
pub mod flash;
pub mod join;
pub mod library;
pub mod links;
pub mod mdf;
pub mod mdf_console;
pub mod mdf_funds;
pub mod my_commissions;
pub mod my_payouts;
pub mod my_terms;
pub mod off_domain_links;
pub mod onboarding;
pub mod operators;
pub mod outbox;
pub mod partner_relationship;
pub mod payout_details;
pub mod payout_runs;
pub mod plans;
pub mod portal;
pub mod program_admin;
pub mod program_create;
pub mod program_partner;
pub mod programs;
pub mod promo;
pub mod reports;
pub mod review;
pub mod segments;
pub mod sessions;
pub mod setup;
pub mod team;
pub mod terms;
pub mod tiers;
pub mod training;
pub mod two_factor;

/// One page of rows for a sortable, pageable table.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Paged<T> {
    pub rows: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Paged<T> {
    pub fn page_count(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

#[cfg(feature = "ssr")]
impl<T> Paged<T> {
    pub fn from_page<R>(
        page: crate::backend::repos::Page<R>,
        number: i64,
        per_page: i64,
        map: impl Fn(R) -> T,
    ) -> Self {
        Self {
            rows: page.rows.into_iter().map(map).collect(),
            total: page.total,
            page: number.max(1),
            per_page,
        }
    }
}
