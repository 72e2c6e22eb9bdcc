//! `POST /portal/mdf/{id}/claim`: a partner files a claim with proof-of-performance files, as a
//! plain multipart form read by `upload_form` (the CSRF token first). A body larger than
//! the limit is refused from its declared length before it is read, and a longer stream is cut
//! off at the limit. Refusals go back to the request's page with the form's errors and what was
//! typed; nothing is stored.

use super::upload_form::{self, UploadRefused};
use crate::pages;
use app::api::error::AppError;
use app::api::mdf::build::{act, refusal_key};
use app::backend::auth;
use app::backend::csrf::CsrfToken;
use app::backend::ctx::ClientIp;
use app::backend::flows::RequestMeta;
use app::backend::mdf::claims::{self, Upload};
use app::backend::repos::users::Account;
use app::backend::state::AppState;
use app::domain::mdf::claim::ClaimForm;
use app::domain::mdf::upload::{self, MAX_BODY_BYTES, MAX_FILE_BYTES};
use app::domain::validate::FieldErrors;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use tower_sessions::Session;

enum Refusal {
    /// Shown on the request's page beside the form.
    Form(AppError),
    Page(Response),
}

fn back(id: i64) -> Response {
    Redirect::to(&format!("/portal/mdf/{id}")).into_response()
}

pub async fn file_claim(
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
    let partner_id = match auth::current_user(&mut conn, &session, &state.settings).await {
        Ok(Some(user)) => match user.account {
            Account::Partner { partner_id, .. } => (user, partner_id),
            Account::Operator(_) => {
                return pages::forbidden("Only the partner who asked for the funds can file a claim.")
            }
        },
        Ok(None) => return Redirect::to(&format!("/login?next=/portal/mdf/{id}")).into_response(),
        Err(_) => return pages::unavailable(),
    };
    let (user, partner_id) = partner_id;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let outcome = if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        Err(Refusal::Form(AppError::field(
            "files",
            format!("The upload is too large: {}", upload::LIMITS_TEXT),
        )))
    } else {
        match multipart {
            Ok(multipart) => {
                let filing = Filing {
                    id,
                    partner_id,
                    meta: upload_form::request_meta(&headers, ip),
                    expected_token: expected.0,
                };
                read_and_file(&state, &mut conn, &user, &filing, multipart).await
            }
            Err(_) => Err(Refusal::Form(AppError::field(
                "files",
                "The form didn't arrive as a file upload. Reload the page and try again.",
            ))),
        }
    };
    match outcome {
        Ok(message) => {
            let _ = app::api::flash::keep_for_next_page(&session, message).await;
            back(id)
        }
        Err(Refusal::Page(response)) => response,
        Err(Refusal::Form(error)) => {
            if session.insert(&refusal_key(id), error).await.is_err() {
                return pages::unavailable();
            }
            back(id)
        }
    }
}

/// The claim being filed: which request, whose, and the facts of the HTTP request.
struct Filing {
    id: i64,
    partner_id: i64,
    meta: RequestMeta,
    /// The token the CSRF middleware made for this browser and session.
    expected_token: String,
}

/// Reads the form (token first), files the claim and returns the message to show.
async fn read_and_file(
    state: &AppState,
    conn: &mut diesel_async::AsyncPgConnection,
    user: &app::backend::auth::AuthUser,
    filing: &Filing,
    multipart: Multipart,
) -> Result<String, Refusal> {
    let (id, partner_id) = (filing.id, filing.partner_id);
    let sent = match upload_form::read(multipart, &filing.expected_token, MAX_FILE_BYTES).await {
        Ok(sent) => sent,
        Err(UploadRefused::Csrf) => return Err(Refusal::Page(pages::csrf_rejected())),
        Err(UploadRefused::Unreadable) => {
            return Err(Refusal::Form(AppError::field(
                "files",
                format!("The upload is too large: {}", upload::LIMITS_TEXT),
            )))
        }
    };
    let form = ClaimForm {
        amount: sent.field("amount"),
        actual_cost: sent.field("actual_cost"),
        leads: sent.field("leads"),
        attendees: sent.field("attendees"),
        notes: sent.field("notes"),
    };
    let mut errors = FieldErrors::default();
    for (_, name) in sent.too_large.iter().filter(|(field, _)| field == "files") {
        errors.add("files", upload::too_large(&upload::safe_filename(name)));
    }
    let files: Vec<Upload> = (sent.files.into_iter())
        .filter(|(field, ..)| field == "files")
        .map(|(_, name, bytes)| Upload { name, bytes })
        .collect();
    let typed = form.echo();
    if !errors.is_empty() {
        return Err(Refusal::Form(AppError::Invalid(errors.with_submitted(&typed))));
    }
    let act = act(
        Some(user),
        &filing.meta,
        &state.settings.base_url,
        state.settings.clock.now(),
    );
    match claims::file(conn, &act, partner_id, id, &form, &files).await {
        Ok(claim) => Ok(format!(
            "Claim filed for request #{id} with {} file{}: the program team has been emailed.",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        ))
        .inspect(|_| tracing::info!(claim = claim.id, request = id, "MDF claim filed")),
        Err(AppError::NotFound(message)) => {
            Err(Refusal::Page(pages::page(StatusCode::NOT_FOUND, "Not found", &message)))
        }
        Err(AppError::Invalid(errors)) => Err(Refusal::Form(AppError::Invalid(errors.with_submitted(&typed)))),
        Err(AppError::Unavailable) => Err(Refusal::Page(pages::unavailable())),
        Err(error @ (AppError::Conflict(_) | AppError::Internal(_))) => Err(Refusal::Form(error)),
        Err(other) => Err(Refusal::Page(pages::page(
            StatusCode::BAD_REQUEST,
            "Can't file the claim",
            &other.to_string(),
        ))),
    }
}
