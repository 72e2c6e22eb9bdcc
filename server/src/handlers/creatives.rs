//! Creatives outside Leptos: `POST /console/programs/{id}/creatives` adds one (a plain multipart
//! form, so a banner uploads the same with or without JavaScript), and
//! `GET /portal/creatives/{id}/download` hands a partner the original file of a creative it may
//! see (any other id is "not found").

use super::operator_gate::{partner_or, program_operator_with, Refusals};
use super::upload_form;
use crate::pages;
use app::api::creatives::refusal_key;
use app::api::error::AppError;
use app::backend::creatives::flows::{self, Upload};
use app::backend::csrf::CsrfToken;
use app::backend::ctx::ClientIp;
use app::backend::repos::creatives;
use app::backend::state::AppState;
use app::domain::access::Permission;
use app::domain::creatives::form::CreativeInput;
use app::domain::creatives::image_type::{MAX_BYTES, RULES};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use tower_sessions::Session;

pub const MAX_BODY_BYTES: usize = MAX_BYTES + 128 * 1024;
const MISSING: &str = "That creative doesn't exist, or it isn't yours to see.";

pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(program_id): Path<i64>,
    Extension(expected): Extension<CsrfToken>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let page = format!("/console/programs/{program_id}/creatives");
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let refusals = Refusals {
        not_staff: "Only the program's staff add creatives.",
        no_permission: "Only an admin or a partner manager adds creatives.",
    };
    let user = match program_operator_with(
        &mut conn,
        &session,
        &state.settings,
        (Some(Permission::ManagePrograms), program_id),
        &page,
        refusals,
    )
    .await
    {
        Ok(user) => user,
        Err(refusal) => return refusal,
    };
    let form = match upload_form::read_or_refuse(
        multipart,
        &expected.0,
        MAX_BYTES,
        &format!("The image is too large: {RULES}"),
    )
    .await
    {
        Ok(form) => form,
        Err(refusal) => return refusal,
    };
    let input = CreativeInput {
        kind: form.field("kind"),
        name: form.field("name"),
        landing_url: form.field("landing_url"),
        body: form.field("body"),
        alt_text: form.field("alt_text"),
        tags: form.field("tags"),
        active_from: form.field("active_from"),
        active_until: form.field("active_until"),
        visibility: form.field("visibility"),
        audience: form.field("audience"),
    };
    let upload = form
        .files
        .iter()
        .find(|(field, ..)| field == "image")
        .map(|(_, file_name, bytes)| Upload {
            file_name: file_name.clone(),
            bytes: bytes.clone(),
        });
    let meta = upload_form::request_meta(&headers, ip);
    let outcome = match form.too_large.iter().find(|(field, _)| field == "image") {
        Some((_, name)) => Err(AppError::field("image", format!("{name} is too large: {RULES}"))),
        None => {
            flows::create(
                &mut conn,
                &user.actor(),
                program_id,
                &input,
                upload,
                &meta,
                state.settings.clock.now(),
            )
            .await
        }
    };
    let back = Redirect::to(&page).into_response();
    match outcome {
        Ok(_) => {
            let _ = app::api::flash::keep_for_next_page(
                &session,
                "Creative added: partners who may see it have it in their gallery now.",
            )
            .await;
            back
        }
        Err(AppError::NotFound(message)) => pages::page(StatusCode::NOT_FOUND, "Not found", &message),
        Err(AppError::Unavailable) => pages::unavailable(),
        Err(error) => {
            if session.insert(&refusal_key(program_id), error).await.is_err() {
                return pages::unavailable();
            }
            back
        }
    }
}

pub async fn download(State(state): State<AppState>, session: Session, Path(id): Path<i64>) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let not_found = || pages::page(StatusCode::NOT_FOUND, "Not found", MISSING);
    let next = format!("/portal/creatives/{id}/download");
    let partner_id = match partner_or(&mut conn, &session, &state.settings, &next, not_found).await {
        Ok(partner_id) => partner_id,
        Err(refusal) => return refusal,
    };
    let now = state.settings.clock.now();
    let creative = match creatives::find_for_partner(&mut conn, partner_id, id, now).await {
        Ok(Some(found)) => found.creative,
        Ok(None) => return pages::page(StatusCode::NOT_FOUND, "Not found", MISSING),
        Err(_) => return pages::unavailable(),
    };
    let Some(sha256) = creative.image_sha256 else {
        return pages::page(
            StatusCode::NOT_FOUND,
            "Not found",
            "This creative has no file to download.",
        );
    };
    match creatives::file(&mut conn, &sha256).await {
        Ok(Some((content_type, data))) => {
            super::attachment::attachment(creative.file_name.as_deref().unwrap_or("creative"), &content_type, data)
        }
        Ok(None) => pages::page(StatusCode::NOT_FOUND, "Not found", MISSING),
        Err(_) => pages::unavailable(),
    }
}
