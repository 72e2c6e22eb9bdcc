//! Use cases that span several repositories in one transaction: the row changes, their audit
//! events and their emails commit together or not at all.

pub mod invites;
pub mod join;
pub mod links;
pub mod off_domain_links;
pub mod passwords;
pub mod program_settings;
pub mod questions;
#[cfg(test)]
mod questions_tests;
pub mod review;
pub mod stage_probabilities;

/// Request facts every flow records in the audit trail.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub ip: String,
}

/// Records one audit event of a flow: what `actor` did to `subject` (type, id), and the state after.
pub async fn audited(
    conn: &mut diesel_async::AsyncPgConnection,
    actor: &crate::backend::repos::audit::Actor,
    action: &str,
    subject: (&str, String),
    after: serde_json::Value,
    meta: &RequestMeta,
) -> Result<(), crate::api::error::AppError> {
    crate::backend::repos::audit::record(
        conn,
        crate::backend::repos::audit::NewEvent {
            actor,
            action,
            subject_type: subject.0,
            subject_id: subject.1,
            before: None,
            after: Some(after),
            request_id: meta.request_id.as_deref(),
        },
    )
    .await?;
    Ok(())
}
