//! Small static pages for answers that don't go through Leptos: 403, 429 and 503. They use the
//! same stylesheet and say what to do next.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

pub fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let escape = app::domain::html::escape;
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Trellis</title><link rel=\"stylesheet\" href=\"{stylesheet}\"></head>\
         <body><header class=\"topbar\"><a class=\"brand\" href=\"/\"><span>Trellis</span></a></header>\
         <main id=\"main\" class=\"public-main\"><section class=\"panel narrow\" role=\"alert\"><h1>{title}</h1><p>{message}</p>\
         <p><a class=\"button secondary\" href=\"/\">Go to the start page</a></p></section></main></body></html>",
        title = escape(title),
        message = escape(message),
        stylesheet = crate::assets::stylesheet(),
    );
    (status, Html(body)).into_response()
}

pub fn forbidden(message: &str) -> Response {
    page(StatusCode::FORBIDDEN, "Not allowed", message)
}

pub fn too_many_requests(retry_after_secs: u64) -> Response {
    let mut response = page(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many attempts",
        &format!(
            "Too many login attempts. For your security, wait {} and try again.",
            app::api::error::wait_text(retry_after_secs)
        ),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

pub fn unavailable() -> Response {
    let mut response = page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Temporarily unavailable",
        "Trellis can't reach its database right now. Nothing you sent was lost or half-saved. Please try again in a moment.",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

pub fn csrf_rejected() -> Response {
    page(
        StatusCode::FORBIDDEN,
        "Form expired",
        "This form has expired or was sent from another site, so nothing was changed. Go back, reload the page and try again.",
    )
}
