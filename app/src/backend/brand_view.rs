//! The one brand a person chose to look at when theirs are several: the console's brand filter
//! for operators, the portal's brand switcher for partners. It lives in the session, so it lasts
//! until they sign out or choose again, and it only narrows what they see, never what they may do.

use super::errors::internal;
use crate::api::error::AppError;
use tower_sessions::Session;

const KEY: &str = "viewing_brand";

/// The chosen brand, if any. An unreadable value counts as no choice: the view is then whole.
pub async fn chosen(session: &Session) -> Option<i64> {
    session.get::<i64>(KEY).await.ok().flatten()
}

/// Keeps `brand` as the choice, or forgets it (`None`: every brand).
pub async fn choose(session: &Session, brand: Option<i64>) -> Result<(), AppError> {
    match brand {
        Some(id) => session.insert(KEY, id).await.map_err(internal),
        None => session.remove::<i64>(KEY).await.map(|_| ()).map_err(internal),
    }
}
