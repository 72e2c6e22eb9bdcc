//! `POST /login` and `POST /logout`: plain form posts that work the same with or without
//! JavaScript. The CSRF middleware has already checked the token, and renews its cookie when
//! either one succeeds.

use crate::pages;
use app::api::error::AppError;
use app::backend::auth::{self, AuthUser, LoginOutcome};
use app::backend::csrf::RenewCsrfCookie;
use app::backend::ctx::ClientIp;
use app::backend::repos::users::Account;
use app::backend::state::AppState;
use app::domain::redirect::{home_for, safe_next};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

fn back_to_login(error: &str, form: &LoginForm) -> Response {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("error", error);
    if !form.email.trim().is_empty() && form.email.len() <= 254 {
        query.append_pair("email", form.email.trim());
    }
    if safe_next(&form.next).is_some() {
        query.append_pair("next", &form.next);
    }
    Redirect::to(&format!("/login?{}", query.finish())).into_response()
}

/// Where this login comes from, for the person's list of sessions.
pub fn device(ip: &str, headers: &HeaderMap) -> auth::Device {
    let agent = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    auth::Device::new(ip, agent)
}

pub fn error_response(error: AppError) -> Response {
    match error {
        AppError::Unavailable => pages::unavailable(),
        other => pages::page(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            &other.to_string(),
        ),
    }
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    if form.email.trim().is_empty() || form.password.is_empty() {
        return back_to_login("missing", &form);
    }
    if form.email.len() > 254 || form.password.len() > 1024 {
        return back_to_login("invalid", &form);
    }
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    let now = state.settings.clock.now();
    let mut conn = match state.pool.get().await {
        Ok(conn) => conn,
        Err(e) => return error_response(e.into()),
    };
    match auth::authenticate(
        &mut conn,
        &state.settings,
        &form.email,
        &form.password,
        &ip,
        request_id,
        now,
    )
    .await
    {
        Ok(LoginOutcome::LoggedIn(user)) => {
            if let Err(e) = auth::start_session(&mut conn, &session, user.id, device(&ip, &headers), now).await {
                return error_response(e);
            }
            renewing_csrf(Redirect::to(landing(&user, &form.next)).into_response())
        }
        Ok(LoginOutcome::SecondStepDue(user)) => {
            if let Err(e) = auth::await_second_step(&session, &user, device(&ip, &headers), &form.next, now).await {
                return error_response(e);
            }
            renewing_csrf(Redirect::to(super::login_code::PAGE).into_response())
        }
        Ok(LoginOutcome::Refused) => back_to_login("invalid", &form),
        Ok(LoginOutcome::Throttled { retry_after_secs }) => pages::too_many_requests(retry_after_secs),
        Err(e) => error_response(e),
    }
}

/// Where a login lands: `next` when it is a local path into the user's own area (or outside
/// both areas), else the user's home.
pub fn landing<'a>(user: &AuthUser, next: &'a str) -> &'a str {
    let home = home_for(matches!(user.account, Account::Operator(_)));
    safe_next(next)
        .filter(|next| next.starts_with(home) || !(next.starts_with("/console") || next.starts_with("/portal")))
        .unwrap_or(home)
}

pub async fn logout(session: Session) -> Response {
    if let Err(e) = auth::end_session(&session).await {
        return error_response(e);
    }
    renewing_csrf(Redirect::to("/login?notice=logged-out").into_response())
}

/// The session id changed: the CSRF middleware sends a fresh cookie with this answer, so the
/// next page's tokens are made from a new cookie and the new session.
pub fn renewing_csrf(mut response: Response) -> Response {
    response.extensions_mut().insert(RenewCsrfCookie);
    response
}
