//! Tiers through HTTP: an admin previews a ladder (and sees who would move and what it would
//! cost), saves it, runs the evaluation, and a partner that crosses the Gold threshold through
//! the conversion API is promoted and paid the Gold plan on its next sale. Bad ladders, locks
//! without a reason, finance's and partners' writes, and other programs' partners are
//! refused, each leaving the database as it was.

use crate::support::{Browser, TestApp};
use app::api::plans::CreatePlan;
use app::api::tiers::{
    LockTier, PartnerTierView, PreviewTiers, ProgramTiers, RunTierEvaluation, SaveTiers, UnlockTier,
};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;
use serde_json::json;

const ANA: &str = "ana@brightreviews.test";

/// What a refused change must leave as it was.
async fn footprint(app: &TestApp) -> String {
    app.text(
        "SELECT (SELECT count(*) FROM program_tiers) || '|' || (SELECT count(*) FROM tier_changes) \
         || '|' || (SELECT count(*) FROM partner_terms) || '|' || (SELECT count(*) FROM email_outbox) \
         || '|' || (SELECT count(*) FROM audit_events WHERE action <> 'user.login') || '|' \
         || (SELECT coalesce(string_agg(coalesce(tier, '-'), ',' ORDER BY id), '') FROM program_memberships) AS v",
    )
    .await
}

async fn program(app: &TestApp) -> String {
    app.number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string()
}

/// Registered, then Gold at EUR 1,000 of revenue in 30 days paying `gold_plan`.
fn ladder<'a>(program: &'a str, gold_revenue: &'a str, gold_plan: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("program_id", program),
        ("fields[window_days]", "30"),
        ("fields[grace_days]", "30"),
        ("fields[t0_name]", "Registered"),
        ("fields[t1_name]", "Gold"),
        ("fields[t1_min_revenue]", gold_revenue),
        ("fields[t1_plan_id]", gold_plan),
    ]
}

