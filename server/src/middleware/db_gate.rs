//! When the database goes away, every request gets a clear 503 (a page, or a JSON error for
//! server functions) instead of a bare 500. Nothing is cached: the next request tries again,
//! so the server recovers by itself when the database comes back.

use crate::pages;
use app::api::error::AppError;
use app::backend::db::DbPool;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use diesel_async::RunQueryDsl;
use std::time::Duration;

/// True when no connection can be had, or a trivial query fails.
pub async fn database_down(pool: &DbPool) -> bool {
    let probe = async {
        let mut conn = pool.get().await.ok()?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await.ok()
    };
    !matches!(tokio::time::timeout(Duration::from_secs(3), probe).await, Ok(Some(_)))
}

pub fn unavailable_for(path: &str) -> Response {
    if super::is_server_fn(path) {
        let body = serde_json::to_string(&AppError::Unavailable).unwrap_or_default();
        let mut response = (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        response
    } else {
        pages::unavailable()
    }
}

pub async fn db_gate(State(pool): State<DbPool>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let status = response.status();
    if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE && database_down(&pool).await {
        tracing::warn!(path, "database unavailable; answering 503");
        return unavailable_for(&path);
    }
    if status == StatusCode::SERVICE_UNAVAILABLE && !response.headers().contains_key(header::RETRY_AFTER) {
        let mut response = response;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return response;
    }
    response
}
