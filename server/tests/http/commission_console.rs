//! The console's commission pages over HTTP: plans from the plan form (with JavaScript and
//! without), bulk and single terms changes, approval settings, the partner page's flag, master
//! and adjustment forms, and who may do what. Refused changes leave every row as it was.

use crate::support::{post_plain, Browser, Reply, TestApp};
use app::api::approval_settings::SaveApprovalSettings;
use app::api::plans::{CreatePlan, MakeDefaultPlan};
use app::api::program_partner::{AdjustPartner, ChangePartnerTerms, SetPartnerFlag, SetPartnerMaster};
use app::api::terms::AmendTerms;
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;
use time::{Duration, OffsetDateTime};

const AFFILIATES: &str = "(SELECT id FROM programs WHERE slug = 'acme-affiliates')";
const BRIGHT: &str = "(SELECT id FROM partners WHERE email = 'ana@brightreviews.test')";
const LUMEN: &str = "(SELECT id FROM partners WHERE email = 'hello@lumenmedia.test')";

async fn id(app: &TestApp, query: &str) -> String {
    app.number(&format!("SELECT {query} AS n")).await.to_string()
}

/// A `datetime-local` value `days` from now (UTC).
fn local_time(days: i64) -> String {
    let at = OffsetDateTime::now_utc() + Duration::days(days);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

fn tiered_plan<'a>(program: &'a str, name: &'a str, bands: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("program_id", program),
        ("fields[name]", name),
        ("fields[period]", "quarter"),
        ("fields[cap_per_period]", "10000"),
        ("fields[override_shares]", "8, 2"),
        ("fields[r0_events]", "sale"),
        ("fields[r0_model]", "tiered"),
        ("fields[r0_basis]", "revenue"),
        ("fields[r0_mode]", "whole_period"),
        ("fields[r0_pays]", "percent"),
        ("fields[r0_bands]", bands),
        ("fields[r0_recurring]", "months"),
        ("fields[r0_months]", "12"),
        ("fields[r0_countries_denied]", "ru"),
        ("fields[r1_events]", "lead"),
        ("fields[r1_model]", "flat"),
        ("fields[r1_flat]", "4.50"),
        ("fields[r1_recurring]", "once"),
    ]
}

#[tokio::test]
async fn a_tiered_plan_is_saved_from_the_form_and_overlapping_bands_are_refused() {
    let app = TestApp::seeded().await;
    let program = id(&app, AFFILIATES).await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let plans = "SELECT count(*) AS n FROM commission_plans WHERE name = 'Quarterly tiers'";
    let created = "SELECT count(*) AS n FROM audit_events WHERE action = 'plan.create'";

    let overlapping = tiered_plan(&program, "Quarterly tiers", "0-1000 10\n800+ 12");
    let refused = admin.submit(CreatePlan::PATH, &overlapping).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(refused.body.contains("r0_bands"), "{}", refused.body);
    assert!(
        refused.body.contains("Rule 1 bands: band 2 (800+) overlaps band 1"),
        "{}",
        refused.body
    );
    assert_eq!(app.number(plans).await, 0, "nothing was saved");
    assert_eq!(app.number(created).await, 0);

    let good = tiered_plan(&program, "Quarterly tiers", "0-1000 10\n1000-5000 12\n5000+ 15");
    let saved = admin.submit(CreatePlan::PATH, &good).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(app.number(plans).await, 1);
    assert_eq!(app.number(created).await, 1, "audited once");
    let definition = app
        .text("SELECT definition::text AS v FROM commission_plans WHERE name = 'Quarterly tiers'")
        .await;
    assert!(
        definition.contains("\"whole_period\"") && definition.contains("\"RU\""),
        "{definition}"
    );

    // The same name again is a field error, and still one plan.
    let again = admin.submit(CreatePlan::PATH, &good).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("already has a plan called"), "{}", again.body);
    assert_eq!(app.number(plans).await, 1);

    let page = admin.get(&format!("/console/programs/{program}/plans")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Quarterly tiers"));
    assert!(
        page.body.contains("tiers by quarterly revenue"),
        "described in plain words"
    );
    assert!(page.body.contains("Default for new partners"));
    assert!(page.body.contains("2 partners on it now"), "the seeded default plan");
}

