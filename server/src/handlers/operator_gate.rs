//! Who may use a plain handler (the uploads and downloads that bypass server functions): a
//! logged-in operator whose role grants the permission, or a partner user. Anyone else gets the
//! page to answer with.

use crate::pages;
use app::backend::auth::{self, AuthUser};
use app::backend::repos::users::Account;
use app::backend::scope::Scope;
use app::backend::settings::Settings;
use app::domain::access::Permission;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use diesel_async::AsyncPgConnection;
use tower_sessions::Session;

/// What each refusal says: to a partner, and to an operator without the permission.
pub struct Refusals {
    pub not_staff: &'static str,
    pub no_permission: &'static str,
}

/// The operator whose role grants `permission` (any role when `None`), or: a redirect to log in
/// (back to `page` after), a 403 naming the refusal, or a 503 when the session can't be read.
pub async fn operator_with(
    conn: &mut AsyncPgConnection,
    session: &Session,
    settings: &Settings,
    permission: Option<Permission>,
    page: &str,
    refusals: Refusals,
) -> Result<AuthUser, Response> {
    let user = match auth::current_user(conn, session, settings).await {
        Ok(Some(user)) => user,
        Ok(None) => return Err(Redirect::to(&format!("/login?next={page}")).into_response()),
        Err(_) => return Err(pages::unavailable()),
    };
    match user.account {
        Account::Operator(role) if permission.is_none_or(|p| role.can(p)) => Ok(user),
        Account::Operator(_) => Err(pages::forbidden(refusals.no_permission)),
        _ => Err(pages::forbidden(refusals.not_staff)),
    }
}

/// The operator, as `operator_with`, who may also work in this program (its brand is in the
/// operator's scope); a program outside it is "not found", as one that doesn't exist.
pub async fn program_operator_with(
    conn: &mut AsyncPgConnection,
    session: &Session,
    settings: &Settings,
    (permission, program_id): (Option<Permission>, i64),
    page: &str,
    refusals: Refusals,
) -> Result<AuthUser, Response> {
    let user = operator_with(conn, session, settings, permission, page, refusals).await?;
    match Scope::of_operator(conn, user.id, user.brand_scoped).await {
        Ok(scope) if scope.has_program(program_id) => Ok(user),
        Ok(_) => Err(pages::page(
            StatusCode::NOT_FOUND,
            "Not found",
            "That program doesn't exist.",
        )),
        Err(_) => Err(pages::unavailable()),
    }
}

/// The partner id of the logged-in partner user, or: a redirect to log in (back to `next`
/// after), `for_operators` for an operator, or a 503 when the session can't be read.
pub async fn partner_or(
    conn: &mut AsyncPgConnection,
    session: &Session,
    settings: &Settings,
    next: &str,
    for_operators: impl FnOnce() -> Response,
) -> Result<i64, Response> {
    match auth::current_user(conn, session, settings).await {
        Ok(Some(user)) => match user.account {
            Account::Partner { partner_id, .. } => Ok(partner_id),
            Account::Operator(_) => Err(for_operators()),
        },
        Ok(None) => Err(Redirect::to(&format!("/login?next={next}")).into_response()),
        Err(_) => Err(pages::unavailable()),
    }
}
