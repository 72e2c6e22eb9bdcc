//! `POST /login/code`: a login's second step, for people with two-factor sign-in on. The
//! password step (`login::login`) left the login waiting in the session; a right code (from
//! the app, or a recovery code) signs the person in, under the same throttle as passwords.

use super::login::{error_response, landing, renewing_csrf};
use crate::pages;
use app::backend::auth::{self, CodeOutcome};
use app::backend::ctx::ClientIp;
use app::backend::state::AppState;
use app::domain::two_factor::{CODE_MALFORMED, CODE_MISSING};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use tower_sessions::Session;

/// The page with the code form.
pub const PAGE: &str = "/login/code";

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The page's `error` parameter for a refused code.
fn error_key(message: &str) -> &'static str {
    match message {
        CODE_MISSING => "missing",
        CODE_MALFORMED => "malformed",
        _ => "wrong",
    }
}

pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    if form.code.len() > 64 {
        return Redirect::to(&format!("{PAGE}?error=malformed")).into_response();
    }
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    let now = state.settings.clock.now();
    let mut conn = match state.pool.get().await {
        Ok(conn) => conn,
        Err(e) => return error_response(e.into()),
    };
    let outcome = auth::authenticate_code(&mut conn, &state.settings, &session, &form.code, &ip, request_id, now).await;
    match outcome {
        Ok(CodeOutcome::LoggedIn { user, next, device }) => {
            if let Err(e) = auth::start_session(&mut conn, &session, user.id, device, now).await {
                return error_response(e);
            }
            renewing_csrf(Redirect::to(landing(&user, &next)).into_response())
        }
        Ok(CodeOutcome::Refused(message)) => {
            Redirect::to(&format!("{PAGE}?error={}", error_key(message))).into_response()
        }
        Ok(CodeOutcome::Expired) => Redirect::to("/login?error=code-expired").into_response(),
        Ok(CodeOutcome::Throttled { retry_after_secs }) => pages::too_many_requests(retry_after_secs),
        Err(e) => error_response(e),
    }
}
