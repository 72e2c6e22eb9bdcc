//! Partner documents outside Leptos: `POST /portal/documents/{requirement}` takes one file as a
//! plain multipart form (the CSRF token first), and `GET /documents/{id}` sends one back as an
//! attachment, to the partner's owner or to an admin or finance operator of its program.
//! A refused upload goes back to the documents page with its message beside that requirement.

use super::upload_form::{self, UploadRefused};
use crate::pages;
use app::api::documents::REFUSAL_KEY;
use app::api::error::AppError;
use app::backend::auth::{self, AuthUser};
use app::backend::csrf::CsrfToken;
use app::backend::ctx::ClientIp;
use app::backend::documents::download::{self, Reader};
use app::backend::documents::uploads::{self, Uploader};
use app::backend::mdf::claims::Upload;
use app::backend::repos::users::Account;
use app::backend::scope::Scope;
use app::backend::state::AppState;
use app::domain::access::{PartnerRole, Permission};
use app::domain::mdf::upload::{self, MAX_FILE_BYTES};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use tower_sessions::Session;

/// One file and the form's token.
pub const MAX_BODY_BYTES: usize = MAX_FILE_BYTES + 16 * 1024;
const PAGE: &str = "/portal/documents";

async fn signed_in(
    state: &AppState,
    conn: &mut app::backend::db::DbConn,
    session: &Session,
    next: &str,
) -> Result<AuthUser, Response> {
    match auth::current_user(conn, session, &state.settings).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(Redirect::to(&format!("/login?next={next}")).into_response()),
        Err(_) => Err(pages::unavailable()),
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(requirement_id): Path<i64>,
    Extension(expected): Extension<CsrfToken>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let user = match signed_in(&state, &mut conn, &session, PAGE).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let partner_id = match user.account {
        Account::Partner {
            partner_id,
            role: PartnerRole::Owner,
        } => partner_id,
        _ => return pages::forbidden("Only the partner's owner gives the program its documents."),
    };
    let too_large = || AppError::field("file", format!("The file is too large: {}", upload::LIMITS_TEXT));
    let outcome = match multipart {
        Err(_) => Err(AppError::field(
            "file",
            "The form didn't arrive as a file upload. Reload the page and try again.",
        )),
        Ok(multipart) => match upload_form::read(multipart, &expected.0, MAX_FILE_BYTES).await {
            Err(UploadRefused::Csrf) => return pages::csrf_rejected(),
            Err(UploadRefused::Unreadable) => Err(too_large()),
            Ok(form) if !form.too_large.is_empty() => Err(too_large()),
            Ok(mut form) => match form.files.pop() {
                None => Err(AppError::field("file", "Choose a file to upload.")),
                Some((_, name, bytes)) => {
                    let meta = upload_form::request_meta(&headers, ip);
                    let by = Uploader {
                        user: &user,
                        partner_id,
                        base_url: &state.settings.base_url,
                        meta: &meta,
                    };
                    let file = Upload { name, bytes };
                    let key = state.settings.data_key.as_ref();
                    let now = state.settings.clock.now();
                    uploads::upload(&mut conn, key, &by, requirement_id, &file, now).await
                }
            },
        },
    };
    let back = Redirect::to(PAGE).into_response();
    match outcome {
        Ok(row) => {
            let message = format!(
                "Uploaded “{}”. The program team will review it and email you.",
                row.filename
            );
            let _ = app::api::flash::keep_for_next_page(&session, message).await;
            back
        }
        Err(AppError::NotFound(message)) => pages::page(StatusCode::NOT_FOUND, "Not found", &message),
        Err(AppError::Unavailable) => pages::unavailable(),
        Err(error) => {
            let message = match &error {
                AppError::Invalid(errors) => errors.get("file").unwrap_or_default().to_owned(),
                other => other.to_string(),
            };
            if session.insert(REFUSAL_KEY, (requirement_id, message)).await.is_err() {
                return pages::unavailable();
            }
            back
        }
    }
}

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let user = match signed_in(&state, &mut conn, &session, &format!("/documents/{id}")).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let meta = upload_form::request_meta(&headers, ip);
    let key = state.settings.data_key.as_ref();
    let opened = match user.account {
        Account::Partner {
            partner_id,
            role: PartnerRole::Owner,
        } => download::open(&mut conn, key, Reader::Partner(partner_id), id, &meta).await,
        Account::Operator(role) if role.can(Permission::ReviewDocuments) => {
            let Ok(scope) = Scope::of_operator(&mut conn, user.id, user.brand_scoped).await else {
                return pages::unavailable();
            };
            let reader = Reader::Operator {
                user: &user,
                programs: &scope.programs,
            };
            download::open(&mut conn, key, reader, id, &meta).await
        }
        _ => Err(AppError::NotFound(app::backend::documents::NO_SUCH_DOCUMENT.into())),
    };
    match opened {
        Ok(file) => super::attachment::attachment(&file.filename, &file.content_type, file.bytes),
        Err(AppError::NotFound(message)) => pages::page(StatusCode::NOT_FOUND, "Not found", &message),
        Err(_) => pages::unavailable(),
    }
}
