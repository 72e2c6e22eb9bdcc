//! Repositories: async functions over `&mut AsyncPgConnection`, one file per aggregate. Callers
//! open transactions. Partner-facing queries take the partner id from the session, never from
//! the request; console queries take the operator's brand `Scope` into their `WHERE` clause.

pub mod agreements;
pub mod announcements;
#[cfg(test)]
pub(crate) mod announcements_tests;
pub mod api_keys;
pub mod application_questions;
pub mod approval_queue;
pub mod audit;
pub mod brands;
pub mod certifications;
pub mod click_batch;
pub mod click_partitions;
pub mod clicks;
pub mod commission_detail;
pub mod commission_settings;
pub mod conversion_list;
pub mod conversions;
pub mod coupons;
pub mod course_attempts;
pub mod courses;
pub mod creatives;
#[cfg(test)]
mod creatives_tests;
pub mod deal_catalogue;
pub mod deal_history;
pub mod deal_reports;
pub mod deals;
pub mod home_figures;
pub mod home_queues;
pub mod ledger;
pub mod library;
pub mod links;
pub mod mdf_events;
pub mod mdf_files;
pub mod mdf_funds;
pub mod mdf_reports;
pub mod mdf_requests;
pub mod memberships;
pub mod month_totals;
pub mod onboarding;
pub mod operators;
pub mod outbox;
pub mod partner_documents;
pub mod partner_team;
pub mod partners;
pub mod password_tokens;
pub mod payout_details;
pub mod payout_runs;
pub mod payout_settings;
pub mod periodic_jobs;
pub mod plans;
pub mod programs;
pub mod promo;
#[cfg(test)]
mod promo_tests;
pub mod rate_limits;
pub mod reports;
#[cfg(test)]
mod reports_tests;
#[cfg(test)]
mod scope_tests;
pub mod segments;
pub mod setup_tokens;
pub mod stage_probabilities;
pub mod stats;
pub mod sub_partners;
pub mod terms;
#[cfg(test)]
pub(crate) mod testing_home;
#[cfg(test)]
pub(crate) mod testing_ledger;
pub mod tiers;
pub mod tracking_settings;
#[cfg(test)]
mod training_tests;
pub mod two_factor;
pub mod users;

/// One page of a listing and the total number of matching rows.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
}

/// Offset and limit for a 1-based page number.
pub fn page_window(page: i64, per_page: i64) -> (i64, i64) {
    let page = page.max(1);
    ((page - 1) * per_page, per_page)
}

/// Escapes `%`, `_` and `\` so user text matches literally inside ILIKE.
pub fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    #[test]
    fn pages_and_patterns() {
        assert_eq!(super::page_window(0, 20), (0, 20));
        assert_eq!(super::page_window(3, 20), (40, 20));
        assert_eq!(super::like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