#[tokio::test]
async fn the_plan_form_works_without_javascript_and_keeps_what_was_typed() {
    let app = TestApp::seeded().await;
    let program = id(&app, AFFILIATES).await;
    let mut manager = app.logged_in("manager@acme.test").await;
    let form_page = format!("/console/programs/{program}/plans?rules=2");
    let bad = tiered_plan(&program, "No script tiers", "0-1000 10\n1200+ 12");
    let reply = post_plain(&mut manager, CreatePlan::PATH, &form_page, &bad).await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let back = reply.location().trim_start_matches("http://localhost").to_owned();
    assert!(back.starts_with(&form_page) && back.contains("__err="), "{back}");
    let page = manager.get(&back).await;
    assert!(
        page.body
            .contains("Rule 1 bands: there is a gap between 1000 and 1200."),
        "the error shows beside the field"
    );
    assert!(page.body.contains("value=\"No script tiers\""), "the name is kept");
    assert!(page.body.contains("0-1000 10\n1200+ 12"), "the bands are kept");
    assert!(page.body.contains("value=\"4.50\""), "the second rule is kept");
    assert_eq!(app.count("commission_plans").await, 2, "only the two seeded plans");

    let good = tiered_plan(&program, "No script tiers", "0-1000 10\n1000+ 12");
    let reply = post_plain(&mut manager, CreatePlan::PATH, &form_page, &good).await;
    assert!(reply.status.is_redirection());
    assert_eq!(reply.location(), format!("/console/programs/{program}/plans"));
    let page = manager.get(reply.location()).await;
    assert!(page.body.contains("Plan “No script tiers” saved."), "the flash message");

    // Copy as new plan: the form comes filled from the plan, under a new name.
    let plan_id = app
        .number("SELECT id AS n FROM commission_plans WHERE name = 'No script tiers'")
        .await;
    let copy = manager
        .get(&format!("/console/programs/{program}/plans?copy={plan_id}"))
        .await;
    assert!(copy.body.contains("value=\"Copy of No script tiers\""), "{}", copy.body);
    assert!(copy.body.contains("0-1000 10\n1000+ 12"));
    assert!(copy.body.contains("Rule 2"), "both rules are there");

    // Making it the default is audited.
    let reply = manager
        .submit(
            MakeDefaultPlan::PATH,
            &[("program_id", &program), ("plan_id", &plan_id.to_string())],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        app.number(&format!(
            "SELECT default_plan_id AS n FROM programs WHERE id = {program}"
        ))
        .await,
        plan_id
    );
    assert_eq!(
        app.number("SELECT count(*) AS n FROM audit_events WHERE action = 'plan.default'")
            .await,
        1
    );
}

/// Rows a terms change writes.
async fn written(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("partner_terms").await,
        app.number("SELECT count(*) AS n FROM audit_events WHERE action = 'terms.change'")
            .await,
        app.count("email_outbox").await,
    )
}

