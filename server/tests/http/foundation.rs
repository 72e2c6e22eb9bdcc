//! HTTP tests against the real router, in process: status codes, cookies, CSRF, throttling and
//! access rules. Each test has its own database.

use crate::support::{self, TestApp, DEMO_PASSWORD};
use app::api::join::SubmitApplication;
use app::api::review::{DecideApplication, ListApplications};
use axum::http::{header, StatusCode};
use leptos::server_fn::ServerFn;

#[tokio::test]
async fn pages_answer_with_the_right_status_and_a_csrf_cookie() {
    let app = TestApp::seeded().await;
    let mut browser = app.browser();
    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Acme Affiliates"));
    let csrf = home.set_cookie("trellis_csrf").expect("first visit gets a CSRF cookie");
    assert!(csrf.contains("HttpOnly") && csrf.contains("SameSite=Lax") && !csrf.contains("Secure"));
    let health = browser.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert!(health.body.contains("\"database\":\"up\""));
    assert!(
        health.headers.contains_key("x-request-id"),
        "every response carries its request id"
    );

    assert_eq!(browser.get("/join/acme-resellers").await.status, StatusCode::OK);
    let unknown = browser.get("/join/no-such-program").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("isn't taking applications"));
    assert_eq!(browser.get("/no/such/page").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn login_rotates_the_session_and_logout_deletes_it() {
    let app = TestApp::seeded().await;
    let mut browser = app.browser();
    let first = browser.log_in("manager@acme.test", DEMO_PASSWORD).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(first.location(), "/console");
    let cookie = first.set_cookie("trellis_session").expect("a session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let first_id = browser.cookies["trellis_session"].clone();
    assert_eq!(browser.get("/console").await.status, StatusCode::OK);

    browser.log_in("manager@acme.test", DEMO_PASSWORD).await;
    assert_ne!(
        browser.cookies["trellis_session"], first_id,
        "a new session id at every login"
    );
    assert_eq!(app.count("sessions").await, 1, "the old session is gone");

    let token = browser.token().await;
    let out = browser.post_form("/logout", &[("csrf_token", &token)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("sessions").await, 0);
    assert_eq!(browser.get("/console").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong() {
    let app = TestApp::seeded().await;
    let mut browser = app.browser();
    let reply = browser.log_in("manager@acme.test", "not the password").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(reply.location().starts_with("/login?error=invalid"));
    let page = browser.get(reply.location()).await;
    assert!(
        page.body
            .contains("That email and password don&#x27;t match an account")
            || page.body.contains("don't match an account")
    );
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn posts_without_a_valid_csrf_token_are_refused_and_change_nothing() {
    let app = TestApp::seeded().await;
    let partners_before = app.count("partners").await;
    let mut browser = app.browser();
    browser.get("/").await;

    let no_token = browser
        .post_form("/login", &[("email", "manager@acme.test"), ("password", DEMO_PASSWORD)])
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let wrong = browser
        .post_form(
            "/login",
            &[
                ("csrf_token", &"0".repeat(64)),
                ("email", "manager@acme.test"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("sessions").await, 0);

    let application = [
        ("program_slug", "acme-affiliates"),
        ("name", "Eve"),
        ("email", "eve@example.com"),
        ("website", ""),
        ("kind", "affiliate"),
        ("country", "DE"),
        ("promotion_plan", "x"),
        ("accept_terms", "yes"),
    ];
    let sfn = browser.call(SubmitApplication::PATH, &application).await;
    assert_eq!(sfn.status, StatusCode::FORBIDDEN);
    assert!(sfn.body.contains("Csrf"));

    // A valid token sent from another site's page is refused too.
    let token = browser.token().await;
    browser.origin = Some("https://evil.example".into());
    let mut fields = application.to_vec();
    fields.push(("csrf_token", &token));
    assert_eq!(
        browser.call(SubmitApplication::PATH, &fields).await.status,
        StatusCode::FORBIDDEN
    );

    // A stranger's browser has no cookie at all: refused.
    let mut stranger = app.browser();
    assert_eq!(
        stranger.call(SubmitApplication::PATH, &fields).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("partners").await, partners_before);
    assert_eq!(app.count("email_outbox").await, 0);
}

#[tokio::test]
async fn applications_are_validated_saved_once_and_shown_escaped() {
    let app = TestApp::seeded().await;
    let mut browser = app.browser();
    let token = browser.token().await;
    let mut fields = vec![
        ("csrf_token", token.as_str()),
        ("program_slug", "acme-affiliates"),
        ("name", "<b>Eve</b> '; DROP TABLE partners;--"),
        ("email", "eve@example"),
        ("website", ""),
        ("kind", "affiliate"),
        ("country", "DE"),
        ("promotion_plan", "Newsletter"),
        ("accept_terms", "yes"),
    ];
    let invalid = browser.call(SubmitApplication::PATH, &fields).await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert!(invalid.body.contains("Enter a valid email address"));
    let partners_before = app.count("partners").await;

    fields[3] = ("email", "eve@example.com");
    let ok = browser.call(SubmitApplication::PATH, &fields).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(app.count("partners").await, partners_before + 1);
    let again = browser.call(SubmitApplication::PATH, &fields).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already applied"));
    assert_eq!(app.count("partners").await, partners_before + 1);
    assert_eq!(app.count("email_outbox").await, 1, "one confirmation email");

    let mut manager = app.browser();
    manager.log_in("manager@acme.test", DEMO_PASSWORD).await;
    let page = manager.get("/console/applications?q=eve").await;
    assert!(page.body.contains("&lt;b&gt;Eve&lt;/b&gt;"), "markup is shown as text");
    assert!(!page.body.contains("<b>Eve</b>"));
}

#[tokio::test]
async fn areas_are_for_their_own_users() {
    let app = TestApp::seeded().await;
    let mut visitor = app.browser();
    let sent = visitor.get("/console/audit?action=user.login").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(sent.location(), "/login?next=%2Fconsole%2Faudit%3Faction%3Duser.login");
    assert_eq!(
        visitor.fetch(ListApplications::PATH).await.status,
        StatusCode::UNAUTHORIZED
    );

    let mut partner = app.browser();
    partner.log_in("ana@brightreviews.test", DEMO_PASSWORD).await;
    assert_eq!(partner.get("/portal").await.status, StatusCode::OK);
    let refused = partner.get("/console").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body.contains("The console is for the program&#39;s staff") || refused.body.contains("for the program")
    );
    assert_eq!(
        partner.fetch(ListApplications::PATH).await.status,
        StatusCode::FORBIDDEN
    );

    let mut operator = app.browser();
    operator.log_in("admin@acme.test", DEMO_PASSWORD).await;
    assert_eq!(operator.get("/portal/programs").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn only_reviewers_decide_and_a_decision_is_taken_once() {
    let app = TestApp::seeded().await;
    let mut finance = app.browser();
    finance.log_in("finance@acme.test", DEMO_PASSWORD).await;
    let token = finance.token().await;
    let applied: i64 = {
        use app::backend::schema::program_memberships as pm;
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        pm::table
            .filter(pm::status.eq("applied"))
            .select(pm::id)
            .first(&mut app.db.conn().await)
            .await
            .unwrap()
    };
    let id = applied.to_string();
    let decide = |t: &str| {
        vec![
            ("csrf_token".to_owned(), t.to_owned()),
            ("id".into(), id.clone()),
            ("decision".into(), "approve".into()),
            ("reason".into(), String::new()),
        ]
    };
    let as_pairs = |v: &Vec<(String, String)>| v.iter().map(|(a, b)| (a.clone(), b.clone())).collect::<Vec<_>>();
    let fields = as_pairs(&decide(&token));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        finance.call(DecideApplication::PATH, &refs).await.status,
        StatusCode::FORBIDDEN
    );
    let audit_before = app.count("audit_events").await;

    let mut manager = app.browser();
    manager.log_in("manager@acme.test", DEMO_PASSWORD).await;
    let token = manager.token().await;
    let fields = as_pairs(&decide(&token));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let approved = manager.call(DecideApplication::PATH, &refs).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert!(approved.body.contains("\"status\":\"active\""));
    let again = manager.call(DecideApplication::PATH, &refs).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        app.count("audit_events").await,
        audit_before + 2,
        "a login and one decision"
    );
}

#[tokio::test]
async fn login_throttling_answers_429_with_retry_after() {
    let app = TestApp::seeded().await;
    let mut browser = app.browser();
    for _ in 0..5 {
        let refused = browser.log_in("admin@acme.test", "guess").await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER);
    }
    let throttled = browser.log_in("admin@acme.test", DEMO_PASSWORD).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = throttled.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 800 && wait <= 900, "{wait}");
    assert!(throttled.body.contains("Too many login attempts"));
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn next_only_accepts_local_paths() {
    let app = TestApp::seeded().await;
    for next in ["https://evil.example/", "//evil.example", "/\\evil.example", "/portal"] {
        let mut browser = app.browser();
        let token = browser.token().await;
        let reply = browser
            .post_form(
                "/login",
                &[
                    ("csrf_token", &token),
                    ("email", "admin@acme.test"),
                    ("password", DEMO_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(reply.location(), "/console", "{next}");
    }
}

#[tokio::test]
async fn a_database_that_is_down_gets_a_clear_503() {
    let pool = app::backend::db::build_pool("postgres://trellis@127.0.0.1:9/none", 2).unwrap();
    let state = support::state_for(pool);
    let app_down = support::TestApp::new(app::backend::testing::TestDb::new().await, state);
    let mut browser = app_down.browser();
    let health = browser.get("/healthz").await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    let page = browser.get("/").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.body.contains("can&#39;t reach its database") || page.body.contains("reach its database"));
    let login_page = browser.get("/console").await;
    assert_eq!(login_page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(login_page.headers.contains_key(header::RETRY_AFTER));
    // Tracking never redirects without recording, and never drops a conversion silently.
    let redirect = browser.get("/r/AbCdEf12").await;
    assert_eq!(redirect.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(redirect.headers.contains_key(header::RETRY_AFTER) && !redirect.headers.contains_key(header::LOCATION));
    let conversion = browser.get("/postback?key=k&order_id=1&amount=1&currency=EUR").await;
    assert_eq!(conversion.status, StatusCode::SERVICE_UNAVAILABLE);
}
