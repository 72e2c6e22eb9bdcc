//! Deal registration over HTTP: a partner registers, a rival is refused the account without
//! learning whose it is, refused input changes nothing (with and without JavaScript), partners
//! never see or move each other's deals, only approvers decide, and a won deal's commission
//! lands in the partner's ledger.

use crate::support::{post_plain, Browser, TestApp};
use app::api::deals::console::{CorrectDeal, DecideDeal};
use app::api::deals::portal::{MoveDeal, RegisterDeal, RequestExtension};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

const NORTHWIND: &str = "ops@northwind.test";
const ORBIT: &str = "partners@orbit.test";
const RESELLERS: &str = "(SELECT id FROM programs WHERE slug = 'acme-resellers')";

/// Orbit (an SI) joins the resellers' program and gets Northwind's password, so two partners
/// can race for an account.
async fn with_rival(app: &TestApp) {
    app.execute(&format!(
        "UPDATE program_memberships SET status = 'active' WHERE program_id = {RESELLERS}
           AND partner_id = (SELECT id FROM partners WHERE email = '{ORBIT}');
         UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = '{NORTHWIND}')
          WHERE email = '{ORBIT}'"
    ))
    .await;
}

async fn product(app: &TestApp) -> String {
    app.number(&format!(
        "SELECT min(id) AS n FROM products WHERE program_id = {RESELLERS}"
    ))
    .await
    .to_string()
}

async fn register(
    browser: &mut Browser,
    program: &str,
    product: &str,
    domain: &str,
    value: &str,
    close: &str,
) -> crate::support::Reply {
    browser
        .submit(
            RegisterDeal::PATH,
            &[
                ("program_id", program),
                ("company", "Initech Inc."),
                ("domain", domain),
                ("country", "US"),
                ("contact_name", "Peter Gibbons"),
                ("contact_email", "peter@initech.example"),
                ("products[]", product),
                ("value", value),
                ("currency", "USD"),
                ("expected_close", close),
            ],
        )
        .await
}

async fn footprint(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("deals").await,
        app.count("deal_events").await,
        app.count("email_outbox").await,
    )
}

