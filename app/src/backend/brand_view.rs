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

/// The brands `user` may switch between, by name: an operator's scope, or the brands of the
/// programs a partner is in or applied to.
pub async fn choices(
    conn: &mut diesel_async::AsyncPgConnection,
    user: &super::auth::AuthUser,
) -> diesel::QueryResult<Vec<super::repos::brands::BrandRow>> {
    use super::repos::{brands, users::Account};
    match user.account {
        Account::Operator(_) => {
            let scope = super::scope::Scope::of_operator(conn, user.id, user.brand_scoped).await?;
            Ok(brands::list(conn, &scope).await?.into_iter().map(|(b, _)| b).collect())
        }
        Account::Partner { partner_id, .. } => brands::of_partner(conn, partner_id).await,
    }
}
