//! CSRF tokens are bound to the session: a token made for another session (someone else's, or
//! the same browser's before it logged in) is refused even with the matching cookie planted, and
//! logging in (or out) brings a new cookie and new tokens. Every refusal changes nothing.

use crate::support::{Browser, TestApp, DEMO_PASSWORD};
use app::api::program_admin::SetLinkEnabled;
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

/// What a refused switch-off must leave as it was: switched-off links and audit events.
async fn snapshot(app: &TestApp) -> (i64, i64) {
    (
        app.number("SELECT count(*) AS n FROM links WHERE disabled_at IS NOT NULL")
            .await,
        app.count("audit_events").await,
    )
}

async fn switch_off(browser: &mut Browser, link: &str, token: &str) -> StatusCode {
    browser
        .call(
            SetLinkEnabled::PATH,
            &[("csrf_token", token), ("link_id", link), ("enabled", "false")],
        )
        .await
        .status
}

#[tokio::test]
async fn a_token_made_for_another_session_is_refused() {
    let app = TestApp::seeded().await;
    let link = app.number("SELECT min(id) AS n FROM links").await.to_string();
    let mut manager = app.logged_in("manager@acme.test").await;
    let mut attacker = app.browser();
    let anonymous_token = attacker.token().await;
    let anonymous_cookie = attacker.cookies["trellis_csrf"].clone();
    attacker.log_in("ana@brightreviews.test", DEMO_PASSWORD).await;
    let session_token = attacker.token().await;
    let before = snapshot(&app).await;

    // The attacker's own anonymous token, with its cookie planted in the manager's browser: the
    // cookie matches, the session doesn't.
    let own_cookie = manager.cookies["trellis_csrf"].clone();
    manager.cookies.insert("trellis_csrf".into(), anonymous_cookie);
    assert_eq!(
        switch_off(&mut manager, &link, &anonymous_token).await,
        StatusCode::FORBIDDEN
    );

    // The same with a token from the attacker's own logged-in session.
    manager
        .cookies
        .insert("trellis_csrf".into(), attacker.cookies["trellis_csrf"].clone());
    assert_eq!(
        switch_off(&mut manager, &link, &session_token).await,
        StatusCode::FORBIDDEN
    );
    // A plain form post is refused with the "Form expired" page.
    let plain = manager
        .post_form("/logout", &[("csrf_token", session_token.as_str())])
        .await;
    assert_eq!(plain.status, StatusCode::FORBIDDEN);
    assert!(plain.body.contains("Form expired"));
    assert_eq!(snapshot(&app).await, before, "nothing changed");
    assert_eq!(app.count("sessions").await, 2, "nobody was logged out");

    // The manager's own cookie and token still work (the refusals above were the binding).
    manager.cookies.insert("trellis_csrf".into(), own_cookie);
    let own_token = manager.token().await;
    assert_eq!(switch_off(&mut manager, &link, &own_token).await, StatusCode::OK);
    assert_eq!(snapshot(&app).await.0, before.0 + 1);
}

#[tokio::test]
async fn logging_in_and_out_renews_the_cookie_and_the_token() {
    let app = TestApp::seeded().await;
    let link = app.number("SELECT min(id) AS n FROM links").await.to_string();
    let mut browser = app.browser();
    let before_login = browser.token().await;
    let cookie_before = browser.cookies["trellis_csrf"].clone();
    let login = browser
        .post_form(
            "/login",
            &[
                ("csrf_token", before_login.as_str()),
                ("email", "manager@acme.test"),
                ("password", DEMO_PASSWORD),
                ("next", ""),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert!(login.set_cookie("trellis_csrf").is_some(), "a new CSRF cookie at login");
    assert_ne!(browser.cookies["trellis_csrf"], cookie_before);
    let after_login = browser.token().await;
    assert_ne!(after_login, before_login);

    let before = snapshot(&app).await;
    assert_eq!(
        switch_off(&mut browser, &link, &before_login).await,
        StatusCode::FORBIDDEN,
        "the token from before the login is dead"
    );
    assert_eq!(snapshot(&app).await, before);
    // The old cookie and the old token together don't work either: the session is new.
    let renewed = browser.cookies["trellis_csrf"].clone();
    browser.cookies.insert("trellis_csrf".into(), cookie_before);
    assert_eq!(
        switch_off(&mut browser, &link, &before_login).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(snapshot(&app).await, before);
    browser.cookies.insert("trellis_csrf".into(), renewed);

    let logout = browser
        .post_form("/logout", &[("csrf_token", after_login.as_str())])
        .await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    assert!(
        logout.set_cookie("trellis_csrf").is_some(),
        "a new CSRF cookie at logout"
    );
    assert_ne!(browser.token().await, after_login);
}

#[tokio::test]
async fn the_login_and_join_forms_work_before_there_is_a_session() {
    let app = TestApp::seeded().await;
    let mut visitor = app.browser();
    let form = visitor.get("/join/acme-affiliates").await;
    assert!(!visitor.cookies.contains_key("trellis_session"));
    let token = form.csrf_token();
    let sent = visitor
        .call(
            app::api::join::SubmitApplication::PATH,
            &[
                ("csrf_token", token.as_str()),
                ("program_slug", "acme-affiliates"),
                ("name", "Eve Example"),
                ("email", "eve@example.com"),
                ("website", ""),
                ("kind", "affiliate"),
                ("country", "DE"),
                ("promotion_plan", "A newsletter"),
                ("accept_terms", "yes"),
            ],
        )
        .await;
    assert!(sent.status.is_success(), "{} {}", sent.status, sent.body);
    assert_eq!(
        visitor.log_in("manager@acme.test", DEMO_PASSWORD).await.location(),
        "/console"
    );
}

#[tokio::test]
async fn pages_go_out_compressed_and_each_carries_the_token_masked_afresh() {
    let app = TestApp::seeded().await;
    let link = app.number("SELECT min(id) AS n FROM links").await.to_string();
    let mut manager = app.logged_in("manager@acme.test").await;
    let plain = manager.get("/console").await;
    let compressed = manager
        .send(
            axum::http::Request::get("/console")
                .header(axum::http::header::ACCEPT, "text/html")
                .header(axum::http::header::ACCEPT_ENCODING, "gzip")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(compressed.status, StatusCode::OK);
    assert_eq!(compressed.headers["content-encoding"], "gzip");
    assert!(
        plain.headers.get("content-encoding").is_none(),
        "only when the browser asks"
    );
    assert!(compressed.body.len() * 2 < plain.body.len(), "the page shrinks");

    // No two pages carry the same bytes for the token, and each one works.
    let (first, second) = (manager.token().await, manager.token().await);
    assert_ne!(first, second);
    assert_eq!(switch_off(&mut manager, &link, &first).await, StatusCode::OK);
    assert_eq!(switch_off(&mut manager, &link, &second).await, StatusCode::OK);
    // A masked token with a digit changed is refused and changes nothing.
    let before = snapshot(&app).await;
    let mut bent = first.clone().into_bytes();
    bent[70] = if bent[70] == b'0' { b'1' } else { b'0' };
    let bent = String::from_utf8(bent).unwrap();
    assert_eq!(switch_off(&mut manager, &link, &bent).await, StatusCode::FORBIDDEN);
    assert_eq!(snapshot(&app).await, before);
}
