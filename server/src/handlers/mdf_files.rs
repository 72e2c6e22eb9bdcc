//! `GET /mdf/files/{id}`: a proof-of-performance file. Operators may download those of the
//! programs in their brand scope; a partner only its own (another partner's or another brand's
//! file is "not found", like one that doesn't exist). Always an attachment with the stored
//! (sniffed) type, and never sniffed or run by the browser.

use crate::pages;
use app::backend::auth;
use app::backend::repos::mdf_files;
use app::backend::repos::users::Account;
use app::backend::scope::{Scope, Whose};
use app::backend::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

const MISSING: &str = "That file doesn't exist, or it isn't yours to see.";

pub async fn download(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let user = match auth::current_user(&mut conn, &session, &state.settings).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to(&format!("/login?next=/mdf/files/{id}")).into_response(),
        Err(_) => return pages::unavailable(),
    };
    let scope = match user.account {
        Account::Operator(_) => Scope::of_operator(&mut conn, user.id, user.brand_scoped).await.ok(),
        Account::Partner { .. } => None,
    };
    let whose = match (user.account, &scope) {
        (Account::Partner { partner_id, .. }, _) => Whose::Partner(partner_id),
        (Account::Operator(_), Some(scope)) => Whose::Operator(scope),
        (Account::Operator(_), None) => return pages::unavailable(),
    };
    let file = match mdf_files::download(&mut conn, id, whose).await {
        Ok(Some(file)) => file,
        Ok(None) => return pages::page(StatusCode::NOT_FOUND, "Not found", MISSING),
        Err(_) => return pages::unavailable(),
    };
    let ascii: String = file
        .filename
        .chars()
        .map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' })
        .filter(|c| !matches!(c, '"' | '\\'))
        .collect();
    let encoded: String = file
        .filename
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = (StatusCode::OK, file.data).into_response();
    let headers = response.headers_mut();
    let set = |value: &str| {
        HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
    };
    headers.insert(header::CONTENT_TYPE, set(&file.content_type));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    response
}