#[tokio::test]
async fn registration_conflicts_scoping_and_a_won_commission() {
    let app = TestApp::seeded().await;
    with_rival(&app).await;
    let program = app.number(&format!("SELECT {RESELLERS} AS n")).await.to_string();
    let product = product(&app).await;
    let mut northwind = app.logged_in(NORTHWIND).await;
    let reply = register(
        &mut northwind,
        &program,
        &product,
        "https://www.initech.example/",
        "48000",
        "2027-06-30",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let deal = app.number("SELECT max(id) AS n FROM deals").await;

    // The rival is refused the same account; the message doesn't name Northwind, nothing changes.
    let mut orbit = app.logged_in(ORBIT).await;
    let before = footprint(&app).await;
    let reply = register(&mut orbit, &program, &product, "initech.example", "1000", "2027-06-30").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(
        reply.body.contains("initech.example is already registered"),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("Northwind"), "{}", reply.body);
    assert_eq!(footprint(&app).await, before);

    // Each bad input names its field and changes nothing.
    for (domain, value, close, expected) in [
        ("not a domain", "1000", "2027-06-30", "domain"),
        ("hooli.example", "0", "2027-06-30", "greater than zero"),
        ("hooli.example", "1000", "2020-01-01", "in the past"),
    ] {
        let reply = register(&mut orbit, &program, &product, domain, value, close).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{expected}");
        assert!(reply.body.contains(expected), "{expected}: {}", reply.body);
        assert_eq!(footprint(&app).await, before, "{expected}");
    }
    let reply = register(&mut orbit, &program, "999999", "hooli.example", "1000", "2027-06-30").await;
    assert!(reply.body.contains("not in this program's catalogue"), "{}", reply.body);
    assert_eq!(footprint(&app).await, before);

    // Without JavaScript, the error comes back to the form with what was typed.
    let reply = post_plain(
        &mut orbit,
        RegisterDeal::PATH,
        "/portal/deals/new",
        &[
            ("program_id", &program),
            ("company", "Hooli"),
            ("domain", "hooli"),
            ("country", "US"),
            ("contact_name", "Gavin"),
            ("contact_email", "gavin@hooli.example"),
            ("value", "1000"),
            ("currency", "EUR"),
            ("expected_close", "2027-06-30"),
        ],
    )
    .await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let back = reply.location().trim_start_matches("http://localhost").to_owned();
    let page = orbit.get(&back).await;
    assert!(
        page.body.contains("This program takes deals in USD only."),
        "the currency error shows"
    );
    assert!(page.body.contains("value=\"Hooli\""), "the company is kept");
    assert_eq!(footprint(&app).await, before);

    // Another partner's deal doesn't exist for Orbit: not its page, not its stage.
    let page = orbit.get(&format!("/portal/deals/{deal}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("Initech"), "nothing of the deal shows");
    let id = deal.to_string();
    let reply = orbit
        .submit(MoveDeal::PATH, &[("id", &id), ("stage", "won"), ("value", "1")])
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    let reply = orbit
        .submit(RequestExtension::PATH, &[("id", &id), ("days", "10"), ("reason", "x")])
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    // Partners and finance can't decide; a manager can.
    let reply = northwind
        .submit(DecideDeal::PATH, &[("id", &id), ("decision", "approve")])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let mut finance = app.logged_in("finance@acme.test").await;
    let reply = finance
        .submit(DecideDeal::PATH, &[("id", &id), ("decision", "approve")])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.text(&format!("SELECT status AS v FROM deals WHERE id = {deal}"))
            .await,
        "pending"
    );
    let mut manager = app.logged_in("manager@acme.test").await;
    let queue = manager.get("/console/deals").await;
    assert!(queue.body.contains("Initech Inc.") && queue.body.contains("Northwind Systems"));
    let reply = manager
        .submit(DecideDeal::PATH, &[("id", &id), ("decision", "approve")])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = manager
        .submit(
            CorrectDeal::PATH,
            &[("id", &id), ("stage", "qualified"), ("value", "50000")],
        )
        .await;
    assert!(
        reply.body.contains("Say why you correct the deal"),
        "a correction needs a note: {}",
        reply.body
    );

    // Northwind wins it: 10% of USD 45,000 lands in its ledger.
    let reply = northwind
        .submit(MoveDeal::PATH, &[("id", &id), ("stage", "won"), ("value", "45000")])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("USD 4,500.00"), "{}", reply.body);
    let ledger = northwind.get("/portal/commissions").await;
    assert!(
        ledger.body.contains("USD 4,500.00"),
        "the commission shows in the portal"
    );
    let page = northwind.get(&format!("/portal/deals/{deal}")).await;
    assert!(page.body.contains("Won") && page.body.contains("USD 45,000.00"));
    // A won deal is closed: a stage change is refused and changes nothing.
    let before = footprint(&app).await;
    let reply = northwind
        .submit(MoveDeal::PATH, &[("id", &id), ("stage", "lost"), ("value", "1")])
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(footprint(&app).await, before);
}

#[tokio::test]
async fn partner_kinds_outside_the_rules_and_missing_csrf_are_refused() {
    let app = TestApp::seeded().await;
    let program = app.number(&format!("SELECT {RESELLERS} AS n")).await.to_string();
    let product = product(&app).await;
    // Resellers may not register once the program stops taking them.
    app.execute(&format!(
        "UPDATE programs SET deal_partner_kinds = '{{si}}' WHERE id = {RESELLERS}"
    ))
    .await;
    let mut northwind = app.logged_in(NORTHWIND).await;
    let reply = register(
        &mut northwind,
        &program,
        &product,
        "initech.example",
        "1000",
        "2027-06-30",
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("(Reseller)"), "{}", reply.body);
    let page = northwind.get("/portal/deals/new").await;
    assert!(
        page.body.contains("You can&#x27;t register deals yet") || page.body.contains("You can't register deals yet")
    );
    // A form without the CSRF token does nothing.
    let reply = northwind
        .call(
            RegisterDeal::PATH,
            &[
                ("program_id", &program),
                ("company", "X"),
                ("domain", "x.example"),
                ("country", "US"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(app.count("deals").await, 0);
}
