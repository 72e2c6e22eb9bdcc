//! `GET /t.js`: the merchant-side script (see `assets/t.js`). Static, so browsers and CDNs may
//! cache it for an hour.

use axum::http::header;
use axum::response::IntoResponse;

const SCRIPT: &str = include_str!("assets/t.js");

pub async fn tracking_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        SCRIPT,
    )
}
