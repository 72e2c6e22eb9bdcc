//! Browser security headers on every answer. Pages (HTML) get the Content-Security-Policy, may
//! not be framed (clickjacking of approve buttons) and send only their origin to other sites.
//! Every answer gets `nosniff`, and HSTS when Trellis is served over https.
//!
//! Leptos pages set their own policy, with the render's nonce (`app::backend::csp`); other
//! HTML answers get the same policy without one. An answer that already has a policy keeps it
//! (the sandbox of file downloads). Referrer-Policy stays off non-HTML answers: the tracked
//! redirect sets its own, which decides what the merchant's site is told about where the visitor
//! came from.

use app::backend::csp;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

#[derive(Clone, Copy, Debug)]
pub struct SecurityHeaders {
    /// True when `TRELLIS_BASE_URL` is https: browsers then keep to https for a year.
    pub hsts: bool,
}

impl SecurityHeaders {
    pub fn for_base_url(base_url: &str) -> Self {
        Self {
            hsts: base_url.to_ascii_lowercase().starts_with("https://"),
        }
    }
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"))
}

pub async fn security_headers(State(config): State<SecurityHeaders>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if is_html(headers) {
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            if let Ok(policy) = HeaderValue::from_str(&csp::policy(None, None, &[])) {
                headers.insert(header::CONTENT_SECURITY_POLICY, policy);
            }
        }
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if config.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_only_for_https() {
        assert!(SecurityHeaders::for_base_url("https://partners.example.com").hsts);
        assert!(SecurityHeaders::for_base_url("HTTPS://partners.example.com").hsts);
        assert!(!SecurityHeaders::for_base_url("http://127.0.0.1:3000").hsts);
    }

    #[test]
    fn html_is_known_by_its_content_type() {
        let mut headers = HeaderMap::new();
        assert!(!is_html(&headers));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        assert!(is_html(&headers));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        assert!(!is_html(&headers));
    }
}
