//! Static files: the precompressed copy the browser accepts, compression on the fly when there
//! is none, a year's immutable caching for content-hashed names only, and the app's 404 page for
//! anything else.

use crate::support::{Reply, TestApp};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::path::PathBuf;

const HASHED: &str = "/pkg/trellis.Xk3_9aZ-QwErTyUiOpAsDf.wasm";

/// A site as `make release` leaves it: a hashed file with `.br` and `.gz` copies (their bodies
/// name them, so a test sees which one was sent), and a public file with a fixed name.
fn site() -> PathBuf {
    let root = std::env::temp_dir().join(format!("trellis-site-{}", app::backend::tokens::short_reference()));
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    let wasm = root.join(HASHED.trim_start_matches('/'));
    std::fs::write(&wasm, "plain wasm").unwrap();
    std::fs::write(wasm.with_extension("wasm.br"), "brotli copy").unwrap();
    std::fs::write(wasm.with_extension("wasm.gz"), "gzip copy").unwrap();
    std::fs::write(root.join("copy.js"), "// copies text\n".repeat(40)).unwrap();
    root
}

async fn get(app: &TestApp, path: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    app.browser().send(request.body(Body::empty()).unwrap()).await
}

fn value_of(reply: &Reply, name: header::HeaderName) -> &str {
    reply.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

#[tokio::test]
async fn hashed_files_come_precompressed_as_accepted_and_are_cached_for_good() {
    let root = site();
    let app = TestApp::serving_site(&root).await;
    for (accepted, encoding, body) in [
        ("br, gzip", "br", "brotli copy"),
        ("gzip, deflate, br;q=0.5", "gzip", "gzip copy"),
        ("gzip", "gzip", "gzip copy"),
        ("identity", "", "plain wasm"),
    ] {
        let reply = get(&app, HASHED, &[(header::ACCEPT_ENCODING, accepted)]).await;
        assert_eq!(reply.status, StatusCode::OK, "{accepted}");
        assert_eq!(value_of(&reply, header::CONTENT_ENCODING), encoding, "{accepted}");
        assert_eq!(reply.body, body, "{accepted}");
        assert_eq!(value_of(&reply, header::CONTENT_TYPE), "application/wasm");
        assert_eq!(
            value_of(&reply, header::CACHE_CONTROL),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(value_of(&reply, header::VARY), "accept-encoding");
    }
    std::fs::remove_dir_all(root).unwrap();
}

#[tokio::test]
async fn files_with_fixed_names_are_compressed_on_the_fly_and_revalidated() {
    let root = site();
    let app = TestApp::serving_site(&root).await;
    let reply = get(&app, "/copy.js", &[(header::ACCEPT_ENCODING, "gzip")]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(value_of(&reply, header::CONTENT_ENCODING), "gzip");
    assert_eq!(value_of(&reply, header::CACHE_CONTROL), "no-cache");
    assert_eq!(value_of(&reply, header::VARY), "accept-encoding");

    // Revalidation costs a 304 without a body.
    let modified = value_of(&reply, header::LAST_MODIFIED).to_owned();
    let again = get(&app, "/copy.js", &[(header::IF_MODIFIED_SINCE, &modified)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(value_of(&again, header::CACHE_CONTROL), "no-cache");

    let plain = get(&app, "/copy.js", &[]).await;
    assert_eq!(value_of(&plain, header::CONTENT_ENCODING), "");
    assert_eq!(plain.body, "// copies text\n".repeat(40));
    std::fs::remove_dir_all(root).unwrap();
}

#[tokio::test]
async fn what_is_not_a_file_gets_the_app_404_page() {
    let root = site();
    let app = TestApp::serving_site(&root).await;
    for path in [
        "/pkg/trellis.AAAAAAAAAAAAAAAAAAAAAA.wasm",
        "/pkg",
        "/pkg/",
        "/../Cargo.toml",
    ] {
        let reply = get(&app, path, &[(header::ACCEPT, "text/html")]).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(reply.body.contains("<!DOCTYPE html>"), "{path}: {}", reply.body);
        assert_ne!(
            value_of(&reply, header::CACHE_CONTROL),
            "public, max-age=31536000, immutable"
        );
    }
    std::fs::remove_dir_all(root).unwrap();
}
