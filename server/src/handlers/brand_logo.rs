//! Brand logos: `POST /console/brands/{id}/logo` stores one (a plain file upload for admins),
//! `GET /brands/{id}/logo` serves it to anyone (join pages and emails show it). The stored type
//! was sniffed from the bytes; the answer is never sniffed or run by the browser, and its URL
//! carries the logo's version, so each version may be cached for good.

use super::operator_gate::{operator_with, Refusals};
use super::upload_form;
use crate::pages;
use app::api::brands::build::logo_refusal_key;
use app::api::error::AppError;
use app::backend::admin;
use app::backend::csrf::CsrfToken;
use app::backend::ctx::ClientIp;
use app::backend::repos::brands;
use app::backend::scope::Scope;
use app::backend::state::AppState;
use app::domain::access::Permission;
use app::domain::admin::brand_form::{LOGO_MAX_BYTES, LOGO_RULES};
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use tower_sessions::Session;

pub const MAX_BODY_BYTES: usize = LOGO_MAX_BYTES + 16 * 1024;

pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Extension(expected): Extension<CsrfToken>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let refusals = Refusals {
        not_staff: "Only the program's staff change brands.",
        no_permission: "Only an admin changes a brand's logo.",
    };
    let page = format!("/console/brands/{id}");
    let user = match operator_with(
        &mut conn,
        &session,
        &state.settings,
        Some(Permission::ManageBrands),
        &page,
        refusals,
    )
    .await
    {
        Ok(user) => user,
        Err(refusal) => return refusal,
    };
    let form = match upload_form::read_logo_form(multipart, &expected.0).await {
        Ok(form) => form,
        Err(refusal) => return refusal,
    };
    let scope = match Scope::of_operator(&mut conn, user.id, user.brand_scoped).await {
        Ok(scope) => scope,
        Err(_) => return pages::unavailable(),
    };
    let meta = upload_form::request_meta(&headers, ip);
    let outcome = match (form.file("logo"), form.too_large.first()) {
        (_, Some((_, name))) => Err(AppError::field("logo", format!("{name} is too large: {LOGO_RULES}"))),
        (None, None) => Err(AppError::field("logo", format!("Choose an image file: {LOGO_RULES}"))),
        (Some(bytes), None) => admin::brands::set_logo(&mut conn, &user, &scope, id, bytes, &meta).await,
    };
    let back = Redirect::to(&format!("/console/brands/{id}")).into_response();
    match outcome {
        Ok(_) => {
            let _ = app::api::flash::keep_for_next_page(&session, "Logo saved.").await;
            back
        }
        Err(AppError::NotFound(message)) => pages::page(StatusCode::NOT_FOUND, "Not found", &message),
        Err(AppError::Unavailable) => pages::unavailable(),
        Err(error) => {
            if session.insert(&logo_refusal_key(id), error).await.is_err() {
                return pages::unavailable();
            }
            back
        }
    }
}

pub async fn serve(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let (bytes, content_type) = match brands::logo(&mut conn, id).await {
        Ok(Some(logo)) => logo,
        Ok(None) => return pages::page(StatusCode::NOT_FOUND, "Not found", "This brand has no logo."),
        Err(_) => return pages::unavailable(),
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    response
}
