//! Paying partners: their payout details (sealed at rest) and the data key's checks; payout
//! runs (made, approved by a second person, discarded), their files, and their settlement.

pub mod details;
pub mod files;
pub mod keys;
#[cfg(test)]
mod run_tests;
pub mod runs;
pub mod settings;
pub mod settle;
#[cfg(test)]
mod tests;

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, Actor};
use crate::backend::repos::users::Account;
use crate::backend::scope::Scope;
use crate::domain::access::Permission;
use diesel_async::AsyncPgConnection;
use serde_json::Value;
use time::OffsetDateTime;

pub const MISSING_RUN: &str = "That payout run doesn't exist.";
pub const MISSING_ITEM: &str = "That payout item doesn't exist in this run.";

/// The finance operator acting, within their brands, from one request.
pub struct Finance<'a> {
    pub user: &'a AuthUser,
    pub scope: &'a Scope,
    pub meta: &'a RequestMeta,
    pub base_url: &'a str,
    pub now: OffsetDateTime,
}

impl Finance<'_> {
    /// Only admins and finance touch payouts; anyone else is forbidden.
    fn allowed(&self) -> Result<(), AppError> {
        match self.user.account {
            Account::Operator(role) if role.can(Permission::RunPayouts) => Ok(()),
            _ => Err(AppError::Forbidden),
        }
    }

    fn actor(&self) -> Actor {
        self.user.actor()
    }

    /// One audit event about a run (or an item of it).
    async fn audit(
        &self,
        conn: &mut AsyncPgConnection,
        action: &str,
        (subject_type, subject_id): (&str, i64),
        after: Value,
    ) -> Result<(), AppError> {
        audit::record_with_ip(
            conn,
            audit::NewEvent {
                actor: &self.actor(),
                action,
                subject_type,
                subject_id: subject_id.to_string(),
                before: None,
                after: Some(after),
                request_id: self.meta.request_id.as_deref(),
            },
            &self.meta.ip,
        )
        .await?;
        Ok(())
    }
}
