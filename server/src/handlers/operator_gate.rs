//! Who may post a plain console form (the uploads that bypass server functions): a logged-in
//! operator whose role grants the permission. Anyone else gets the page to answer with.

use crate::pages;
use app::backend::auth::{self, AuthUser};
use app::backend::repos::users::Account;
use app::backend::settings::Settings;
use app::domain::access::Permission;
use axum::response::{IntoResponse, Redirect, Response};
use diesel_async::AsyncPgConnection;
use tower_sessions::Session;

/// What each refusal says: to a partner, and to an operator without the permission.
pub struct Refusals {
    pub not_staff: &'static str,
    pub no_permission: &'static str,
}

/// The operator, or: a redirect to log in (back to `page` after), a 403 naming the refusal, or a
/// 503 when the session can't be read.
pub async fn operator_with(
    conn: &mut AsyncPgConnection,
    session: &Session,
    settings: &Settings,
    permission: Permission,
    page: &str,
    refusals: Refusals,
) -> Result<AuthUser, Response> {
    let user = match auth::current_user(conn, session, settings).await {
        Ok(Some(user)) => user,
        Ok(None) => return Err(Redirect::to(&format!("/login?next={page}")).into_response()),
        Err(_) => return Err(pages::unavailable()),
    };
    match user.account {
        Account::Operator(role) if role.can(permission) => Ok(user),
        Account::Operator(_) => Err(pages::forbidden(refusals.no_permission)),
        _ => Err(pages::forbidden(refusals.not_staff)),
    }
}
