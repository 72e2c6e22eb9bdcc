//! Deal registration use cases: register (conflicts decided by PostgreSQL), review, stage changes
//! (a won deal's commission goes through the commission engine), protection extensions, and the
//! jobs that expire protection and chase overdue reviews. Each runs in one transaction with its
//! history, audit events and emails.

pub mod extensions;
pub mod jobs;
mod notify;
pub mod progress;
pub mod register;
pub mod review;
pub mod settings;
#[cfg(test)]
mod tests;

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::deal_history::{self, NewDealEvent};
use crate::backend::repos::deals::{self, DealRow};
use crate::backend::scope::Whose;
use crate::domain::deals::lifecycle::Status;
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::OffsetDateTime;

/// Who acts, from which request, and when.
#[derive(Clone, Copy)]
pub struct Acting<'a> {
    pub user: &'a AuthUser,
    pub meta: &'a RequestMeta,
    /// For links in emails.
    pub base_url: &'a str,
    pub now: OffsetDateTime,
}

/// A deal's history line and its audit event, written together.
struct Happened<'a> {
    kind: &'a str,
    stage: Option<&'a str>,
    value: Option<Decimal>,
    note: Option<&'a str>,
    details: serde_json::Value,
}

async fn record(
    conn: &mut AsyncPgConnection,
    acting: &Acting<'_>,
    deal_id: i64,
    happened: Happened<'_>,
) -> QueryResult<()> {
    deal_history::record(
        conn,
        &NewDealEvent {
            deal_id,
            at: acting.now,
            actor_id: Some(acting.user.id),
            kind: happened.kind,
            stage: happened.stage,
            value: happened.value,
            note: happened.note,
        },
    )
    .await?;
    audit::record(
        conn,
        NewEvent {
            actor: &acting.user.actor(),
            action: &format!("deal.{}", happened.kind),
            subject_type: "deal",
            subject_id: deal_id.to_string(),
            before: None,
            after: Some(happened.details),
            request_id: acting.meta.request_id.as_deref(),
        },
    )
    .await
}

/// The locked row of a deal that is `whose`, or a not-found error that names no one.
async fn lock(conn: &mut AsyncPgConnection, deal_id: i64, whose: Whose<'_>) -> Result<DealRow, AppError> {
    deals::lock(conn, deal_id, whose).await?.ok_or_else(not_found)
}

fn not_found() -> AppError {
    AppError::NotFound("There is no such deal.".into())
}

fn status(deal: &DealRow) -> Status {
    Status::parse(&deal.status).unwrap_or(Status::Rejected)
}
