//! CSRF protection for every state-changing request. Each browser gets a random value in an
//! HttpOnly cookie; every POST must carry the token made from it and the session id (form field
//! `csrf_token` or header `x-csrf-token`) and, when the browser sends an Origin, come from this
//! host. Refused requests never reach a handler, so they change nothing. The cookie is renewed
//! when a handler marks its answer with `RenewCsrfCookie` (login and logout).

use super::db_gate::unavailable_for;
use crate::pages;
use app::api::error::AppError;
use app::backend::csrf::{
    cookie_value, matches, new_cookie_value, session_id, token_for, CsrfToken, RenewCsrfCookie, COOKIE_NAME, FIELD_NAME,
};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tower_sessions::Session;

/// Bodies larger than this are refused before parsing (forms here are small).
const MAX_FORM_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
pub struct CsrfConfig {
    pub secret: Arc<Vec<u8>>,
    /// The configured public origin (scheme and host of `TRELLIS_BASE_URL`).
    pub base_origin: String,
    pub secure_cookie: bool,
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn origin_allowed(req: &Request, base_origin: &str) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true; // Older browsers and non-browser clients; the token still decides.
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    origin == base_origin || origin.split_once("://").is_some_and(|(_, rest)| rest == host)
}

fn submitted_token(req: &Request, body: &[u8]) -> Option<String> {
    if let Some(token) = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return Some(token.to_owned());
    }
    form_urlencoded::parse(body)
        .find(|(k, _)| k == FIELD_NAME)
        .map(|(_, v)| v.into_owned())
}

/// The file uploads (an MDF claim, a brand logo, a creative, a library document or version, a
/// promotional submission with its screenshot, a payout run's settlement file, a partner
/// document, the first-run setup): multipart bodies of up to many megabytes, whose handlers check the token
/// themselves (the form's first field) before they read anything else, so this middleware
/// doesn't buffer them.
fn is_upload(req: &Request) -> bool {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let path = req.uri().path();
    let id_between = |prefix: &str, suffix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .is_some_and(|id| id.parse::<i64>().is_ok())
    };
    // /console/programs/{id}/library/{document}/versions
    let library_version = path
        .strip_prefix("/console/programs/")
        .and_then(|rest| rest.strip_suffix("/versions"))
        .and_then(|rest| rest.split_once("/library/"))
        .is_some_and(|(program, document)| program.parse::<i64>().is_ok() && document.parse::<i64>().is_ok());
    multipart
        && (path == "/setup"
            || path == "/portal/material/submit"
            || id_between("/portal/mdf/", "/claim")
            || id_between("/console/brands/", "/logo")
            || id_between("/console/programs/", "/creatives/add")
            || id_between("/console/programs/", "/library/add")
            || id_between("/console/payouts/", "/settlement")
            || id_between("/portal/documents/", "")
            || library_version)
}

fn rejected(path: &str) -> Response {
    tracing::warn!(path, "CSRF check failed");
    if super::is_server_fn(path) {
        let body = serde_json::to_string(&AppError::Csrf).unwrap_or_default();
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    } else {
        pages::csrf_rejected()
    }
}

pub async fn csrf(State(config): State<CsrfConfig>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let existing = req
        .headers()
        .get(header::COOKIE)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| cookie_value(h, COOKIE_NAME))
        .filter(|v| v.len() == 43)
        .map(str::to_owned);
    let session_id = match req.extensions().get::<Session>() {
        Some(session) => match session_id(session).await {
            Ok(id) => id,
            Err(e) => {
                tracing::warn!(path, error = %e, "the session could not be read");
                return unavailable_for(&path);
            }
        },
        None => None,
    };
    let cookie = existing.clone().unwrap_or_else(new_cookie_value);
    let expected = token_for(&config.secret, &cookie, session_id.as_deref());
    let mut req = if is_unsafe(req.method()) {
        if existing.is_none() || !origin_allowed(&req, &config.base_origin) {
            return rejected(&path);
        }
        if is_upload(&req) {
            req
        } else {
            let (parts, body) = req.into_parts();
            let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
                return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response();
            };
            let req = Request::from_parts(parts, Body::from(bytes.clone()));
            match submitted_token(&req, &bytes) {
                Some(token) if matches(&expected, &token) => req,
                _ => return rejected(&path),
            }
        }
    } else {
        req
    };
    req.extensions_mut().insert(CsrfToken(expected));
    let mut response = next.run(req).await;
    // A new cookie on the first visit, and a fresh one whenever the session starts or ends.
    let renew = response.extensions().get::<RenewCsrfCookie>().is_some();
    let new_cookie = match (renew, existing) {
        (true, _) => Some(new_cookie_value()),
        (false, None) => Some(cookie),
        (false, Some(_)) => None,
    };
    if let Some(value) = new_cookie {
        let secure = if config.secure_cookie { "; Secure" } else { "" };
        let value = format!("{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Lax{secure}");
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
