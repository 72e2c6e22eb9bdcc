//! The console's audit trail: read-only, filterable, paged, and limited to the operator's brands
//! (operators who see every brand also see the events of no brand).

use super::error::AppError;
use super::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEventDto {
    pub id: i64,
    pub occurred_at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: Option<String>,
    /// The client address of the request, where the event keeps one (uploads, MDF steps).
    pub ip: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditList {
    pub page: Paged<AuditEventDto>,
    pub actions: Vec<String>,
}

pub const PER_PAGE: i64 = 50;

#[server(input = GetUrl)]
pub async fn list_audit(
    action: Option<String>,
    actor: Option<String>,
    subject: Option<String>,
    page: Option<i64>,
) -> Result<AuditList, AppError> {
    use crate::backend::{ctx, repos::audit};
    let operator = ctx::require_operator().await?;
    let clean = |v: Option<String>| {
        v.map(|s| s.trim().chars().take(200).collect::<String>())
            .filter(|s| !s.is_empty())
    };
    let (subject_type, subject_id) = match clean(subject) {
        Some(s) => match s.split_once(':') {
            Some((t, id)) => (Some(t.to_owned()), Some(id.to_owned())),
            None => (Some(s), None),
        },
        None => (None, None),
    };
    let page = page.unwrap_or(1).max(1);
    let filter = audit::EventFilter {
        action: clean(action),
        actor: clean(actor),
        subject_type,
        subject_id,
        page,
        per_page: PER_PAGE,
    };
    let mut conn = ctx::db().await?;
    let rows = audit::list(&mut conn, &operator.scope, &filter).await?;
    let actions = audit::actions(&mut conn, &operator.scope).await?;
    Ok(AuditList {
        page: Paged::from_page(rows, page, PER_PAGE, to_dto),
        actions,
    })
}

#[cfg(feature = "ssr")]
fn to_dto(row: crate::backend::repos::audit::EventRow) -> AuditEventDto {
    AuditEventDto {
        id: row.id,
        occurred_at: crate::domain::format::datetime(row.occurred_at),
        actor: row.actor_label,
        action: row.action,
        subject: format!("{}:{}", row.subject_type, row.subject_id),
        before: row.before.map(|v| v.to_string()),
        after: row.after.map(|v| v.to_string()),
        request_id: row.request_id,
        ip: row.ip,
    }
}
