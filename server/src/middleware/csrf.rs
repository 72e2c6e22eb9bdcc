//! CSRF protection for every state-changing request. Each browser gets a random value in an
//! HttpOnly cookie; every POST must carry the matching token (form field `csrf_token` or header
//! `x-csrf-token`) and, when the browser sends an Origin, come from this host. Refused requests
//! never reach a handler, so they change nothing.

use crate::pages;
use app::api::error::AppError;
use app::backend::csrf::{cookie_value, new_cookie_value, token_for, verify, CsrfToken, COOKIE_NAME, FIELD_NAME};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

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

/// The file uploads (an MDF claim, a brand logo, the first-run setup): multipart bodies of up
/// to several megabytes, whose handlers check the token themselves (the form's first field)
/// before they read anything else, so this middleware doesn't buffer them.
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
    multipart && (path == "/setup" || id_between("/portal/mdf/", "/claim") || id_between("/console/brands/", "/logo"))
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
    let existing = req
        .headers()
        .get(header::COOKIE)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| cookie_value(h, COOKIE_NAME))
        .filter(|v| v.len() == 43)
        .map(str::to_owned);
    let mut req = if is_unsafe(req.method()) {
        let path = req.uri().path().to_owned();
        let Some(cookie) = existing.as_deref() else {
            return rejected(&path);
        };
        if !origin_allowed(&req, &config.base_origin) {
            return rejected(&path);
        }
        if is_upload(&req) {
            return next.run(req).await;
        }
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response();
        };
        let req = Request::from_parts(parts, Body::from(bytes.clone()));
        match submitted_token(&req, &bytes) {
            Some(token) if verify(&config.secret, cookie, &token) => req,
            _ => return rejected(&path),
        }
    } else {
        req
    };
    let cookie = existing.clone().unwrap_or_else(new_cookie_value);
    req.extensions_mut()
        .insert(CsrfToken(token_for(&config.secret, &cookie)));
    let mut response = next.run(req).await;
    if existing.is_none() {
        let secure = if config.secure_cookie { "; Secure" } else { "" };
        let value = format!("{COOKIE_NAME}={cookie}; Path=/; HttpOnly; SameSite=Lax{secure}");
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
