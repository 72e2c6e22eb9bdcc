//! The console's home page over the demo with thirty days of sample traffic: each role sees
//! the queues it decides with counts that match the database, the figures match the rollups,
//! and an operator scoped to another brand sees none of Acme's.

use crate::support::TestApp;
use axum::http::StatusCode;

/// The demo plus its sample traffic (which leaves commissions waiting for a manager), one of
/// them moved on to finance.
async fn demo() -> TestApp {
    let app = TestApp::seeded().await;
    trellis::commands::seed::sample_traffic(app.db.url())
        .await
        .expect("sample traffic");
    app.execute(&format!(
        "INSERT INTO commission_decisions (commission_id, seq, status, stage, reason, created_at)
         SELECT commission_id, 2, 'pending', 'finance', 'approved by a manager', now()
         FROM ({LATEST}) st WHERE st.status = 'pending' AND st.stage = 'manager' ORDER BY commission_id LIMIT 1"
    ))
    .await;
    app
}

/// Each commission's latest decision.
const LATEST: &str = "SELECT DISTINCT ON (d.commission_id) d.commission_id, d.status, d.stage
    FROM commission_decisions d JOIN commissions c ON c.id = d.commission_id AND c.kind = 'commission'
    ORDER BY d.commission_id, d.seq DESC";

async fn waiting_at(app: &TestApp, stage: &str) -> i64 {
    app.number(&format!(
        "SELECT count(*) AS n FROM ({LATEST}) st WHERE st.status = 'pending' AND st.stage = '{stage}'"
    ))
    .await
}

/// The page's text without tags and hydration markers, spaces collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Operator logins added for a test, with the demo password.
async fn add_operator(app: &TestApp, email: &str, role: &str, brand_scoped: bool) {
    app.execute(&format!(
        "INSERT INTO users (email, display_name, kind, operator_role, password_hash, brand_scoped)
         SELECT '{email}', 'Sam', 'operator', '{role}', password_hash, {brand_scoped}
         FROM users WHERE email = 'admin@acme.test'"
    ))
    .await;
}

#[tokio::test]
async fn the_admin_sees_every_queue_with_counts_and_links_and_the_real_figures() {
    let app = demo().await;
    let (manager, finance) = (waiting_at(&app, "manager").await, waiting_at(&app, "finance").await);
    assert!(
        manager > 0 && finance == 1,
        "the sample leaves work waiting: {manager}, {finance}"
    );
    let applied = app
        .number("SELECT count(*) AS n FROM program_memberships WHERE status = 'applied'")
        .await;

    let page = app.logged_in("admin@acme.test").await.get("/console").await;
    assert_eq!(page.status, StatusCode::OK);
    for href in [
        "/console/commissions?tab=manager",
        "/console/commissions?tab=finance",
        "/console/applications?status=applied&amp;sort=oldest",
    ] {
        assert!(page.body.contains(&format!("href=\"{href}\"")), "links {href}");
    }
    let body = text(&page.body);
    assert!(body.contains("Waiting for you"), "{body}");
    assert!(
        body.contains(&format!("{manager} Commissions for a manager oldest waiting")),
        "{body}"
    );
    assert!(body.contains(&format!("{finance} Commissions for finance")), "{body}");
    assert!(body.contains(&format!("{applied} Partner applications")), "{body}");
    assert!(
        body.contains("Payouts Make payout runs, approve your colleagues' runs"),
        "{body}"
    );

    // The last 30 days of the affiliates' rollups (UTC days, today included).
    // The sample's oldest day falls in the 30 days before.
    let days = |from: i64, to: i64| {
        format!(
            "FROM daily_stats s JOIN programs p ON p.id = s.program_id WHERE p.currency = 'EUR'
             AND s.day BETWEEN (now() AT TIME ZONE 'UTC')::date - {from} AND (now() AT TIME ZONE 'UTC')::date - {to}"
        )
    };
    let clicks = app
        .number(&format!(
            "SELECT COALESCE(sum(s.clicks), 0)::bigint AS n {}",
            days(29, 0)
        ))
        .await;
    let before = app
        .number(&format!(
            "SELECT COALESCE(sum(s.clicks), 0)::bigint AS n {}",
            days(59, 30)
        ))
        .await;
    let revenue = app
        .text(&format!("SELECT sum(s.revenue)::text AS v {}", days(29, 0)))
        .await;
    let revenue = app::domain::money::format(revenue.parse().unwrap(), "EUR");
    let moved = app::domain::home::change::change_of_counts(before, clicks).short();
    assert!(clicks > 0 && before < clicks, "{before} then {clicks}");
    assert!(
        body.contains(&format!("Programs in EUR Clicks {clicks} {moved} ")),
        "{clicks} {moved}: {body}"
    );
    assert!(body.contains(&format!("{before} in the 30 days before")), "{body}");
    assert!(body.contains(&format!("Revenue {revenue} ")), "{revenue}: {body}");
    assert!(body.contains("Top partners Partner Revenue Change Clicks Conversions"));
    assert!(body.contains("Bright Reviews") && body.contains("Programs in USD"));
}

#[tokio::test]
async fn finance_sees_its_queues_and_not_the_managers() {
    let app = demo().await;
    let page = app.logged_in("finance@acme.test").await.get("/console").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("href=\"/console/commissions?tab=finance\""));
    assert!(
        !page.body.contains("/console/applications?status=applied"),
        "finance doesn't review applications"
    );
    assert!(!page.body.contains("/console/commissions?tab=manager"));
    let body = text(&page.body);
    assert!(
        body.contains("1 Commissions for finance oldest waiting under 1 h On time"),
        "{body}"
    );
    assert!(body.contains("Nothing waiting: MDF claims."), "{body}");
    assert!(!body.contains("Partner applications") && !body.contains("Commissions for a manager"));
    assert!(body.contains("Payouts"));
}

#[tokio::test]
async fn a_viewer_reads_every_queue_and_another_brands_manager_sees_none_of_acme() {
    let app = demo().await;
    add_operator(&app, "viewer@acme.test", "viewer", false).await;
    let body = text(&app.logged_in("viewer@acme.test").await.get("/console").await.body);
    assert!(body.contains("Waiting in your brands Your role reads these queues and decides none of them"));
    assert!(body.contains("Commissions for a manager") && body.contains("Partner applications"));
    assert!(!body.contains("Make payout runs"), "a viewer runs no payouts");

    // A manager of Globex only, whose one program has nothing yet.
    app.execute(
        "INSERT INTO brands (name, slug) VALUES ('Globex', 'globex');
         INSERT INTO programs (brand_id, name, slug, currency, terms)
         SELECT id, 'Globex Partners', 'globex-partners', 'GBP', 't' FROM brands WHERE slug = 'globex'",
    )
    .await;
    add_operator(&app, "globex@acme.test", "manager", true).await;
    app.execute(
        "INSERT INTO operator_brands (user_id, brand_id)
         SELECT u.id, b.id FROM users u, brands b WHERE u.email = 'globex@acme.test' AND b.slug = 'globex'",
    )
    .await;
    let page = app.logged_in("globex@acme.test").await.get("/console").await;
    let body = text(&page.body);
    assert!(body.contains("Partner manager · Globex"), "{body}");
    assert!(body.contains("All caught up Nothing waits for you."), "{body}");
    assert!(body.contains("Programs in GBP Clicks 0 No change"), "{body}");
    assert!(
        !body.contains("Programs in EUR") && !body.contains("Bright Reviews") && !page.body.contains("tab=manager"),
        "nothing of Acme's: {body}"
    );
}
