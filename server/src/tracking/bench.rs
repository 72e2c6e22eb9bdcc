//! Routes that exist only for `make bench` (TRELLIS_BENCH_ROUTES=true): B1, a bare 302 that
//! records nothing, and B3, one INSERT and commit per click without the group-commit writer.

use super::redirect::{find_target, found, not_found, prepare, unavailable, Prepared};
use super::TrackingOptions;
use app::backend::ctx::ClientIp;
use app::backend::state::AppState;
use app::backend::tracking::click_writer::write_clicks;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use std::sync::Arc;

pub async fn bare(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    match find_target(&state, &code).await {
        Ok(Some(target)) => found(&state, &target, &target.destination, "bench00000000000000000"),
        Ok(None) => not_found(),
        Err(()) => unavailable(),
    }
}

pub async fn single(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    Extension(options): Extension<Arc<TrackingOptions>>,
    headers: HeaderMap,
) -> Response {
    let Prepared { target, click, .. } = match prepare(&state, &code, &params, &ip, &headers, &options).await {
        Ok(prepared) => prepared,
        Err(response) => return response,
    };
    let Ok(mut conn) = state.pool.get().await else {
        return unavailable();
    };
    match write_clicks(&mut conn, std::slice::from_ref(&click)).await {
        Ok(()) => found(&state, &target, &target.destination, &click.id),
        Err(_) => unavailable(),
    }
}
