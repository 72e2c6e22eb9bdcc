//! `GET /healthz`: 200 when the database answers, 503 when it does not.

use crate::middleware::db_gate::database_down;
use app::backend::db::DbPool;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;

pub async fn healthz(State(pool): State<DbPool>) -> impl IntoResponse {
    if database_down(&pool).await {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "unavailable", "database": "down" })),
        )
    } else {
        (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ok", "database": "up" })),
        )
    }
}
