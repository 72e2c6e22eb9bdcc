//! The content library outside Leptos. Uploads are plain multipart forms (the same with or
//! without JavaScript) whose file streams into the database as it arrives:
//! `POST /console/programs/{id}/library/add` publishes a document and
//! `POST /console/programs/{id}/library/{document}/versions` adds a version. Downloads stream the
//! stored chunks back: `GET /portal/library/{id}/download` gives a partner the latest version of a
//! document it may read (and counts it); `GET /console/programs/{id}/library/{document}/versions/{n}`
//! gives the program's staff any version. Anything else is "not found".

use super::attachment::attachment;
use super::operator_gate::{partner_or, program_operator_with, Refusals};
use super::upload_form::{self, UploadForm, UploadRefused};
use crate::pages;
use app::api::error::AppError;
use app::api::library::{publish_refusal_key, version_refusal_key, VersionRefusal};
use app::backend::auth;
use app::backend::csrf::CsrfToken;
use app::backend::ctx::ClientIp;
use app::backend::db::DbPool;
use app::backend::library::flows;
use app::backend::library::upload::Incoming;
use app::backend::repos::library::{self, VersionRow};
use app::backend::state::AppState;
use app::domain::access::Permission;
use app::domain::library::form::DocumentInput;
use axum::body::{Body, Bytes};
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use futures_util::stream;
use tower_sessions::Session;

const MISSING: &str = "That document doesn't exist, or it isn't yours to see.";
const REFUSALS: Refusals = Refusals {
    not_staff: "Only the program's staff publish documents.",
    no_permission: "Only an admin or a partner manager publishes documents.",
};

/// The route's body limit: the library's file limit and room for the form's text fields.
pub fn max_body_bytes(max_file_bytes: usize) -> usize {
    max_file_bytes + 256 * 1024
}

/// What a console upload handler has once the operator and the form's envelope are checked.
struct ConsoleUpload {
    conn: app::backend::db::DbConn,
    user: auth::AuthUser,
    multipart: Multipart,
    /// Held for the upload: its transaction holds a pooled connection while the file arrives.
    _slot: tokio::sync::SemaphorePermit<'static>,
}

/// Uploads stored at once per instance. Each holds a database connection for as long as its
/// file takes to arrive, so slow uploads must not take the whole pool (16 by default); the
/// rest wait their turn before taking a connection.
static UPLOAD_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

async fn console_upload(
    state: &AppState,
    session: &Session,
    program_id: i64,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<ConsoleUpload, Response> {
    let page = format!("/console/programs/{program_id}/library");
    let Ok(slot) = UPLOAD_SLOTS.acquire().await else {
        return Err(pages::unavailable());
    };
    let Ok(mut conn) = state.pool.get().await else {
        return Err(pages::unavailable());
    };
    let user = program_operator_with(
        &mut conn,
        session,
        &state.settings,
        (Some(Permission::ManagePrograms), program_id),
        &page,
        REFUSALS,
    )
    .await?;
    let Ok(multipart) = multipart else {
        return Err(pages::page(
            StatusCode::BAD_REQUEST,
            "Can't upload",
            "The form didn't arrive as a file upload. Reload the page and try again.",
        ));
    };
    Ok(ConsoleUpload {
        conn,
        user,
        multipart,
        _slot: slot,
    })
}

/// The file part of a streamed form, as the library's upload reads it.
fn incoming<'f, 'a: 'f>(
    file: &'f mut Option<(String, Field<'a>)>,
) -> Incoming<impl futures_util::Stream<Item = Result<Bytes, String>> + Send + use<'f, 'a>> {
    use futures_util::StreamExt;
    let (file_name, field) = match file {
        Some((name, field)) => (name.clone(), Some(field)),
        None => (String::new(), None),
    };
    let bytes = stream::iter(field).flat_map(|field| field.map(|piece| piece.map_err(|e| e.to_string())));
    Incoming { file_name, bytes }
}

