//! An admin or finance operator approves a waiting file (with an optional expiry date) or
//! rejects it with a reason. The file's row lock makes a second decision see the first one; the
//! partner is emailed in the same transaction.

use super::NO_SUCH_DOCUMENT;
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::{audited, RequestMeta};
use crate::backend::partner_mail;
use crate::backend::repos::partner_documents::{self as repo, DocumentRow};
use crate::backend::repos::{outbox, partners, programs};
use crate::backend::scope::Scope;
use crate::domain::documents::{emails, Decision, Status};
use crate::domain::mdf::date_text;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

pub async fn decide(
    conn: &mut AsyncPgConnection,
    reviewer: &AuthUser,
    scope: &Scope,
    id: i64,
    decision: &Decision,
    (base_url, meta): (&str, &RequestMeta),
    now: OffsetDateTime,
) -> Result<DocumentRow, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let (document, requirement) = repo::lock_in(conn, id, &scope.programs)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_DOCUMENT.into()))?;
        match Status::parse(&document.status) {
            Some(Status::Pending) => {}
            Some(Status::Replaced) => {
                return Err(AppError::Conflict(
                    "The partner has uploaded a newer file since: review that one instead.".into(),
                ))
            }
            _ => {
                return Err(AppError::Conflict(format!(
                    "This document was already {}.",
                    document.status
                )))
            }
        }
        let (status, reason, expires_on) = match decision {
            Decision::Approve { expires_on } => (Status::Approved, None, *expires_on),
            Decision::Reject { reason } => (Status::Rejected, Some(reason.as_str()), None),
        };
        let row = repo::decide(conn, id, status, (reviewer.id, now), reason, expires_on).await?;
        let action = if status == Status::Approved {
            "document.approve"
        } else {
            "document.reject"
        };
        let after = serde_json::json!({
            "partner_id": row.partner_id, "requirement": requirement.name, "status": row.status,
            "reason": row.reason, "expires_on": row.expires_on.map(|d| d.to_string()),
        });
        audited(
            conn,
            &reviewer.actor(),
            action,
            ("partner_document", id.to_string()),
            after,
            meta,
        )
        .await?;
        let partner = partners::get(conn, row.partner_id).await?;
        let program = programs::get(conn, requirement.program_id).await?;
        let content = match decision {
            Decision::Approve { expires_on } => {
                let until = expires_on.map(date_text);
                emails::approved(&partner.name, &requirement.name, &program.name, until.as_deref())
            }
            Decision::Reject { reason } => {
                let url = format!("{base_url}/portal/documents");
                emails::rejected(&partner.name, &requirement.name, &program.name, reason, &url)
            }
        };
        let to = partner_mail::address(conn, &partner).await?;
        outbox::enqueue_for_program(conn, program.id, &to, &content).await?;
        Ok(row)
    })
    .await
}