fn preview_path(program: &str, fields: serde_json::Value) -> String {
    let fields = fields.to_string();
    let query: String = url_encode(&fields);
    format!("{}?program_id={program}&fields={query}", PreviewTiers::PATH)
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn sale(app: &TestApp, key: &str, order: &str, amount: &str) -> serde_json::Value {
    let body = json!({"order_id": order, "amount": amount, "currency": "EUR", "coupon": "BRIGHT20"});
    let request = Request::post("/api/v1/conversions")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    let reply = app.browser().send(request).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

async fn gold_plan(admin: &mut Browser, app: &TestApp, program: &str) -> String {
    let made = admin
        .submit(
            CreatePlan::PATH,
            &[
                ("program_id", program),
                ("fields[name]", "Gold 30%"),
                ("fields[period]", "month"),
                ("fields[r0_events]", "sale"),
                ("fields[r0_model]", "percent"),
                ("fields[r0_rate]", "30"),
                ("fields[r0_recurring]", "lifetime"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    app.number("SELECT id AS n FROM commission_plans WHERE name = 'Gold 30%'")
        .await
        .to_string()
}

#[tokio::test]
async fn an_admin_previews_and_saves_tiers_and_a_crossing_through_the_api_pays_the_gold_plan() {
    let app = TestApp::seeded().await;
    let p = program(&app).await;
    let key = trellis::commands::api_key::create(app.db.url(), "acme-affiliates", "tests")
        .await
        .unwrap();
    let mut admin = app.logged_in("admin@acme.test").await;
    let gold = gold_plan(&mut admin, &app, &p).await;

    // The preview of a ladder whose Gold needs EUR 1,000: nobody has sold yet, so everyone
    // would join Registered and nobody Gold; nothing is written.
    let before = footprint(&app).await;
    let fields = json!({"window_days": "30", "grace_days": "30", "t0_name": "Registered", "t1_name": "Gold",
                        "t1_min_revenue": "1000", "t1_plan_id": gold});
    let preview = admin.fetch(&preview_path(&p, fields)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let impact: serde_json::Value = serde_json::from_str(&preview.body).unwrap();
    let active = app
        .number(&format!(
            "SELECT count(*) AS n FROM program_memberships WHERE program_id = {p} AND status = 'active'"
        ))
        .await;
    assert_eq!(impact["up"], json!(active), "{impact}");
    assert!(impact["movers"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["to"] == "Registered"));
    assert_eq!(footprint(&app).await, before, "a preview writes nothing");

    // Unordered thresholds are refused beside the field, and nothing is saved.
    let refused = admin
        .submit(
            SaveTiers::PATH,
            &[
                ladder(&p, "1000", &gold),
                vec![("fields[t2_name]", "Silver"), ("fields[t2_min_revenue]", "500")],
            ]
            .concat(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(
        refused.body.contains("t2_min_revenue") && refused.body.contains("Silver needs less revenue than Gold"),
        "{}",
        refused.body
    );
    let unknown_plan = admin.submit(SaveTiers::PATH, &ladder(&p, "1000", "999999")).await;
    assert_eq!(unknown_plan.status, StatusCode::BAD_REQUEST);
    assert!(unknown_plan.body.contains("t1_plan_id"), "{}", unknown_plan.body);
    // MDF shares are percents that add up to at most 100.
    let greedy = admin
        .submit(
            SaveTiers::PATH,
            &[
                ladder(&p, "1000", &gold),
                vec![("fields[t0_mdf_share]", "45"), ("fields[t1_mdf_share]", "60")],
            ]
            .concat(),
        )
        .await;
    assert_eq!(greedy.status, StatusCode::BAD_REQUEST);
    assert!(
        greedy.body.contains("t1_mdf_share") && greedy.body.contains("add up to 105%"),
        "{}",
        greedy.body
    );
    assert_eq!(footprint(&app).await, before, "refusals change nothing");

    let saved = admin.submit(SaveTiers::PATH, &ladder(&p, "1000", &gold)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(
        app.number("SELECT count(*) AS n FROM audit_events WHERE action = 'tiers.save'")
            .await,
        1
    );
    let ran = admin.submit(RunTierEvaluation::PATH, &[("program_id", &p)]).await;
    assert_eq!(ran.status, StatusCode::OK, "{}", ran.body);
    assert!(
        ran.body
            .contains(&format!("Evaluated {active} partners: {active} promoted")),
        "{}",
        ran.body
    );

    // Bright Reviews sells EUR 1,200 through the API, the evaluation promotes it to Gold, and its
    // next sale is paid 30%.
    sale(&app, &key, "TIER-1", "1200").await;
    let ran = admin.submit(RunTierEvaluation::PATH, &[("program_id", &p)]).await;
    assert!(ran.body.contains("1 promoted"), "{}", ran.body);
    let next = sale(&app, &key, "TIER-2", "100").await;
    assert_eq!(next["commission"]["amount"], "30.00", "{next}");
    let mail = app
        .text("SELECT subject AS v FROM email_outbox WHERE subject LIKE 'You reached Gold%'")
        .await;
    assert_eq!(mail, "You reached Gold in Acme Affiliates");
    // Every commission, before and after the tier change, recomputes exactly.
    trellis::commands::verify_commissions::run(app.db.url(), Some("acme-affiliates"))
        .await
        .unwrap();

    // The partner page shows Gold; the tiers page lists the change.
    let bright = app
        .number("SELECT id AS n FROM partners WHERE email = 'ana@brightreviews.test'")
        .await
        .to_string();
    let view = admin
        .fetch(&format!("{}?program_id={p}&partner_id={bright}", PartnerTierView::PATH))
        .await;
    assert!(view.body.contains("\"tier\":\"Gold\""), "{}", view.body);
    let page = admin.fetch(&format!("{}?program_id={p}", ProgramTiers::PATH)).await;
    assert!(page.body.contains("Promoted from Registered to Gold"), "{}", page.body);
    let html = admin.get(&format!("/console/programs/{p}/tiers")).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("Tiers in force") && html.body.contains("Run the evaluation now"));
}

#[tokio::test]
async fn locks_need_a_reason_managers_read_finance_and_partners_are_refused_and_other_programs_are_not_found() {
    let app = TestApp::seeded().await;
    let p = program(&app).await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let saved = admin.submit(SaveTiers::PATH, &ladder(&p, "1000", "")).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    admin.submit(RunTierEvaluation::PATH, &[("program_id", &p)]).await;
    let bright = app
        .number("SELECT id AS n FROM partners WHERE email = 'ana@brightreviews.test'")
        .await
        .to_string();
    let northwind = app
        .number("SELECT id AS n FROM partners WHERE email = 'ops@northwind.test'")
        .await
        .to_string();
    let before = footprint(&app).await;

    let no_reason = admin
        .submit(
            LockTier::PATH,
            &[
                ("program_id", &p),
                ("partner_id", &bright),
                ("tier", "Gold"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert!(no_reason.body.contains("reason"), "{}", no_reason.body);
    let unknown = admin
        .submit(
            LockTier::PATH,
            &[
                ("program_id", &p),
                ("partner_id", &bright),
                ("tier", "Platinum"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    // Northwind is not in the affiliates' program.
    let elsewhere = admin
        .submit(
            LockTier::PATH,
            &[
                ("program_id", &p),
                ("partner_id", &northwind),
                ("tier", "Gold"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND, "{}", elsewhere.body);
    let not_locked = admin
        .submit(UnlockTier::PATH, &[("program_id", &p), ("partner_id", &bright)])
        .await;
    assert_eq!(not_locked.status, StatusCode::CONFLICT);

    // Finance reads programs but does not manage them (viewers: the viewer matrix).
    let mut finance = app.logged_in("finance@acme.test").await;
    let denied = finance.submit(SaveTiers::PATH, &ladder(&p, "5", "")).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let mut ana = app.logged_in(ANA).await;
    let partner = ana.submit(RunTierEvaluation::PATH, &[("program_id", &p)]).await;
    assert!(
        partner.status == StatusCode::FORBIDDEN || partner.status == StatusCode::NOT_FOUND,
        "{}",
        partner.status
    );
    assert_eq!(
        footprint(&app).await,
        before,
        "every refusal leaves the database as it was"
    );

    // A manager reads the ladder; the admin locks Bright Reviews at Gold and unlocks it.
    let mut manager = app.logged_in("manager@acme.test").await;
    assert_eq!(
        manager
            .fetch(&format!("{}?program_id={p}", ProgramTiers::PATH))
            .await
            .status,
        StatusCode::OK
    );
    let locked = admin
        .submit(
            LockTier::PATH,
            &[
                ("program_id", &p),
                ("partner_id", &bright),
                ("tier", "Gold"),
                ("reason", "Launch partner"),
            ],
        )
        .await;
    assert_eq!(locked.status, StatusCode::OK, "{}", locked.body);
    assert_eq!(
        app.text(&format!(
            "SELECT tier AS v FROM program_memberships WHERE partner_id = {bright} AND program_id = {p}"
        ))
        .await,
        "Gold"
    );
    let ran = admin.submit(RunTierEvaluation::PATH, &[("program_id", &p)]).await;
    assert!(
        ran.body.contains("0 warned"),
        "a locked tier is left alone: {}",
        ran.body
    );
    let unlocked = admin
        .submit(UnlockTier::PATH, &[("program_id", &p), ("partner_id", &bright)])
        .await;
    assert_eq!(unlocked.status, StatusCode::OK);
    // A program with a ladder refuses hand-set tiers.
    let by_hand = admin
        .submit(
            app::api::mdf_funds::SetPartnerTier::PATH,
            &[("program_id", &p), ("partner_id", &bright), ("tier", "Platinum")],
        )
        .await;
    assert_eq!(by_hand.status, StatusCode::CONFLICT, "{}", by_hand.body);
}
