//! The dev mailbox: every email Trellis queued, with its delivery status. It is installation-wide
//! (an email names no brand in a form a query could filter on), so only operators who see every
//! brand may read it.

use super::error::AppError;
use super::Paged;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxMessageDto {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub body_text: String,
}

pub const PER_PAGE: i64 = 25;

/// An operator allowed to read the mailbox who sees every brand; a brand-scoped one is refused.
#[cfg(feature = "ssr")]
async fn require_reader() -> Result<(), AppError> {
    use crate::domain::access::Permission;
    let operator = crate::backend::ctx::require_permission(Permission::ReadMailbox).await?;
    if operator.scope.all_brands {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[server(input = GetUrl)]
pub async fn list_outbox(page: Option<i64>) -> Result<Paged<OutboxMessageDto>, AppError> {
    use crate::backend::{ctx, repos::outbox};
    require_reader().await?;
    let page = page.unwrap_or(1).max(1);
    let rows = outbox::list(&mut *ctx::db().await?, page, PER_PAGE).await?;
    let dev = ctx::state()?.transport.is_dev_mailbox();
    Ok(Paged::from_page(rows, page, PER_PAGE, |row| to_dto(row, dev)))
}

#[server(input = GetUrl)]
pub async fn outbox_message(id: i64) -> Result<OutboxMessageDto, AppError> {
    use crate::backend::{ctx, repos::outbox};
    require_reader().await?;
    let dev = ctx::state()?.transport.is_dev_mailbox();
    outbox::get(&mut *ctx::db().await?, id)
        .await
        .map(|row| to_dto(row, dev))
        .map_err(|e| crate::backend::errors::not_found_as(e, "That message doesn't exist."))
}

#[cfg(feature = "ssr")]
/// With real delivery, staff never see the secret links meant for someone else's inbox.
fn to_dto(row: crate::backend::repos::outbox::OutboxRow, dev_mailbox: bool) -> OutboxMessageDto {
    use crate::domain::format::datetime;
    OutboxMessageDto {
        id: row.id,
        to: row.to_address,
        subject: row.subject,
        status: row.status,
        attempts: row.attempts,
        last_error: row.last_error,
        created_at: datetime(row.created_at),
        sent_at: row.sent_at.map(datetime),
        body_text: if dev_mailbox {
            row.body_text
        } else {
            crate::domain::emails::redact_tokens(&row.body_text)
        },
    }
}
