//! Static files from the site root (the built CSS, JS and WebAssembly, and `public/`).
//!
//! - Compression: the `.br` or `.gz` copy that `cargo leptos build --release --precompress`
//!   wrote, when the browser accepts it; otherwise compressed on the fly (debug builds have no
//!   copies).
//! - Caching: files under `/pkg/` whose names carry their content hash never change, so browsers
//!   keep them for a year without asking again. Every other file keeps its name across releases
//!   (`/favicon.svg`, `/copy.js`), so browsers must revalidate it (`no-cache`): a 304 costs a few
//!   hundred bytes and a release is seen at once.
//!
//! - In front of the session and CSRF layers: a file answer sets no cookie and costs no session
//!   write (the session layer saves on every request it sees).
//!
//! Anything that is not a file, and every method other than GET and HEAD, goes on to the pages.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use std::future::Future;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// For content-hashed files: a year, and no revalidation.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For files with fixed names: cache, but ask the server (If-Modified-Since) before each use.
pub const REVALIDATE: &str = "no-cache";

/// Whether `path` names a content-hashed file as cargo-leptos `hash-files` writes them:
/// `/pkg/NAME.HASH.EXT`, HASH being 22 characters of URL-safe base64 (an MD5).
pub fn is_hashed(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let parts: Vec<&str> = name.split('.').collect();
    matches!(parts.as_slice(), [stem, hash, ext]
        if !stem.is_empty() && !stem.contains('/') && !ext.is_empty()
            && hash.len() == 22
            && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// Files from `site_root` first; everything else goes to `pages`.
pub fn in_front_of(site_root: &str, pages: Router) -> Router {
    let site_root = site_root.to_owned();
    Router::new().fallback(move |request: Request| {
        let (site_root, pages) = (site_root.clone(), pages.clone());
        async move {
            serve(&site_root, request, |request| async move {
                match pages.oneshot(request).await {
                    Ok(answer) => answer,
                    Err(never) => match never {},
                }
            })
            .await
        }
    })
}

/// Serves `request` from `site_root`, or answers with `not_found(request)`.
pub async fn serve<F, Fut>(site_root: &str, request: Request, not_found: F) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return not_found(request).await;
    }
    let path = request.uri().path().to_owned();
    let (parts, body) = request.into_parts();
    let files = tower::ServiceBuilder::new().layer(CompressionLayer::new()).service(
        ServeDir::new(site_root)
            .precompressed_br()
            .precompressed_gzip()
            // A folder is not a page: no index.html, no redirect to add a slash.
            .append_index_html_on_directories(false),
    );
    let answer = match files.oneshot(Request::from_parts(parts.clone(), body)).await {
        Ok(answer) => answer,
        Err(never) => match never {},
    };
    if matches!(answer.status(), StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED) {
        return not_found(Request::from_parts(parts, Body::empty())).await;
    }
    let mut answer = answer.map(Body::new);
    let headers = answer.headers_mut();
    let cache = if is_hashed(&path) { IMMUTABLE } else { REVALIDATE };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // Caches between us and the browser must keep the compressed and plain copies apart.
    if !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn only_hashed_names_under_pkg_are_hashed() {
        assert!(is_hashed("/pkg/trellis.Xk3_9aZ-QwErTyUiOpAsDf.wasm"));
        assert!(is_hashed("/pkg/trellis.Xk3_9aZ-QwErTyUiOpAsDf.css"));
        for path in [
            "/pkg/trellis.wasm",
            "/pkg/trellis.js",
            "/favicon.svg",
            "/copy.js",
            "/t.js",
            "/Xk3_9aZ-QwErTyUiOpAsDf.wasm",
            "/trellis.Xk3_9aZ-QwErTyUiOpAsDf.wasm",
            "/pkg/trellis.Xk3_9aZ-QwErTyUiOpAs.wasm",
            "/pkg/trellis.Xk3_9aZ-QwErTyUiOpAsD!.wasm",
            "/pkg/snippets/x.Xk3_9aZ-QwErTyUiOpAsDf.js",
            "/pkg/.Xk3_9aZ-QwErTyUiOpAsDf.js",
        ] {
            assert!(!is_hashed(path), "{path}");
        }
    }
}
