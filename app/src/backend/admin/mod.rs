//! Running an installation from the browser: the first-run setup, brands, programs and
//! operators. Each change is one transaction with its audit event (and email, where one goes).

pub mod brands;
pub mod operators;
pub mod programs;
pub mod setup;

use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use diesel_async::AsyncPgConnection;

/// Records one admin action on `subject`.
pub(crate) async fn record(
    conn: &mut AsyncPgConnection,
    actor: &AuthUser,
    action: &str,
    subject: (&str, i64),
    after: serde_json::Value,
    meta: &RequestMeta,
) -> diesel::QueryResult<()> {
    audit::record(
        conn,
        NewEvent {
            actor: &actor.actor(),
            action,
            subject_type: subject.0,
            subject_id: subject.1.to_string(),
            before: None,
            after: Some(after),
            request_id: meta.request_id.as_deref(),
        },
    )
    .await
}
