//! Use cases that span several repositories in one transaction: the row changes, their audit
//! events and their emails commit together or not at all.

pub mod invites;
pub mod join;
pub mod links;
pub mod off_domain_links;
pub mod passwords;
pub mod program_settings;
pub mod review;
pub mod stage_probabilities;

/// Request facts every flow records in the audit trail.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub ip: String,
}
