//! The deal pipeline report over HTTP: only operators see the page and its CSV exports, the
//! exports are escaped for spreadsheets, and stage probabilities are changed only by those who
//! manage programs, with bad input refused and nothing changed.

use crate::support::{Browser, Reply, TestApp};
use app::api::deal_reports::{DealReport, SaveStageProbabilities};
use axum::http::{header, StatusCode};
use leptos::server_fn::ServerFn;

const RESELLERS: &str = "(SELECT id FROM programs WHERE slug = 'acme-resellers')";
const NORTHWIND: &str = "(SELECT id FROM partners WHERE email = 'ops@northwind.test')";

/// Two deals of Northwind in the demo's reseller program (USD): one pending in the registered
/// stage, one approved in negotiation, both expected to close in 30 days.
async fn seed_deals(app: &TestApp) {
    use diesel_async::RunQueryDsl;
    for (domain, status, stage, value) in [
        ("acme-a.com", "pending", "registered", 1000),
        ("acme-b.com", "approved", "negotiation", 4000),
    ] {
        let protected = if status == "approved" {
            "now() + interval '90 days'"
        } else {
            "NULL"
        };
        diesel::sql_query(format!(
            "INSERT INTO deals (program_id, partner_id, company, domain, country, contact_name, contact_email,
                 value, currency, expected_close, status, stage, protected_until, decided_at)
             VALUES ({RESELLERS}, {NORTHWIND}, 'Acme', '{domain}', 'US', 'Eve', 'eve@x.test', {value}, 'USD',
                 (now() + interval '30 days')::date, '{status}', '{stage}', {protected},
                 CASE WHEN '{status}' = 'approved' THEN now() END)"
        ))
        .execute(&mut app.db.conn().await)
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn only_operators_see_the_deal_report_and_its_exports() {
    let app = TestApp::seeded().await;
    let csv = "/console/reports/deals.csv?table=stages";
    let mut visitor = app.browser();
    for path in ["/console/reports/deals", csv] {
        let reply = visitor.get(path).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            reply.location().starts_with("/login?next="),
            "{path}: {}",
            reply.location()
        );
    }
    assert_eq!(visitor.fetch(DealReport::PATH).await.status, StatusCode::UNAUTHORIZED);
    let mut partner = app.logged_in("ops@northwind.test").await;
    for path in ["/console/reports/deals", csv] {
        assert_eq!(partner.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(partner.fetch(DealReport::PATH).await.status, StatusCode::FORBIDDEN);

    // Any operator may read it. With no deals, every section says what to do next, and the
    // charts are still drawn.
    let mut finance = app.logged_in("finance@acme.test").await;
    let page = finance.get("/console/reports/deals").await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "Deal pipeline",
        "No deals match these filters",
        "No open deals match these filters.",
        "Open deals by stage",
        "Registrations per week",
        "href=\"/console/reports/deals.csv?table=forecast\"",
        "href=\"/console/reports/deals\"",
    ] {
        assert!(page.body.contains(expected), "{expected} missing");
    }
    assert_eq!(page.body.matches("<svg").count(), 2, "the stage and velocity charts");
    let empty = finance.get(csv).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(
        empty.body,
        "stage,currency,deals,pending,approved,value,weighted_value\r\n"
    );
    assert_eq!(
        finance.get("/console/reports/deals.csv?table=nope").await.status,
        StatusCode::NOT_FOUND
    );
    let bad = finance
        .get("/console/reports/deals.csv?table=stages&from=2026-02-30")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("is not a date"), "{}", bad.body);
}

