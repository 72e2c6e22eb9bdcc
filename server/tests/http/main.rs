//! HTTP tests: the real router in process over private databases, one test binary sharing one
//! harness (`support`).

mod administration;
mod agreements;
mod announcements;
mod application_questions;
mod approvals;
mod brand_scoping;
mod commission_console;
mod creatives;
mod csrf_session;
mod deal_reports;
mod deals;
mod documents;
mod foundation;
mod home;
mod hydration;
mod instances;
mod library;
mod mdf;
mod off_domain_links;
mod onboarding;
mod parallel_routers;
mod payout_runs;
mod payouts;
mod promo;
mod safe_reads;
mod security_headers;
mod sessions;
mod static_files;
mod support;
mod team;
mod tiers;
mod tracking;
mod tracking_console;
mod training;
mod viewer_matrix;
