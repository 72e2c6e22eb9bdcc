//! `POST /api/v1/conversions` and `POST /api/v1/conversions/{order_id}/refunds`: JSON in, JSON
//! out, authenticated with a program API key.

use app::backend::api_v1::{keys, refunds, ApiError};
use app::backend::db::DbConn;
use app::backend::state::AppState;
use app::domain::conversion_input;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

pub fn error_response(error: &ApiError) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(error.body())).into_response();
    if error.status == 503 {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
    }
    response
}

fn body_error(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            413,
            "too_large",
            format!("the body is larger than {} KB", super::BODY_LIMIT / 1024),
        )
    } else {
        ApiError::new(400, "malformed", format!("the body could not be read: {rejection}"))
    }
}

/// A pooled connection and the key's program.
async fn authenticated(state: &AppState, headers: &HeaderMap) -> Result<(DbConn, i64), ApiError> {
    let mut conn = state.pool.get().await?;
    let presented = keys::bearer(headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()));
    let program_id = keys::authenticate(&mut conn, &state.tracking.programs, presented).await?;
    Ok((conn, program_id))
}

/// 201 for something new, 200 with the stored result for a replay.
fn created_or_replayed(created: bool, body: impl serde::Serialize) -> Response {
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    (status, Json(body)).into_response()
}

pub async fn create_conversion(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let outcome = async {
        let settings = {
            let (mut conn, program_id) = authenticated(&state, &headers).await?;
            state.tracking.programs.settings(&mut conn, program_id).await?
        };
        let input = conversion_input::from_json(&body.map_err(body_error)?)?;
        // Stored with the next batch; the pooled connection went back first, as the batch's
        // writer needs one.
        let now = state.settings.clock.now();
        state
            .tracking
            .conversions
            .ingest(&state.pool, settings, input, now)
            .await
    }
    .await;
    match outcome {
        Ok(done) => created_or_replayed(done.created, done.result),
        Err(error) => error_response(&error),
    }
}

pub async fn create_refund(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let outcome = async {
        let (mut conn, program_id) = authenticated(&state, &headers).await?;
        let body = body.map_err(body_error)?;
        let input = refunds::parse(&body)?;
        refunds::refund(&mut conn, program_id, &order_id, &input, state.settings.clock.now()).await
    }
    .await;
    match outcome {
        Ok(done) => created_or_replayed(done.created, done.result),
        Err(error) => error_response(&error),
    }
}
