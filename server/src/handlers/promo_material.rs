//! A partner's own material outside Leptos: `POST /portal/material/submit` takes the submission
//! with its optional screenshot (a plain multipart form, the same with or without JavaScript),
//! and `GET /promo/screenshots/{id}` shows a screenshot to the partner who sent it and to the
//! program's staff (anyone else: "not found").

use super::upload_form;
use crate::pages;
use app::api::error::AppError;
use app::api::promo::material_refusal_key;
use app::backend::auth;
use app::backend::creatives::flows::Upload;
use app::backend::csrf::CsrfToken;
use app::backend::ctx::ClientIp;
use app::backend::promo;
use app::backend::repos::promo as repo;
use app::backend::repos::users::Account;
use app::backend::scope::Scope;
use app::backend::state::AppState;
use app::domain::creatives::image_type::{MAX_BYTES, RULES};
use app::domain::promo::SubmissionInput;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use tower_sessions::Session;

pub const MAX_BODY_BYTES: usize = MAX_BYTES + 128 * 1024;
const PAGE: &str = "/portal/material";
const MISSING: &str = "That screenshot doesn't exist, or it isn't yours to see.";

pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    Extension(expected): Extension<CsrfToken>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let user = match auth::current_user(&mut conn, &session, &state.settings).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to(&format!("/login?next={PAGE}")).into_response(),
        Err(_) => return pages::unavailable(),
    };
    let Account::Partner { partner_id, .. } = user.account else {
        return pages::forbidden("Partners submit their own material; operators review it in the console.");
    };
    let form = match upload_form::read_or_refuse(
        multipart,
        &expected.0,
        MAX_BYTES,
        &format!("The screenshot is too large: {RULES}"),
    )
    .await
    {
        Ok(form) => form,
        Err(refusal) => return refusal,
    };
    let input = SubmissionInput {
        program_id: form.field("program_id").trim().parse().ok(),
        channel: form.field("channel"),
        url: form.field("url"),
        body: form.field("body"),
    };
    let screenshot = form
        .files
        .iter()
        .find(|(field, ..)| field == "screenshot")
        .map(|(_, file_name, bytes)| Upload {
            file_name: file_name.clone(),
            bytes: bytes.clone(),
        });
    let outcome = match form.too_large.iter().find(|(field, _)| field == "screenshot") {
        Some((_, name)) => Err(AppError::Invalid(
            app::domain::validate::FieldErrors::single("screenshot", format!("{name} is too large: {RULES}"))
                .with_submitted(&input.echo()),
        )),
        None => {
            let meta = upload_form::request_meta(&headers, ip);
            let now = state.settings.clock.now();
            promo::submit(
                &mut conn,
                &user.actor(),
                partner_id,
                &input,
                screenshot.as_ref(),
                &meta,
                now,
            )
            .await
        }
    };
    let back = Redirect::to(PAGE).into_response();
    match outcome {
        Ok((_, flags)) => {
            let mut message = "Submitted. The program's team reviews it and you'll get an email either way.".to_owned();
            for flag in flags {
                message.push(' ');
                message.push_str(&flag);
            }
            let _ = app::api::flash::keep_for_next_page(&session, &message).await;
            back
        }
        Err(AppError::NotFound(message)) => pages::page(StatusCode::NOT_FOUND, "Not found", &message),
        Err(AppError::Unavailable) => pages::unavailable(),
        Err(error) => {
            if session.insert(&material_refusal_key(user.id), error).await.is_err() {
                return pages::unavailable();
            }
            back
        }
    }
}

pub async fn screenshot(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let user = match auth::current_user(&mut conn, &session, &state.settings).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to(&format!("/login?next=/promo/screenshots/{id}")).into_response(),
        Err(_) => return pages::unavailable(),
    };
    let Ok(found) = repo::screenshot(&mut conn, id).await else {
        return pages::unavailable();
    };
    let allowed = match (&found, user.account) {
        (None, _) => false,
        (Some((_, owner, ..)), Account::Partner { partner_id, .. }) => *owner == partner_id,
        (Some((program_id, ..)), Account::Operator(_)) => {
            match Scope::of_operator(&mut conn, user.id, user.brand_scoped).await {
                Ok(scope) => scope.has_program(*program_id),
                Err(_) => return pages::unavailable(),
            }
        }
    };
    let Some((_, _, content_type, data)) = found.filter(|_| allowed) else {
        return pages::page(StatusCode::NOT_FOUND, "Not found", MISSING);
    };
    let mut response = (StatusCode::OK, data).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    response
}
