//! The public tracking surface: the redirect, the conversion API, the postback and the merchant
//! script. It has its own small middleware stack (no sessions, no CSRF: these requests carry no
//! cookies of ours that grant anything, and the API authenticates with keys).

pub mod api;
pub mod bench;
pub mod postback;
pub mod redirect;
pub mod script;

use crate::middleware::client_ip;
use app::backend::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{middleware::from_fn_with_state, Extension, Router};
use std::sync::Arc;

/// The largest conversion or refund body accepted; more is a 413.
pub const BODY_LIMIT: usize = 16 * 1024;

#[derive(Clone, Debug, Default)]
pub struct TrackingOptions {
    pub client_ip_header: Option<String>,
    pub country_header: Option<String>,
    pub bench_routes: bool,
}

pub fn routes(state: AppState, options: TrackingOptions) -> Router {
    let mut router = Router::new()
        .route("/r/{code}", get(redirect::redirect))
        .route("/api/v1/conversions", post(api::create_conversion))
        .route("/api/v1/conversions/{order_id}/refunds", post(api::create_refund))
        .route("/postback", get(postback::postback).post(postback::postback))
        .route("/t.js", get(script::tracking_script));
    if options.bench_routes {
        router = router
            .route("/bench/bare/{code}", get(bench::bare))
            .route("/bench/single/{code}", get(bench::single));
    }
    router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(Extension(Arc::new(options.clone())))
        .layer(from_fn_with_state(
            Arc::new(options.client_ip_header),
            client_ip::client_ip,
        ))
        .with_state(state)
}
