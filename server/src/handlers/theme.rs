//! `GET /theme/{rrggbb}.css`: a brand's accent colours as a stylesheet (CSP allows only the
//! app's own stylesheets, never inline styles). It is a pure function of the colour in the
//! address, so it needs no session or database and is cached for good.

use crate::pages;
use app::domain::admin::accent;
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn stylesheet(Path(file): Path<String>) -> Response {
    let Some(palette) = file.strip_suffix(".css").and_then(accent::palette) else {
        return pages::page(StatusCode::NOT_FOUND, "Not found", "There is no page at this address.");
    };
    let mut response = accent::stylesheet(&palette).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}
