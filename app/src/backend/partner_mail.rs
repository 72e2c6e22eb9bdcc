//! Where a partner's emails go: its owner's address, or the partner's own address when nobody
//! owns the account yet (an application, or a partner whose owner left).

use crate::api::error::AppError;
use crate::backend::repos::partners::{self, PartnerRow};
use crate::backend::repos::{outbox, users};
use crate::domain::emails::EmailContent;
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

pub async fn address(conn: &AsyncPgConnection, partner: &PartnerRow) -> QueryResult<String> {
    Ok(users::partner_owner(conn, partner.id)
        .await?
        .map_or_else(|| partner.email.clone(), |owner| owner.email))
}

/// Queues `content` (unbranded) for the partner.
pub async fn to_partner(conn: &AsyncPgConnection, partner_id: i64, content: &EmailContent) -> Result<(), AppError> {
    let partner = partners::get(conn, partner_id).await?;
    to_loaded(conn, &partner, content).await
}

/// The same, for a partner the caller has loaded already.
pub async fn to_loaded(conn: &AsyncPgConnection, partner: &PartnerRow, content: &EmailContent) -> Result<(), AppError> {
    let to = address(conn, partner).await?;
    outbox::enqueue(conn, &to, content).await?;
    Ok(())
}