#[tokio::test]
async fn the_report_shows_deals_and_its_csv_is_safe_for_spreadsheets() {
    let app = TestApp::seeded().await;
    seed_deals(&app).await;
    // A partner name that a spreadsheet would run as a formula, with a comma and quotes.
    app.text(&format!(
        "UPDATE partners SET name = '=HYPERLINK(\"http://x.test\", \"Northwind, Inc.\")' WHERE id = {NORTHWIND} RETURNING name AS v"
    ))
    .await;
    let mut manager = app.logged_in("manager@acme.test").await;
    let page = manager.get("/console/reports/deals").await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "USD 5,000.00",
        "USD 3,100.00",
        "Pending approval",
        "Negotiation",
        "2 open deals",
    ] {
        assert!(page.body.contains(expected), "{expected} missing");
    }
    let csv = manager.get("/console/reports/deals.csv?table=partners").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(csv.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"deals-partners-"));
    assert_eq!(
        csv.body,
        "partner,kind,currency,deals,value\r\n\
         \"'=HYPERLINK(\"\"http://x.test\"\", \"\"Northwind, Inc.\"\")\",Reseller,USD,2,5000.00\r\n"
    );
    let stages = manager.get("/console/reports/deals.csv?table=stages&sort=value").await;
    assert_eq!(
        stages.body,
        "stage,currency,deals,pending,approved,value,weighted_value\r\n\
         Negotiation,USD,1,0,1,4000.00,3000.00\r\n\
         Registered,USD,1,1,0,1000.00,100.00\r\n"
    );
    // MDF: the demo fund's USD 10,000 allocation, nothing used yet; no activity has a return.
    assert!(page.body.contains("MDF utilization") && page.body.contains("MDF return on investment"));
    let funds = manager.get("/console/reports/deals.csv?table=mdf_utilization").await;
    assert!(
        funds.body.starts_with(
            "program,fund,currency,partners,allocated,committed,claimed,paid,expired,available,utilization\r\n"
        ) && funds
            .body
            .contains(",USD,1,10000.00,0.00,0.00,0.00,0.00,10000.00,0\r\n"),
        "{}",
        funds.body
    );
    let returns = manager.get("/console/reports/deals.csv?table=mdf_roi").await;
    assert_eq!(returns.body.lines().count(), 1, "{}", returns.body);
    // Filters narrow the export as they narrow the page.
    let affiliates = manager
        .get("/console/reports/deals.csv?table=stages&kind=affiliate")
        .await;
    assert_eq!(affiliates.body.lines().count(), 1);
}

/// Saves the reseller program's probabilities: `registered`, 30, 50, `negotiation`.
async fn send(browser: &mut Browser, program: &str, registered: &str, negotiation: &str) -> Reply {
    let fields = [
        ("program_id", program),
        ("registered", registered),
        ("qualified", "30"),
        ("proposal", "50"),
        ("negotiation", negotiation),
    ];
    browser.submit(SaveStageProbabilities::PATH, &fields).await
}

#[tokio::test]
async fn stage_probabilities_are_checked_audited_and_used_by_the_forecast() {
    let app = TestApp::seeded().await;
    seed_deals(&app).await;
    let program = app.number(&format!("SELECT {RESELLERS} AS n")).await.to_string();
    let audit = "SELECT count(*) AS n FROM audit_events WHERE action = 'program.deal_stage_probabilities'";
    // Finance may read the report but not change a program.
    let mut finance = app.logged_in("finance@acme.test").await;
    assert_eq!(
        send(&mut finance, &program, "20", "90").await.status,
        StatusCode::FORBIDDEN
    );
    // Bad input: a percentage over 100, and a later stage below an earlier one.
    let mut manager = app.logged_in("manager@acme.test").await;
    let over = send(&mut manager, &program, "20", "120").await;
    assert_eq!(over.status, StatusCode::BAD_REQUEST);
    assert!(over.body.contains("is not a percentage from 0 to 100"), "{}", over.body);
    let backwards = send(&mut manager, &program, "40", "90").await;
    assert_eq!(backwards.status, StatusCode::BAD_REQUEST);
    assert!(
        backwards.body.contains("below the registered stage"),
        "{}",
        backwards.body
    );
    assert_eq!(app.count("deal_stage_probabilities").await, 0, "nothing changed");
    assert_eq!(app.number(audit).await, 0);

    let saved = send(&mut manager, &program, "20", "90").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(app.number(audit).await, 1);
    assert_eq!(
        app.text("SELECT registered::text || '/' || negotiation::text AS v FROM deal_stage_probabilities")
            .await,
        "20.00/90.00"
    );
    // 1,000 at 20% and 4,000 at 90%.
    let page = manager.get(&format!("/console/reports/deals?program={program}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("USD 3,800.00"),
        "the forecast uses the new probabilities"
    );
    assert!(page.body.contains("Save stage probabilities"));
    let read_only = finance.get(&format!("/console/reports/deals?program={program}")).await;
    assert!(read_only
        .body
        .contains("Only admins and partner managers can change them."));
}
