//! Browser security headers on every kind of answer: Leptos pages (public, login, portal,
//! console, 404) carry a Content-Security-Policy whose nonce is on each of their inline scripts;
//! pages Trellis writes itself (403) get the policy without a nonce; every answer is `nosniff`;
//! HSTS only when the public address is https. Static files set no cookie, not even for a
//! logged-in browser, and cost no session write.

use crate::support::{Reply, TestApp, DEMO_PASSWORD};
use axum::http::{header, StatusCode};
use leptos::server_fn::ServerFn;

fn header_text(reply: &Reply, name: header::HeaderName) -> Option<&str> {
    reply.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Checks the page headers and returns the policy.
fn page_headers(what: &str, reply: &Reply) -> String {
    let policy = header_text(reply, header::CONTENT_SECURITY_POLICY)
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"))
        .to_owned();
    for part in [
        "default-src 'self'",
        "style-src 'self';",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(part), "{what}: {part} missing from {policy}");
    }
    assert!(!policy.contains("unsafe-inline"), "{what}: {policy}");
    assert_eq!(header_text(reply, header::X_FRAME_OPTIONS), Some("DENY"), "{what}");
    assert_eq!(
        header_text(reply, header::REFERRER_POLICY),
        Some("strict-origin-when-cross-origin"),
        "{what}"
    );
    assert_eq!(
        header_text(reply, header::X_CONTENT_TYPE_OPTIONS),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        header_text(reply, header::STRICT_TRANSPORT_SECURITY),
        None,
        "{what}: http"
    );
    policy
}

/// A Leptos page: the policy names a nonce, and every inline script carries exactly it.
fn leptos_page(what: &str, reply: &Reply) {
    let policy = page_headers(what, reply);
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("{what}: no nonce in {policy}"));
    assert!(nonce.len() >= 16, "{what}: a short nonce {nonce}");
    assert!(policy.contains("'wasm-unsafe-eval'"), "{what}: {policy}");
    let scripts: Vec<&str> = reply
        .body
        .split("<script")
        .skip(1)
        .map(|s| s.split('>').next().unwrap())
        .collect();
    let inline: Vec<&&str> = scripts.iter().filter(|tag| !tag.contains("src=")).collect();
    assert!(!inline.is_empty(), "{what}: Leptos pages have inline scripts");
    for tag in inline {
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "{what}: <script{tag}> lacks the nonce"
        );
    }
    assert!(!reply.body.contains(" style=\""), "{what}: an inline style attribute");
}

#[tokio::test]
async fn every_page_kind_gets_the_security_headers() {
    let app = TestApp::seeded().await;
    let mut visitor = app.browser();
    let home = visitor.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    leptos_page("public page", &home);
    leptos_page("login", &visitor.get("/login").await);
    let missing = visitor.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    leptos_page("404 page", &missing);
    let other = visitor.get("/").await;
    assert_ne!(
        header_text(&other, header::CONTENT_SECURITY_POLICY),
        header_text(&home, header::CONTENT_SECURITY_POLICY),
        "a new nonce for every answer"
    );

    let mut partner = app.logged_in("ana@brightreviews.test").await;
    let portal = partner.get("/portal").await;
    assert_eq!(portal.status, StatusCode::OK);
    leptos_page("portal page", &portal);
    let forbidden = partner.get("/console").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let policy = page_headers("403 page", &forbidden);
    assert!(policy.contains("script-src 'self';"), "no scripts, no nonce: {policy}");

    let mut manager = app.logged_in("manager@acme.test").await;
    leptos_page("console page", &manager.get("/console/commissions").await);

    // A server function's JSON answer is not a page: nosniff, and nothing that only pages need.
    let json = manager.fetch(app::api::auth::GetViewer::PATH).await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    assert_eq!(header_text(&json, header::X_CONTENT_TYPE_OPTIONS), Some("nosniff"));
    assert_eq!(header_text(&json, header::CONTENT_SECURITY_POLICY), None);
    let missing_link = visitor.get("/r/nosuchcode").await;
    assert_eq!(missing_link.status, StatusCode::NOT_FOUND);
    page_headers("tracking 404 page", &missing_link);
    // The tracked redirect keeps its own referrer policy: what the merchant's site is told about
    // where the visitor came from doesn't change.
    let code = app.text("SELECT code AS v FROM links ORDER BY id LIMIT 1").await;
    let redirect = visitor.get(&format!("/r/{code}")).await;
    assert_eq!(redirect.status, StatusCode::FOUND, "{}", redirect.body);
    assert_eq!(
        header_text(&redirect, header::REFERRER_POLICY),
        Some("no-referrer-when-downgrade")
    );
    assert_eq!(header_text(&redirect, header::X_CONTENT_TYPE_OPTIONS), Some("nosniff"));
}

#[tokio::test]
async fn hsts_is_sent_only_when_served_over_https() {
    let app = TestApp::seeded_with("https://partners.example.com", "target/site").await;
    let mut browser = app.browser();
    for path in ["/", "/login", "/healthz", "/no/such/page"] {
        let reply = browser.get(path).await;
        assert_eq!(
            header_text(&reply, header::STRICT_TRANSPORT_SECURITY),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }
    let plain = TestApp::seeded().await;
    let reply = plain.browser().get("/healthz").await;
    assert_eq!(header_text(&reply, header::STRICT_TRANSPORT_SECURITY), None);
}

#[tokio::test]
async fn static_files_set_no_cookie_and_touch_no_session() {
    let site = std::env::temp_dir().join(format!("trellis-site-{}", app::backend::tokens::short_reference()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/trellis.css"), "body { color: black; }").unwrap();
    std::fs::write(site.join("favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    std::fs::write(site.join("copy.js"), "// copy buttons").unwrap();
    let app = TestApp::seeded_with("http://127.0.0.1:3000", site.to_str().unwrap()).await;

    let mut stranger = app.browser();
    let css = stranger.get("/pkg/trellis.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains("color: black"));
    assert!(css.headers.get(header::SET_COOKIE).is_none(), "{:?}", css.headers);
    assert_eq!(header_text(&css, header::X_CONTENT_TYPE_OPTIONS), Some("nosniff"));
    assert!(stranger.cookies.is_empty());

    let mut partner = app.browser();
    assert_eq!(
        partner.log_in("ana@brightreviews.test", DEMO_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // Every save moves the expiry (to the microsecond), so an unchanged one means no save.
    let expiry = "SELECT (extract(epoch FROM expires_at) * 1000000)::bigint AS n FROM sessions";
    let before = app.number(expiry).await;
    for path in ["/pkg/trellis.css", "/favicon.svg", "/copy.js"] {
        let reply = partner.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(
            reply.headers.get(header::SET_COOKIE).is_none(),
            "{path}: {:?}",
            reply.headers
        );
    }
    assert_eq!(app.number(expiry).await, before, "no session was saved for a file");
    // A page still slides the session's expiry forward and sets its cookie.
    let page = partner.get("/portal").await;
    assert!(page.set_cookie("trellis_session").is_some());
    assert!(app.number(expiry).await > before);
    // Not a file: the pages answer, with their 404 page.
    assert_eq!(partner.get("/pkg/nothing.js").await.status, StatusCode::NOT_FOUND);
    std::fs::remove_dir_all(site).ok();
}