#[tokio::test]
async fn a_bulk_amendment_writes_one_version_and_one_audit_event_per_selected_partner() {
    let app = TestApp::seeded().await;
    let program = id(&app, AFFILIATES).await;
    let plan = id(
        &app,
        &format!("(SELECT default_plan_id FROM programs WHERE id = {AFFILIATES})"),
    )
    .await;
    let mut manager = app.logged_in("manager@acme.test").await;
    let start = local_time(3);
    let amend = |kind: &'static str| {
        vec![
            ("program_id", program.clone()),
            ("plan_id", plan.clone()),
            ("rate", String::new()),
            ("flat", "6".to_owned()),
            ("cap_per_conversion", String::new()),
            ("cap_per_period", "900".to_owned()),
            ("effective_from", start.clone()),
            ("reason", "Autumn caps".to_owned()),
            ("kind", kind.to_owned()),
            ("country", String::new()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let (terms_before, audit_before, mail_before) = written(&app).await;

    let creators = as_refs(&amend("creator"));
    let creators: Vec<(&str, &str)> = creators.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = manager.submit(AmendTerms::PATH, &creators).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body, "1", "only Bright Reviews is a creator");
    assert_eq!(
        written(&app).await,
        (terms_before + 1, audit_before + 1, mail_before + 1)
    );
    assert_eq!(
        app.number(&format!(
            "SELECT max(version)::bigint AS n FROM partner_terms WHERE partner_id = {BRIGHT}"
        ))
        .await,
        2
    );

    let everyone = as_refs(&amend(""));
    let everyone: Vec<(&str, &str)> = everyone.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = manager.submit(AmendTerms::PATH, &everyone).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body, "2");
    assert_eq!(
        written(&app).await,
        (terms_before + 3, audit_before + 3, mail_before + 3)
    );

    // The terms page shows the upcoming versions, and the terms in force on a day.
    let page = manager.get(&format!("/console/programs/{program}/terms")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Creators 2026 · v3 from"), "upcoming: {}", page.body);
    let later = (OffsetDateTime::now_utc() + Duration::days(10)).date();
    let page = manager
        .get(&format!("/console/programs/{program}/terms?on={later}"))
        .await;
    assert!(page.body.contains(&format!("In force on {later}")));
    assert!(page
        .body
        .contains("Overrides: flat amount EUR 6.00, cap per period EUR 900.00"));
    let page = manager
        .get(&format!("/console/programs/{program}/terms?on=not-a-day"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Enter a day like"));
}

#[tokio::test]
async fn terms_that_start_in_the_past_are_refused_and_nothing_is_written() {
    let app = TestApp::seeded().await;
    let program = id(&app, AFFILIATES).await;
    let partner = id(&app, BRIGHT).await;
    let plan = id(
        &app,
        &format!("(SELECT default_plan_id FROM programs WHERE id = {AFFILIATES})"),
    )
    .await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let before = written(&app).await;
    let past = local_time(-2);
    let bulk = [
        ("program_id", program.as_str()),
        ("plan_id", plan.as_str()),
        ("effective_from", past.as_str()),
        ("reason", "Backdated"),
    ];
    let reply = admin.submit(AmendTerms::PATH, &bulk).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body.contains("effective_from") && reply.body.contains("can't start in the past"));
    let one = [
        ("program_id", program.as_str()),
        ("partner_id", partner.as_str()),
        ("plan_id", plan.as_str()),
        ("effective_from", past.as_str()),
        ("reason", "Backdated"),
    ];
    let reply = admin.submit(ChangePartnerTerms::PATH, &one).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    // Other bad input is refused the same way, field by field.
    for (field, value) in [
        ("rate", "150"),
        ("plan_id", "abc"),
        ("effective_from", "soon"),
        ("reason", " "),
    ] {
        let mut fields = one.to_vec();
        fields.retain(|(k, _)| *k != field && *k != "effective_from");
        fields.push((field, value));
        let reply = admin.submit(ChangePartnerTerms::PATH, &fields).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{field}: {}", reply.body);
        assert!(reply.body.contains(field), "{field}: {}", reply.body);
    }
    assert_eq!(written(&app).await, before, "nothing was written");

    // Starting now works, for this partner alone.
    let now = [
        ("program_id", program.as_str()),
        ("partner_id", partner.as_str()),
        ("plan_id", plan.as_str()),
        ("rate", ""),
        ("cap_per_conversion", "40"),
        ("effective_from", ""),
        ("reason", "Cap for a review"),
    ];
    let reply = admin.submit(ChangePartnerTerms::PATH, &now).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(written(&app).await, (before.0 + 1, before.1 + 1, before.2 + 1));
    let page = admin
        .get(&format!("/console/programs/{program}/partners/{partner}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("At most EUR 40.00 per conversion."),
        "effective plan in words"
    );
    assert!(page.body.contains("Cap for a review"), "the history shows the reason");
}

#[tokio::test]
async fn finance_reads_the_pages_but_cannot_change_terms_plans_or_settings() {
    let app = TestApp::seeded().await;
    let program = id(&app, AFFILIATES).await;
    let partner = id(&app, BRIGHT).await;
    let plan = id(
        &app,
        &format!("(SELECT default_plan_id FROM programs WHERE id = {AFFILIATES})"),
    )
    .await;
    let mut finance = app.logged_in("finance@acme.test").await;
    let before = written(&app).await;
    let audit_before = app.count("audit_events").await;
    let change = [
        ("program_id", program.as_str()),
        ("partner_id", partner.as_str()),
        ("plan_id", plan.as_str()),
        ("reason", "Not allowed"),
    ];
    for path in [AmendTerms::PATH, ChangePartnerTerms::PATH] {
        let reply = finance.submit(path, &change).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    let plan_form = tiered_plan(&program, "Finance plan", "0+ 5");
    assert_eq!(
        finance.submit(CreatePlan::PATH, &plan_form).await.status,
        StatusCode::FORBIDDEN
    );
    let flag = [
        ("program_id", program.as_str()),
        ("partner_id", partner.as_str()),
        ("flag", "yes"),
        ("reason", "x"),
    ];
    assert_eq!(
        finance.submit(SetPartnerFlag::PATH, &flag).await.status,
        StatusCode::FORBIDDEN
    );
    let adjust = [
        ("program_id", program.as_str()),
        ("partner_id", partner.as_str()),
        ("amount", "10"),
        ("reason", "x"),
    ];
    assert_eq!(
        finance.submit(AdjustPartner::PATH, &adjust).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(written(&app).await, before);
    assert_eq!(app.count("audit_events").await, audit_before);
    for page in ["plans", "terms", "approvals", &format!("partners/{partner}")] {
        let reply = finance.get(&format!("/console/programs/{program}/{page}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        assert!(
            reply
                .body
                .contains("Only an Admin or a Partner manager can change this"),
            "{page}"
        );
        // Finance sets which adjustments it reviews; nothing else on these pages is its to change.
        let forms = reply.body.matches("type=\"submit\" class=\"button\"").count();
        assert_eq!(forms, usize::from(page == "approvals"), "{page}");
        assert_eq!(reply.body.contains("Save adjustment review"), page == "approvals");
    }
}

#[tokio::test]
async fn approval_settings_are_checked_before_the_database_sees_them() {
    let app = TestApp::seeded().await;
    let program = id(&app, AFFILIATES).await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let snapshot = format!(
        "SELECT concat_ws(',', auto_approve_below, finance_above, lock_days, sla_remind_hours, sla_escalate_hours, sub_partner_invites) AS v FROM programs WHERE id = {program}"
    );
    let before = app.text(&snapshot).await;
    let audit_before = app.count("audit_events").await;
    let save = |auto: &'static str,
                finance: &'static str,
                lock: &'static str,
                remind: &'static str,
                escalate: &'static str| {
        vec![
            ("program_id", program.clone()),
            ("auto_approve_below", auto.to_owned()),
            ("finance_above", finance.to_owned()),
            ("lock_days", lock.to_owned()),
            ("sla_remind_hours", remind.to_owned()),
            ("sla_escalate_hours", escalate.to_owned()),
        ]
    };
    for (fields, field) in [
        (save("100", "50", "30", "48", "96"), "finance_above"),
        (save("10", "50", "30", "48", "48"), "sla_escalate_hours"),
        (save("10", "50", "400", "48", "96"), "lock_days"),
        (save("1.001", "50", "30", "48", "96"), "auto_approve_below"),
        (save("10", "50", "30", "0", "96"), "sla_remind_hours"),
    ] {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = admin.submit(SaveApprovalSettings::PATH, &refs).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{field}: {}", reply.body);
        assert!(reply.body.contains(field), "{field}: {}", reply.body);
    }
    assert_eq!(app.text(&snapshot).await, before);
    assert_eq!(app.count("audit_events").await, audit_before);
    let mut good = save("", "250.50", "14", "24", "72");
    good.push(("sub_partner_invites", "yes".to_owned()));
    let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = admin.submit(SaveApprovalSettings::PATH, &refs).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(app.text(&snapshot).await, "250.5000,14,24,72,t");
    assert_eq!(
        app.number("SELECT count(*) AS n FROM audit_events WHERE action = 'program.commission_settings'")
            .await,
        1
    );
    let page = admin.get(&format!("/console/programs/{program}/approvals")).await;
    assert!(page.body.contains("value=\"250.5\""), "{}", page.body);
}

#[tokio::test]
async fn the_partner_page_flags_links_masters_without_loops_and_records_adjustments() {
    let app = TestApp::seeded().await;
    let program = id(&app, AFFILIATES).await;
    let bright = id(&app, BRIGHT).await;
    let lumen = id(&app, LUMEN).await;
    let mut manager = app.logged_in("manager@acme.test").await;
    let base = |partner: &str| vec![("program_id", program.clone()), ("partner_id", partner.to_owned())];
    let call = |mut fields: Vec<(&'static str, String)>, more: &[(&'static str, &str)]| {
        fields.extend(more.iter().map(|(k, v)| (*k, v.to_string())));
        fields
    };
    async fn send(browser: &mut Browser, path: &str, fields: Vec<(&'static str, String)>) -> Reply {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        browser.submit(path, &pairs).await
    }

    // Flagging needs a reason; clearing doesn't.
    let no_reason = call(base(&bright), &[("flag", "yes"), ("reason", "")]);
    assert_eq!(
        send(&mut manager, SetPartnerFlag::PATH, no_reason).await.status,
        StatusCode::BAD_REQUEST
    );
    let flag = call(base(&bright), &[("flag", "yes"), ("reason", "Odd traffic")]);
    assert_eq!(
        send(&mut manager, SetPartnerFlag::PATH, flag).await.status,
        StatusCode::OK
    );
    let page = manager
        .get(&format!("/console/programs/{program}/partners/{bright}"))
        .await;
    assert!(page.body.contains("Odd traffic") && page.body.contains("Clear the flag"));
    let clear = call(base(&bright), &[("flag", "no")]);
    assert_eq!(
        send(&mut manager, SetPartnerFlag::PATH, clear).await.status,
        StatusCode::OK
    );

    // Lumen reports to Bright; Bright can't then report to Lumen.
    let link = call(base(&lumen), &[("master_id", &bright)]);
    assert_eq!(
        send(&mut manager, SetPartnerMaster::PATH, link).await.status,
        StatusCode::OK
    );
    let cycle = call(base(&bright), &[("master_id", &lumen)]);
    let reply = send(&mut manager, SetPartnerMaster::PATH, cycle).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("That would make a loop"), "{}", reply.body);
    let page = manager
        .get(&format!("/console/programs/{program}/partners/{bright}"))
        .await;
    assert!(page.body.contains("Sub-partners:") && page.body.contains("Lumen Media"));

    // Adjustments: a zero or malformed amount is refused, a negative one is recorded.
    let entries = app.count("commissions").await;
    for amount in ["0", "ten", "1.234"] {
        let bad = call(base(&bright), &[("amount", amount), ("reason", "Bonus")]);
        let reply = send(&mut manager, AdjustPartner::PATH, bad).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{amount}: {}", reply.body);
        assert!(reply.body.contains("amount"));
    }
    assert_eq!(app.count("commissions").await, entries);
    let deduct = call(base(&bright), &[("amount", "-12.50"), ("reason", "Duplicate order")]);
    assert_eq!(
        send(&mut manager, AdjustPartner::PATH, deduct).await.status,
        StatusCode::OK
    );
    let page = manager
        .get(&format!("/console/programs/{program}/partners/{bright}"))
        .await;
    assert!(page.body.contains("-EUR 12.50"), "the ledger and balance show it");
    assert!(page.body.contains("Duplicate order"));
    assert_eq!(
        app.number("SELECT count(*) AS n FROM audit_events WHERE action IN ('membership.flag', 'membership.unflag', 'membership.master', 'commission.adjust')")
            .await,
        4
    );
}