/// Reads what the upload left unread (a form refused before its file, say), so the browser gets
/// the answer rather than a reset connection. The route's body limit bounds it.
async fn drain(file: &mut Option<(String, Field<'_>)>) {
    if let Some((_, field)) = file {
        while let Ok(Some(_)) = field.chunk().await {}
    }
}

fn refused_upload(refused: UploadRefused, max_file_bytes: usize) -> Response {
    match refused {
        UploadRefused::Csrf => pages::csrf_rejected(),
        UploadRefused::Unreadable => pages::page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Upload too large",
            &format!(
                "The library takes files up to {}.",
                app::domain::format::file_size(max_file_bytes as u64)
            ),
        ),
    }
}

pub async fn publish(
    State(state): State<AppState>,
    session: Session,
    Path(program_id): Path<i64>,
    Extension(expected): Extension<CsrfToken>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let ConsoleUpload {
        mut conn,
        user,
        multipart,
        _slot,
    } = match console_upload(&state, &session, program_id, multipart).await {
        Ok(upload) => upload,
        Err(refusal) => return refusal,
    };
    let max = state.settings.library_max_bytes;
    let meta = upload_form::request_meta(&headers, ip);
    let now = state.settings.clock.now();
    let actor = user.actor();
    let outcome = upload_form::stream_last_file(multipart, &expected.0, async |form: &UploadForm, mut file| {
        let input = DocumentInput {
            folder_id: form.field("folder_id"),
            new_folder: form.field("new_folder"),
            title: form.field("title"),
            description: form.field("description"),
            tags: form.field("tags"),
            visibility: form.field("visibility"),
            audience: form.field("audience"),
            certification_id: form.field("certification_id"),
        };
        let outcome = flows::publish(
            &mut conn,
            &actor,
            program_id,
            &input,
            incoming(&mut file),
            max,
            &meta,
            now,
        )
        .await;
        drain(&mut file).await;
        outcome
    })
    .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(refused) => return refused_upload(refused, max),
    };
    let back = Redirect::to(&format!("/console/programs/{program_id}/library")).into_response();
    match outcome {
        Ok(_) => {
            flash(
                &session,
                "Document published: partners who may see it have it in their library now.",
                back,
            )
            .await
        }
        Err(error) => keep_refusal(&session, &publish_refusal_key(program_id), error, back).await,
    }
}

pub async fn add_version(
    State(state): State<AppState>,
    session: Session,
    Path((program_id, document_id)): Path<(i64, i64)>,
    Extension(expected): Extension<CsrfToken>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let ConsoleUpload {
        mut conn,
        user,
        multipart,
        _slot,
    } = match console_upload(&state, &session, program_id, multipart).await {
        Ok(upload) => upload,
        Err(refusal) => return refusal,
    };
    let max = state.settings.library_max_bytes;
    let meta = upload_form::request_meta(&headers, ip);
    let now = state.settings.clock.now();
    let actor = user.actor();
    let outcome = upload_form::stream_last_file(multipart, &expected.0, async |form: &UploadForm, mut file| {
        let note = form.field("note");
        let outcome = flows::add_version(
            &mut conn,
            &actor,
            program_id,
            document_id,
            &note,
            incoming(&mut file),
            max,
            &meta,
            now,
        )
        .await;
        drain(&mut file).await;
        outcome
    })
    .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(refused) => return refused_upload(refused, max),
    };
    let back = Redirect::to(&format!("/console/programs/{program_id}/library")).into_response();
    match outcome {
        Ok(number) => {
            flash(
                &session,
                &format!(
                    "Version {number} stored: partners get it from now on, and the earlier ones stay in its history."
                ),
                back,
            )
            .await
        }
        Err(error) => {
            let refusal = VersionRefusal { document_id, error };
            keep_refusal(&session, &version_refusal_key(program_id), refusal, back).await
        }
    }
}

async fn flash(session: &Session, message: &str, back: Response) -> Response {
    let _ = app::api::flash::keep_for_next_page(session, message).await;
    back
}

