//! The console and portal side of tracking over HTTP: default links on approval, partner links,
//! switching links off, tracking settings, coupons, API keys, the CSV export and the partner's
//! report. Refused changes leave every row as it was.

use crate::support::TestApp;
use app::api::links::CreateLink;
use app::api::program_admin::{AssignCoupon, CreateApiKey, RevokeApiKey, SaveProgramSettings, SetLinkEnabled};
use app::api::review::DecideApplication;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;

const AFFILIATES: &str = "(SELECT id FROM programs WHERE slug = 'acme-affiliates')";

#[tokio::test]
async fn approving_a_partner_gives_them_a_default_link() {
    let app = TestApp::seeded().await;
    let pixel = "(SELECT id FROM partners WHERE email = 'team@pixeldeals.test')";
    let membership = app
        .number(&format!(
            "SELECT id AS n FROM program_memberships WHERE partner_id = {pixel}"
        ))
        .await;
    assert_eq!(
        app.number(&format!("SELECT count(*) AS n FROM links WHERE partner_id = {pixel}"))
            .await,
        0
    );
    let mut manager = app.logged_in("manager@acme.test").await;
    let id = membership.to_string();
    let reply = manager
        .submit(
            DecideApplication::PATH,
            &[("id", &id), ("decision", "approve"), ("reason", "")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let destination = app
        .text(&format!(
            "SELECT destination AS v FROM links WHERE partner_id = {pixel} AND is_default"
        ))
        .await;
    assert_eq!(destination, "https://example.com/acme-cloud");
}

#[tokio::test]
async fn partners_make_links_only_to_allowed_domains_and_see_only_their_own() {
    let app = TestApp::seeded().await;
    let program = app.number(&format!("SELECT {AFFILIATES} AS n")).await.to_string();
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let links_before = app.count("links").await;
    let fields = |destination: &'static str| {
        vec![
            ("program_id", program.clone()),
            ("destination", destination.to_owned()),
            ("campaign", "Zebra drive".to_owned()),
            ("sub1", "yt".to_owned()),
            ("sub2", String::new()),
            ("sub3", String::new()),
            ("sub4", String::new()),
            ("sub5", String::new()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let bad = as_refs(&fields("https://evil.test/landing"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = ana.submit(CreateLink::PATH, &bad).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("evil.test is not an allowed landing domain"),
        "{}",
        refused.body
    );
    assert_eq!(app.count("links").await, links_before, "nothing was created");
    let good = as_refs(&fields("https://www.example.com/spring"));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = ana.submit(CreateLink::PATH, &good).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert!(created.body.contains("/r/"));
    // The reseller program is not Ana's: she can't make links for it.
    let resellers = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-resellers'")
        .await
        .to_string();
    let mut other = good.clone();
    other[0] = ("program_id", resellers.as_str());
    assert_eq!(
        ana.submit(CreateLink::PATH, &other).await.status,
        StatusCode::BAD_REQUEST
    );
    let page = ana.get("/portal/links").await;
    assert!(
        page.body.contains("Zebra drive") && page.body.contains("<svg"),
        "links with QR codes"
    );
    let mut lumen = app.logged_in("hello@lumenmedia.test").await;
    let theirs = lumen.get("/portal/links").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(
        !theirs.body.contains("Zebra drive"),
        "another partner's links stay private"
    );
}

#[tokio::test]
async fn a_disabled_link_stops_redirecting_at_once_and_only_managers_can_do_it() {
    let app = TestApp::seeded().await;
    let ana = "(SELECT id FROM partners WHERE email = 'ana@brightreviews.test')";
    let code = app
        .text(&format!("SELECT code AS v FROM links WHERE partner_id = {ana}"))
        .await;
    let link_id = app
        .number(&format!("SELECT id AS n FROM links WHERE code = '{code}'"))
        .await
        .to_string();
    let mut visitor = app.browser();
    assert_eq!(visitor.get(&format!("/r/{code}")).await.status, StatusCode::FOUND);
    let mut finance = app.logged_in("finance@acme.test").await;
    let off = [("link_id", link_id.as_str()), ("enabled", "false")];
    assert_eq!(
        finance.submit(SetLinkEnabled::PATH, &off).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(visitor.get(&format!("/r/{code}")).await.status, StatusCode::FOUND);
    let mut manager = app.logged_in("manager@acme.test").await;
    assert_eq!(manager.submit(SetLinkEnabled::PATH, &off).await.status, StatusCode::OK);
    app.link_forgotten_everywhere(&code).await;
    let clicks = app.count("clicks").await;
    assert_eq!(visitor.get(&format!("/r/{code}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("clicks").await, clicks, "no click for a disabled link");
    let on = [("link_id", link_id.as_str()), ("enabled", "true")];
    assert_eq!(manager.submit(SetLinkEnabled::PATH, &on).await.status, StatusCode::OK);
    app.link_forgotten_everywhere(&code).await;
    assert_eq!(visitor.get(&format!("/r/{code}")).await.status, StatusCode::FOUND);
}

#[tokio::test]
async fn tracking_settings_are_checked_and_a_refused_save_changes_nothing() {
    let app = TestApp::seeded().await;
    let id = app.number(&format!("SELECT {AFFILIATES} AS n")).await.to_string();
    let mut admin = app.logged_in("admin@acme.test").await;
    let snapshot = "SELECT array_to_string(allowed_domains, ',') || cookie_days || click_param || attribution_model AS v FROM programs WHERE slug = 'acme-affiliates'";
    let before = app.text(snapshot).await;
    let audit_before = app.count("audit_events").await;
    let save = |domains: &'static str, landing: &'static str, days: &'static str, param: &'static str| {
        vec![
            ("id", id.clone()),
            ("allowed_domains", domains.to_owned()),
            ("default_landing_url", landing.to_owned()),
            ("cookie_days", days.to_owned()),
            ("attribution_model", "first_click".to_owned()),
            ("click_param", param.to_owned()),
        ]
    };
    for (fields, field) in [
        (
            save("example.com", "https://example.com/", "0", "trl_click"),
            "cookie_days",
        ),
        (save("not a domain!", "", "30", "trl_click"), "allowed_domains"),
        (
            save("example.com", "https://other.test/", "30", "trl_click"),
            "default_landing_url",
        ),
        (save("example.com", "", "30", "1bad-param"), "click_param"),
    ] {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = admin.submit(SaveProgramSettings::PATH, &refs).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{field}: {}", reply.body);
        assert!(reply.body.contains(field), "{field}: {}", reply.body);
    }
    assert_eq!(app.text(snapshot).await, before);
    let audit_after_refusals = app.count("audit_events").await;
    let fields = save(
        "example.com\nshop.example.org",
        "https://shop.example.org/",
        "45",
        "ref",
    );
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = admin.submit(SaveProgramSettings::PATH, &refs).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(app.text(snapshot).await, "example.com,shop.example.org45reffirst_click");
    assert_eq!(app.count("audit_events").await, audit_after_refusals + 1);
    assert!(audit_after_refusals >= audit_before);
    // The redirect uses the new click parameter at once.
    let code = app
        .text(&format!(
            "SELECT code AS v FROM links WHERE program_id = {AFFILIATES} LIMIT 1"
        ))
        .await;
    assert!(app
        .browser()
        .get(&format!("/r/{code}"))
        .await
        .location()
        .contains("?ref="));
}

#[tokio::test]
async fn coupons_are_unique_per_program_whatever_their_case() {
    let app = TestApp::seeded().await;
    let program = app.number(&format!("SELECT {AFFILIATES} AS n")).await.to_string();
    let lumen = app
        .number("SELECT id AS n FROM partners WHERE email = 'hello@lumenmedia.test'")
        .await
        .to_string();
    let mut manager = app.logged_in("manager@acme.test").await;
    let before = app.count("coupons").await;
    let clash = [
        ("program_id", program.as_str()),
        ("partner_id", lumen.as_str()),
        ("code", "bright20"),
    ];
    let reply = manager.submit(AssignCoupon::PATH, &clash).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("already assigned"), "{}", reply.body);
    let bad = [
        ("program_id", program.as_str()),
        ("partner_id", lumen.as_str()),
        ("code", "no spaces"),
    ];
    assert_eq!(
        manager.submit(AssignCoupon::PATH, &bad).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.count("coupons").await, before);
    let ok = [
        ("program_id", program.as_str()),
        ("partner_id", lumen.as_str()),
        ("code", "LUMEN10"),
    ];
    assert_eq!(manager.submit(AssignCoupon::PATH, &ok).await.status, StatusCode::OK);
    // Without JavaScript the form post redirects back, and the next page says it worked, once.
    let token = manager.token().await;
    let plain = [
        ("csrf_token", token.as_str()),
        ("program_id", program.as_str()),
        ("partner_id", lumen.as_str()),
        ("code", "LUMEN11"),
    ];
    assert!(manager
        .post_form(AssignCoupon::PATH, &plain)
        .await
        .status
        .is_redirection());
    let page = format!("/console/programs/{program}/coupons");
    assert!(manager.get(&page).await.body.contains("Coupon LUMEN11 assigned."));
    assert!(
        !manager.get(&page).await.body.contains("Coupon LUMEN11 assigned."),
        "shown once"
    );
    let mut lumen_user = app.logged_in("hello@lumenmedia.test").await;
    assert!(lumen_user.get("/portal/links").await.body.contains("LUMEN10"));
}

#[tokio::test]
async fn a_key_made_in_the_console_works_until_it_is_revoked() {
    let app = TestApp::seeded().await;
    let program = app.number(&format!("SELECT {AFFILIATES} AS n")).await.to_string();
    let mut admin = app.logged_in("admin@acme.test").await;
    let reply = admin
        .submit(
            CreateApiKey::PATH,
            &[("program_id", &program), ("name", "Shop backend")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let key: String = serde_json::from_str(&reply.body).unwrap();
    assert!(key.starts_with("trk_"));
    let stored = app
        .text("SELECT encode(key_hash, 'hex') AS v FROM api_keys WHERE name = 'Shop backend'")
        .await;
    assert!(!stored.contains(&key), "only the hash is stored");
    let convert = |order: &'static str| {
        Request::post("/api/v1/conversions")
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::from(format!(
                "{{\"order_id\":\"{order}\",\"amount\":\"5\",\"currency\":\"EUR\"}}"
            )))
            .unwrap()
    };
    assert_eq!(app.browser().send(convert("K-1")).await.status, StatusCode::CREATED);
    let key_id = app
        .number("SELECT id AS n FROM api_keys WHERE name = 'Shop backend'")
        .await
        .to_string();
    let revoke = [("program_id", program.as_str()), ("key_id", key_id.as_str())];
    assert_eq!(admin.submit(RevokeApiKey::PATH, &revoke).await.status, StatusCode::OK);
    assert_eq!(
        app.browser().send(convert("K-2")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        admin.submit(RevokeApiKey::PATH, &revoke).await.status,
        StatusCode::NOT_FOUND
    );
    // Without JavaScript the form post redirects back, and the page shows the new key once.
    let token = admin.token().await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("program_id", program.as_str()),
        ("name", "No script"),
    ];
    assert!(admin
        .post_form(CreateApiKey::PATH, &fields)
        .await
        .status
        .is_redirection());
    let page = format!("/console/programs/{program}/keys");
    assert!(admin.get(&page).await.body.contains("class=\"secret-value\""));
    assert!(
        !admin.get(&page).await.body.contains("class=\"secret-value\""),
        "shown only once"
    );
}

#[tokio::test]
async fn the_csv_export_follows_the_filters_and_is_for_operators_only() {
    let app = TestApp::seeded().await;
    let key = trellis::commands::api_key::create(app.db.url(), "acme-affiliates", "csv")
        .await
        .unwrap();
    for body in [
        r#"{"order_id":"E-1","amount":"10","currency":"EUR","coupon":"BRIGHT20"}"#,
        r#"{"order_id":"E-2","amount":"20","currency":"EUR"}"#,
        r#"{"order_id":"=cmd()","amount":"30","currency":"EUR"}"#,
    ] {
        let request = Request::post("/api/v1/conversions")
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::from(body))
            .unwrap();
        assert_eq!(app.browser().send(request).await.status, StatusCode::CREATED);
    }
    let id = app.number(&format!("SELECT {AFFILIATES} AS n")).await;
    let mut finance = app.logged_in("finance@acme.test").await;
    let all = finance.get(&format!("/console/programs/{id}/conversions.csv")).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(all.body.lines().count(), 4, "{}", all.body);
    assert!(all.body.contains("'=cmd()"), "formulas are defused");
    let attributed = finance
        .get(&format!("/console/programs/{id}/conversions.csv?attributed=yes"))
        .await;
    assert_eq!(attributed.body.lines().count(), 2);
    assert!(
        attributed.body.contains("E-1,sale,Bright Reviews,coupon"),
        "{}",
        attributed.body
    );
    let mut partner = app.logged_in("ana@brightreviews.test").await;
    assert_eq!(
        partner
            .get(&format!("/console/programs/{id}/conversions.csv"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let page = finance
        .get(&format!("/console/programs/{id}/conversions?attributed=no"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("E-2") && !page.body.contains("E-1<"),
        "the list filters too"
    );
}

#[tokio::test]
async fn the_partner_dashboard_shows_clicks_conversions_and_commission() {
    let app = TestApp::seeded().await;
    let key = trellis::commands::api_key::create(app.db.url(), "acme-affiliates", "dash")
        .await
        .unwrap();
    let ana = "(SELECT id FROM partners WHERE email = 'ana@brightreviews.test')";
    let code = app
        .text(&format!("SELECT code AS v FROM links WHERE partner_id = {ana}"))
        .await;
    let reply = app.browser().get(&format!("/r/{code}?sub1=blog")).await;
    let click_id = reply.location().rsplit_once('=').unwrap().1.to_owned();
    let request = Request::post("/api/v1/conversions")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::from(format!(
            "{{\"order_id\":\"D-1\",\"amount\":\"1234.50\",\"currency\":\"EUR\",\"click_id\":\"{click_id}\"}}"
        )))
        .unwrap();
    assert_eq!(app.browser().send(request).await.status, StatusCode::CREATED);
    let mut ana_browser = app.logged_in("ana@brightreviews.test").await;
    let page = ana_browser.get("/portal?period=7d").await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in ["EUR 1,234.50", "EUR 246.90", "blog", "Last 7 days"] {
        assert!(page.body.contains(expected), "{expected} missing");
    }
    // Lumen has no activity: its dashboard says what to do next.
    let mut lumen = app.logged_in("hello@lumenmedia.test").await;
    assert!(lumen.get("/portal").await.body.contains("No clicks in this period"));
}
