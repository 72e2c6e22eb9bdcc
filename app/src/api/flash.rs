//! One-time messages for browsers without JavaScript. A plain form post ends in a redirect back to
//! the page, so a mutation's "Saved" can't travel in its answer; it waits in the session and the
//! next page shows it once. (With JavaScript, pages show the action's own result instead.)
//! Taking a message changes the session, so it is a POST: a GET never changes anything, and
//! pages take it through the server function while they render.

use super::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
const FLASH_KEY: &str = "flash";

/// Keeps `message` for the next page when this request is a plain form post.
#[cfg(feature = "ssr")]
pub async fn after_plain_post(message: impl Into<String>) -> Result<(), AppError> {
    use crate::backend::ctx;
    if ctx::is_plain_form_post().await {
        ctx::session()
            .await?
            .insert(FLASH_KEY, message.into())
            .await
            .map_err(crate::backend::errors::internal)?;
    }
    Ok(())
}

/// Keeps `message` for the next page of this session (for handlers outside server functions).
#[cfg(feature = "ssr")]
pub async fn keep_for_next_page(session: &tower_sessions::Session, message: impl Into<String>) -> Result<(), AppError> {
    session
        .insert(FLASH_KEY, message.into())
        .await
        .map_err(crate::backend::errors::internal)
}

/// The waiting message, if any; taking it removes it.
#[server]
pub async fn take_flash(csrf_token: String) -> Result<Option<String>, AppError> {
    crate::backend::ctx::verify_csrf(&csrf_token)?;
    crate::backend::ctx::session()
        .await?
        .remove::<String>(FLASH_KEY)
        .await
        .map_err(crate::backend::errors::internal)
}