/// Keeps a refused form's errors for the page to show once; "not found" and an unavailable
/// database answer at once instead.
async fn keep_refusal<T: serde::Serialize + HasError>(
    session: &Session,
    key: &str,
    refusal: T,
    back: Response,
) -> Response {
    match refusal.error() {
        AppError::NotFound(message) => return pages::page(StatusCode::NOT_FOUND, "Not found", message),
        AppError::Unavailable => return pages::unavailable(),
        _ => {}
    }
    if session.insert(key, refusal).await.is_err() {
        return pages::unavailable();
    }
    back
}

trait HasError {
    fn error(&self) -> &AppError;
}

impl HasError for AppError {
    fn error(&self) -> &AppError {
        self
    }
}

impl HasError for VersionRefusal {
    fn error(&self) -> &AppError {
        &self.error
    }
}

pub async fn partner_download(
    State(state): State<AppState>,
    session: Session,
    method: Method,
    Path(id): Path<i64>,
) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let not_found = || pages::page(StatusCode::NOT_FOUND, "Not found", MISSING);
    let next = format!("/portal/library/{id}/download");
    let partner_id = match partner_or(&mut conn, &session, &state.settings, &next, not_found).await {
        Ok(partner_id) => partner_id,
        Err(refusal) => return refusal,
    };
    // A HEAD request (a link checker, a prefetch) is answered like the download but not counted.
    let found = if method == Method::HEAD {
        library::find_for_partner(&mut conn, partner_id, id)
            .await
            .map_err(AppError::from)
    } else {
        flows::download(&mut conn, partner_id, id, state.settings.clock.now()).await
    };
    match found {
        Ok(Some(document)) => send(state.pool.clone(), &document.latest),
        Ok(None) => pages::page(StatusCode::NOT_FOUND, "Not found", MISSING),
        Err(_) => pages::unavailable(),
    }
}

pub async fn operator_download(
    State(state): State<AppState>,
    session: Session,
    Path((program_id, document_id, number)): Path<(i64, i64, i32)>,
) -> Response {
    let page = format!("/console/programs/{program_id}/library");
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let refusals = Refusals {
        not_staff: "Only the program's staff download its documents here.",
        no_permission: "Only the program's staff download its documents here.",
    };
    // Every operator role reads the programs in its scope.
    if let Err(refusal) = program_operator_with(
        &mut conn,
        &session,
        &state.settings,
        (None, program_id),
        &page,
        refusals,
    )
    .await
    {
        return refusal;
    }
    let version = match library::find_in_program(&mut conn, program_id, document_id).await {
        Ok(Some(_)) => library::version(&mut conn, document_id, number).await,
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    match version {
        Ok(Some(version)) => send(state.pool.clone(), &version),
        Ok(None) => pages::page(StatusCode::NOT_FOUND, "Not found", MISSING),
        Err(_) => pages::unavailable(),
    }
}

/// The version's file, read chunk by chunk as the client takes it.
fn send(pool: DbPool, version: &VersionRow) -> Response {
    let version_id = version.id;
    let chunks = stream::unfold(Some(0i32), move |next| {
        let pool = pool.clone();
        async move {
            let seq = next?;
            let read = async {
                let mut conn = pool.get().await.map_err(std::io::Error::other)?;
                library::chunk(&mut conn, version_id, seq)
                    .await
                    .map_err(std::io::Error::other)
            };
            match read.await {
                Ok(Some(data)) => Some((Ok(Bytes::from(data)), Some(seq + 1))),
                Ok(None) => None,
                Err(e) => {
                    tracing::warn!(error = %e, version_id, seq, "a library download broke off");
                    Some((Err(e), None))
                }
            }
        }
    });
    let mut response = attachment(&version.file_name, &version.content_type, Body::from_stream(chunks));
    if let Ok(length) = HeaderValue::from_str(&version.size_bytes.to_string()) {
        response.headers_mut().insert(header::CONTENT_LENGTH, length);
    }
    response
}
