//! Brand scoping over HTTP: a second brand ("Zenith Forge", its program "Zenith Partners" and its
//! partner "Quokka Systems", with a commission, a deal with an extension request, an MDF request
//! with a claim and a proof file, a link, an API key and a product) beside the demo's Acme, and
//! the demo manager limited to Acme. For every console URL kind the manager gets 404 for Zenith's
//! object and 200 for Acme's own; lists, queue counts, reports and the audit trail never show
//! Zenith; every mutation on Zenith's objects is refused with 404 and changes nothing; the
//! mailbox is only for operators who see every brand.

use crate::support::{Browser, TestApp};
use app::api::approval_settings::SaveApprovalSettings;
use app::api::approvals::{ApproveSelected, CommissionDetail, CommissionQueue, DecideCommission};
use app::api::audit::ListAudit;
use app::api::deal_reports::{DealReport, SaveStageProbabilities};
use app::api::deals::console::{CorrectDeal, DealDetail, DealQueue, DecideDeal, DecideExtension};
use app::api::deals::program::{AddProduct, ArchiveProduct, DealSettings, ImportCustomers, SaveDealRules};
use app::api::mdf_console::{DecideMdf, MdfQueue, MdfRequestForOperator};
use app::api::mdf_funds::{AllocateMdf, CreateMdfFund, ProgramMdf, SetPartnerTier};
use app::api::onboarding::TimeToFirst;
use app::api::outbox::ListOutbox;
use app::api::plans::{CreatePlan, MakeDefaultPlan};
use app::api::program_admin::{
    AssignCoupon, ConsolePrograms, CreateApiKey, RevokeApiKey, SaveProgramSettings, SetLinkEnabled,
};
use app::api::program_partner::{
    AdjustPartner, ChangePartnerTerms, PartnerInProgram, SetPartnerFlag, SetPartnerMaster,
};
use app::api::review::{DecideApplication, GetApplication, ListApplications};
use app::api::segments::{DeleteSegment, SaveSegment, SetPartnerTags};
use app::api::terms::AmendTerms;
use app::api::tiers::{LockTier, PartnerTierView, ProgramTiers, RunTierEvaluation, SaveTiers, UnlockTier};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;
use serde_json::Value;

/// Limited to Acme by `setup`.
const MANAGER: &str = "manager@acme.test";
/// Sees every brand.
const ADMIN: &str = "admin@acme.test";
/// An admin limited to Acme, made by `setup` with the demo password.
const SCOPED_ADMIN: &str = "sam@acme.test";
/// Names that only Zenith's rows carry: no page the manager sees may contain them.
const ZENITH: [&str; 3] = ["Quokka Systems", "Zenith Partners", "zenith"];

/// One of everything the console opens by id, in one program.
#[derive(Clone, Copy, Debug)]
struct Objects {
    program: i64,
    partner: i64,
    membership: i64,
    commission: i64,
    deal: i64,
    request: i64,
    file: i64,
    link: i64,
}

/// A pending commission, a pending deal with a waiting extension request, an MDF request with a
/// claim and a proof file, and a link, for `partner` in `program`, all named after `tag`.
async fn objects(app: &TestApp, program: i64, partner: i64, tag: &str) -> Objects {
    let currency = format!("(SELECT currency FROM programs WHERE id = {program})");
    let commission = app
        .number(&format!(
            "WITH v AS (INSERT INTO conversions (program_id, order_id, event, amount, currency, occurred_at, partner_id, attribution, request)
                        VALUES ({program}, '{tag}-order', 'sale', 500, {currency}, now(), {partner}, 'coupon', '{{}}') RETURNING id),
                  c AS (INSERT INTO commissions (conversion_id, program_id, partner_id, kind, amount, currency, explanation, payable_at)
                        SELECT id, {program}, {partner}, 'commission', 100, {currency}, '20% of the amount', now() + interval '30 days' FROM v
                        RETURNING id)
             INSERT INTO commission_decisions (commission_id, seq, status, stage, reason)
             SELECT id, 1, 'pending', 'manager', 'needs a manager' FROM c RETURNING commission_id AS n"
        ))
        .await;
    let deal = app
        .number(&format!(
            "INSERT INTO deals (program_id, partner_id, company, domain, country, contact_name, contact_email, value, currency,
                 expected_close, submitted_at)
             VALUES ({program}, {partner}, '{tag} deal co', '{tag}-deal.example', 'DE', 'Eve', 'eve@x.test', 1000, {currency},
                 current_date + 60, now())
             RETURNING id AS n"
        ))
        .await;
    app.execute(&format!(
        "INSERT INTO deal_extensions (deal_id, days, reason, requested_by, requested_at)
         SELECT {deal}, 30, 'board meets later', id, now() FROM users WHERE email = '{ADMIN}'"
    ))
    .await;
    let request = app
        .number(&format!(
            "WITH f AS (INSERT INTO mdf_funds (program_id, name, period_start, period_end, claim_days, currency)
                        VALUES ({program}, '{tag} fund', current_date - 30, current_date + 300, 30, {currency}) RETURNING id),
                  b AS (INSERT INTO mdf_balances (fund_id, partner_id, allocated, requested) SELECT id, {partner}, 1000, 100 FROM f RETURNING fund_id)
             INSERT INTO mdf_requests (fund_id, partner_id, activity, description, starts_on, ends_on, amount, expected_outcome,
                 claim_deadline, submitted_at)
             SELECT fund_id, {partner}, 'webinar', '{tag} webinar', current_date, current_date, 100, 'leads', now() + interval '30 days', now()
             FROM b RETURNING id AS n"
        ))
        .await;
    let file = app
        .number(&format!(
            "WITH c AS (INSERT INTO mdf_claims (request_id, partner_id, amount, actual_cost, submitted_at)
                        VALUES ({request}, {partner}, 50, 60, now()) RETURNING id)
             INSERT INTO mdf_files (claim_id, partner_id, filename, content_type, size_bytes, sha256, data, uploaded_at)
             SELECT id, {partner}, '{tag}-proof.pdf', 'application/pdf', 4, decode(repeat('00', 32), 'hex'), '%PDF'::bytea, now()
             FROM c RETURNING id AS n"
        ))
        .await;
    let link = app
        .number(&format!(
            "INSERT INTO links (program_id, partner_id, code, destination, is_default, created_at)
             VALUES ({program}, {partner}, '{tag}link01', 'https://example.com/', false, now()) RETURNING id AS n"
        ))
        .await;
    let membership = app
        .number(&format!(
            "SELECT id AS n FROM program_memberships WHERE program_id = {program} AND partner_id = {partner}"
        ))
        .await;
    Objects {
        program,
        partner,
        membership,
        commission,
        deal,
        request,
        file,
        link,
    }
}

/// The demo with Zenith beside it, the manager and a second admin limited to Acme, and an audit
/// event of Zenith and one of no brand. Returns (Acme's objects, Zenith's).
async fn setup(app: &TestApp) -> (Objects, Objects) {
    app.execute(&format!(
        "INSERT INTO brands (name, slug) VALUES ('Zenith Forge', 'zenith');
         INSERT INTO programs (brand_id, name, slug, currency, terms)
             SELECT id, 'Zenith Partners', 'zenith-partners', 'EUR', 'Terms.' FROM brands WHERE slug = 'zenith';
         INSERT INTO partners (name, email, kind, country) VALUES ('Quokka Systems', 'ops@quokka.test', 'reseller', 'FR');
         INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
             SELECT p.id, g.id, 'active', 'resale', now() FROM partners p, programs g
             WHERE p.email = 'ops@quokka.test' AND g.slug = 'zenith-partners';
         INSERT INTO products (program_id, name) SELECT id, 'Zenith Widget' FROM programs WHERE slug = 'zenith-partners';
         INSERT INTO api_keys (program_id, name, prefix, key_hash, created_at)
             SELECT id, 'Zenith key', 'trk_zen', decode(repeat('11', 32), 'hex'), now() FROM programs WHERE slug = 'zenith-partners';
         UPDATE users SET brand_scoped = true WHERE email = '{MANAGER}';
         INSERT INTO users (email, display_name, kind, operator_role, password_hash, password_changed_at, brand_scoped)
             SELECT '{SCOPED_ADMIN}', 'Sam Scoped', 'operator', 'admin', password_hash, now(), true FROM users WHERE email = '{ADMIN}';
         INSERT INTO operator_brands (user_id, brand_id)
             SELECT u.id, b.id FROM users u, brands b WHERE u.email IN ('{MANAGER}', '{SCOPED_ADMIN}') AND b.slug = 'acme';
         INSERT INTO audit_events (actor_label, action, subject_type, subject_id)
             SELECT 'test', 'zenith.marker', 'program', id::text FROM programs WHERE slug = 'zenith-partners';
         INSERT INTO audit_events (actor_label, action, subject_type, subject_id) VALUES ('test', 'installation.marker', 'installation', '1');"
    ))
    .await;
    let id = |sql: &str| sql.to_owned();
    let zenith_program = app
        .number(&id("SELECT id AS n FROM programs WHERE slug = 'zenith-partners'"))
        .await;
    let quokka = app
        .number(&id("SELECT id AS n FROM partners WHERE email = 'ops@quokka.test'"))
        .await;
    let resellers = app
        .number(&id("SELECT id AS n FROM programs WHERE slug = 'acme-resellers'"))
        .await;
    let northwind = app
        .number(&id("SELECT id AS n FROM partners WHERE email = 'ops@northwind.test'"))
        .await;
    let acme = objects(app, resellers, northwind, "acme").await;
    let zenith = objects(app, zenith_program, quokka, "zenith").await;
    (acme, zenith)
}

/// Every console page and export that opens one object of `o`.
fn pages(o: &Objects) -> Vec<String> {
    let p = o.program;
    let mut pages: Vec<String> = [
        "",
        "/conversions",
        "/links",
        "/coupons",
        "/plans",
        "/terms",
        "/approvals",
        "/deals",
        "/mdf",
        "/settings",
        "/keys",
        "/integration",
    ]
    .iter()
    .map(|tab| format!("/console/programs/{p}{tab}"))
    .collect();
    pages.extend([
        format!("/console/programs/{p}/partners/{}", o.partner),
        format!("/console/commissions/{}", o.commission),
        format!("/console/deals/{}", o.deal),
        format!("/console/mdf/{}", o.request),
        format!("/console/applications/{}", o.membership),
        format!("/console/reports/deals?program={p}"),
        format!("/console/reports/onboarding?program={p}"),
        format!("/console/programs/{p}/conversions.csv"),
        format!("/console/reports/deals.csv?table=stages&program={p}"),
        format!("/mdf/files/{}", o.file),
    ]);
    pages
}

/// Every read-only server function that takes an id of `o`.
fn lookups(o: &Objects) -> Vec<String> {
    let (p, partner) = (o.program, o.partner);
    vec![
        format!("{}?id={}", CommissionDetail::PATH, o.commission),
        format!("{}?id={}", DealDetail::PATH, o.deal),
        format!("{}?id={}", MdfRequestForOperator::PATH, o.request),
        format!("{}?id={}", GetApplication::PATH, o.membership),
        format!("{}?program_id={p}&partner_id={partner}", PartnerInProgram::PATH),
        format!("{}?program_id={p}&partner_id={partner}", PartnerTierView::PATH),
        format!("{}?program_id={p}", ProgramTiers::PATH),
        format!("{}?program_id={p}", ProgramMdf::PATH),
        format!("{}?program_id={p}", DealSettings::PATH),
        format!("{}?program={p}", DealReport::PATH),
        format!("{}?program={p}", TimeToFirst::PATH),
    ]
}

fn names_zenith(body: &str) -> Option<&'static str> {
    ZENITH.into_iter().find(|name| body.contains(name))
}

#[tokio::test]
async fn another_brands_objects_are_not_found_and_its_own_are() {
    let app = TestApp::seeded().await;
    let (acme, zenith) = setup(&app).await;
    let mut manager = app.logged_in(MANAGER).await;
    let mut admin = app.logged_in(ADMIN).await;
    for path in pages(&zenith) {
        let reply = manager.get(&path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: {}", reply.body);
        assert_eq!(names_zenith(&reply.body), None, "{path} names Zenith");
        let seen = admin.get(&path).await;
        assert_eq!(seen.status, StatusCode::OK, "the admin sees every brand: {path}");
    }
    for path in pages(&acme) {
        let reply = manager.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    }
    for path in lookups(&zenith) {
        let reply = manager.fetch(&path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: {}", reply.body);
        assert_eq!(names_zenith(&reply.body), None, "{path} names Zenith");
        assert_eq!(admin.fetch(&path).await.status, StatusCode::OK, "{path}");
    }
    for path in lookups(&acme) {
        let reply = manager.fetch(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    }
    // A proof file of Zenith is refused as if it didn't exist; the admin downloads it.
    let file = format!("/mdf/files/{}", zenith.file);
    assert_eq!(admin.get(&file).await.body, "%PDF");
}

/// A server function's JSON answer.
async fn json(browser: &mut Browser, path: &str) -> Value {
    let reply = browser.fetch(path).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// The count of tab `key` in a queue's `tabs`, whichever shape the queue gives them.
fn tab_count(queue: &Value, key: &str) -> i64 {
    queue["tabs"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|tab| match tab {
            Value::Array(t) if t[0] == key => t[2].as_i64(),
            Value::Object(t) if t["key"] == key => t["count"].as_i64(),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no tab {key} in {queue}"))
}

#[tokio::test]
async fn lists_counts_reports_and_the_audit_trail_show_only_the_operators_brands() {
    let app = TestApp::seeded().await;
    setup(&app).await;
    let mut manager = app.logged_in(MANAGER).await;
    let mut admin = app.logged_in(ADMIN).await;
    let lists = [
        "/console/commissions?partner=Quokka".to_owned(),
        "/console/deals?tab=all&q=deal%20co".to_owned(),
        "/console/mdf?tab=all".to_owned(),
        "/console/applications?q=Quokka".to_owned(),
        "/console/programs".to_owned(),
        "/console/reports/deals".to_owned(),
        "/console/audit".to_owned(),
        format!("{}?query[partner]=Quokka", CommissionQueue::PATH),
        format!("{}?tab=all", MdfQueue::PATH),
        format!("{}?q=Quokka", ListApplications::PATH),
        ListAudit::PATH.to_owned(),
        ConsolePrograms::PATH.to_owned(),
    ];
    for path in &lists {
        // Pages as a browser asks for them, server functions as the hydrated app calls them.
        let read = async |browser: &mut Browser| match path.starts_with("/api/") {
            true => browser.fetch(path).await,
            false => browser.get(path).await,
        };
        let mine = read(&mut manager).await;
        assert_eq!(mine.status, StatusCode::OK, "{path}: {}", mine.body);
        assert_eq!(names_zenith(&mine.body), None, "{path} shows Zenith to Acme's manager");
        let all = read(&mut admin).await;
        assert!(names_zenith(&all.body).is_some(), "{path} shows Zenith to the admin");
    }
    // The audit trail: Acme's manager sees neither Zenith's events nor those of no brand.
    let trail = manager.get("/console/audit").await.body;
    assert!(!trail.contains("installation.marker"));
    assert!(admin.get("/console/audit").await.body.contains("installation.marker"));

    // Queue counts: the admin's are the manager's plus Zenith's one item in each.
    let commissions = CommissionQueue::PATH;
    let (mine, all) = (
        json(&mut manager, commissions).await,
        json(&mut admin, commissions).await,
    );
    assert_eq!(tab_count(&all, "manager"), tab_count(&mine, "manager") + 1);
    let mdf = format!("{}?tab=all", MdfQueue::PATH);
    let (mine, all) = (json(&mut manager, &mdf).await, json(&mut admin, &mdf).await);
    assert_eq!((tab_count(&mine, "requests"), tab_count(&all, "requests")), (1, 2));
    assert_eq!((tab_count(&mine, "all"), tab_count(&all, "all")), (1, 2));
    let deals = format!("{}?query[tab]=all", DealQueue::PATH);
    let (mine, all) = (json(&mut manager, &deals).await, json(&mut admin, &deals).await);
    assert_eq!((tab_count(&mine, "all"), tab_count(&all, "all")), (1, 2));
    assert_eq!(
        (mine["extensions_waiting"].as_i64(), all["extensions_waiting"].as_i64()),
        (Some(1), Some(2))
    );
}

/// Everything a refused mutation must leave as it was, as one digest per table.
async fn snapshot(app: &TestApp) -> Vec<String> {
    let mut digests = Vec::new();
    for table in [
        "programs",
        "program_memberships",
        "commissions",
        "commission_decisions",
        "commission_plans",
        "partner_terms",
        "sub_partner_links",
        "deals",
        "deal_events",
        "deal_extensions",
        "products",
        "customer_domains",
        "deal_stage_probabilities",
        "mdf_funds",
        "mdf_balances",
        "mdf_allocations",
        "mdf_requests",
        "mdf_claims",
        "mdf_events",
        "links",
        "coupons",
        "api_keys",
        "audit_events",
        "email_outbox",
    ] {
        let sql = format!("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS v FROM {table} t");
        digests.push(format!("{table}: {}", app.text(&sql).await));
    }
    digests
}

#[tokio::test]
async fn every_mutation_on_another_brands_objects_is_not_found_and_changes_nothing() {
    let app = TestApp::seeded().await;
    let (acme, zenith) = setup(&app).await;
    let mut manager = app.logged_in(MANAGER).await;
    let mut scoped_admin = app.logged_in(SCOPED_ADMIN).await;
    let (p, partner) = (zenith.program.to_string(), zenith.partner.to_string());
    let (commission, deal, request, link) = (
        zenith.commission.to_string(),
        zenith.deal.to_string(),
        zenith.request.to_string(),
        zenith.link.to_string(),
    );
    let key = app
        .number(&format!("SELECT id AS n FROM api_keys WHERE program_id = {p}"))
        .await
        .to_string();
    let product = app
        .number(&format!("SELECT id AS n FROM products WHERE program_id = {p}"))
        .await
        .to_string();
    let plan = app
        .number("SELECT min(id) AS n FROM commission_plans")
        .await
        .to_string();
    let membership = zenith.membership.to_string();
    let batch = format!("{commission}:1");
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            DecideCommission::PATH,
            vec![("id", &commission), ("seen_seq", "1"), ("decision", "approve")],
        ),
        (DecideDeal::PATH, vec![("id", &deal), ("decision", "approve")]),
        (
            DecideExtension::PATH,
            vec![("id", &deal), ("decision", "approve"), ("reason", "")],
        ),
        (
            CorrectDeal::PATH,
            vec![("id", &deal), ("stage", "qualified"), ("value", "5"), ("note", "x")],
        ),
        (
            DecideMdf::PATH,
            vec![
                ("id", &request),
                ("what", "request"),
                ("decision", "approve"),
                ("amount", "10"),
            ],
        ),
        (
            DecideApplication::PATH,
            vec![("id", &membership), ("decision", "suspend"), ("reason", "x")],
        ),
        (SetLinkEnabled::PATH, vec![("link_id", &link), ("enabled", "false")]),
        (
            SaveProgramSettings::PATH,
            vec![
                ("id", &p),
                ("allowed_domains", "example.com"),
                ("default_landing_url", ""),
                ("cookie_days", "30"),
                ("attribution_model", "last_click"),
                ("click_param", "ref"),
            ],
        ),
        (
            AssignCoupon::PATH,
            vec![("program_id", &p), ("partner_id", &partner), ("code", "ZEN10")],
        ),
        (CreateApiKey::PATH, vec![("program_id", &p), ("name", "stolen")]),
        (RevokeApiKey::PATH, vec![("program_id", &p), ("key_id", &key)]),
        (CreatePlan::PATH, vec![("program_id", &p), ("fields[name]", "Plan")]),
        (MakeDefaultPlan::PATH, vec![("program_id", &p), ("plan_id", &plan)]),
        (AmendTerms::PATH, vec![("program_id", &p), ("plan_id", &plan)]),
        (
            SaveApprovalSettings::PATH,
            vec![
                ("program_id", &p),
                ("auto_approve_below", ""),
                ("finance_above", ""),
                ("lock_days", "30"),
                ("sla_remind_hours", "48"),
                ("sla_escalate_hours", "96"),
            ],
        ),
        (
            SaveDealRules::PATH,
            vec![
                ("program_id", &p),
                ("protection_days", "90"),
                ("sla_hours", "48"),
                ("existing_customer_policy", "warn"),
            ],
        ),
        (AddProduct::PATH, vec![("program_id", &p), ("name", "Stolen")]),
        (
            ArchiveProduct::PATH,
            vec![("program_id", &p), ("product_id", &product), ("archive", "yes")],
        ),
        (
            ImportCustomers::PATH,
            vec![("program_id", &p), ("csv", "stolen.example")],
        ),
        (
            SaveStageProbabilities::PATH,
            vec![
                ("program_id", &p),
                ("registered", "10"),
                ("qualified", "20"),
                ("proposal", "30"),
                ("negotiation", "40"),
            ],
        ),
        (CreateMdfFund::PATH, vec![("program_id", &p), ("name", "Stolen")]),
        (
            AllocateMdf::PATH,
            vec![("program_id", &p), ("target", "partner"), ("partner_id", &partner)],
        ),
        (
            SetPartnerTier::PATH,
            vec![("program_id", &p), ("partner_id", &partner), ("tier", "Gold")],
        ),
        (
            SaveTiers::PATH,
            vec![
                ("program_id", &p),
                ("fields[window_days]", "90"),
                ("fields[grace_days]", "30"),
                ("fields[t0_name]", "Gold"),
            ],
        ),
        (RunTierEvaluation::PATH, vec![("program_id", &p)]),
        (
            SaveSegment::PATH,
            vec![("program_id", &p), ("name", "Stolen"), ("fields[kind]", "reseller")],
        ),
        (DeleteSegment::PATH, vec![("program_id", &p), ("segment_id", "1")]),
        (
            app::api::two_factor::SetProgramTwoFactor::PATH,
            vec![("program_id", &p), ("required", "yes")],
        ),
        (
            SetPartnerTags::PATH,
            vec![("program_id", &p), ("partner_id", &partner), ("tags", "stolen")],
        ),
        (
            LockTier::PATH,
            vec![
                ("program_id", &p),
                ("partner_id", &partner),
                ("tier", ""),
                ("reason", "probe"),
            ],
        ),
        (UnlockTier::PATH, vec![("program_id", &p), ("partner_id", &partner)]),
        (
            ChangePartnerTerms::PATH,
            vec![("program_id", &p), ("partner_id", &partner), ("plan_id", &plan)],
        ),
        (
            SetPartnerFlag::PATH,
            vec![
                ("program_id", &p),
                ("partner_id", &partner),
                ("flag", "yes"),
                ("reason", "x"),
            ],
        ),
        (
            SetPartnerMaster::PATH,
            vec![("program_id", &p), ("partner_id", &partner), ("master_id", "")],
        ),
        (
            AdjustPartner::PATH,
            vec![
                ("program_id", &p),
                ("partner_id", &partner),
                ("amount", "5"),
                ("reason", "x"),
            ],
        ),
    ];
    let before = snapshot(&app).await;
    for (path, fields) in &calls {
        let reply = manager.submit(path, fields).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path} {fields:?}: {}", reply.body);
        assert_eq!(names_zenith(&reply.body), None, "{path} names Zenith");
    }
    // Claims are finance's: the admin limited to Acme (who may decide them) finds none of Zenith's.
    let claim = [
        ("id", request.as_str()),
        ("what", "claim"),
        ("decision", "reject"),
        ("reason", "x"),
    ];
    let reply = scoped_admin.submit(DecideMdf::PATH, &claim).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    assert_eq!(names_zenith(&reply.body), None, "the claim refusal names Zenith");
    // A batch skips what it can't find, with the same words as for a commission that doesn't exist.
    let skipped = manager.submit(ApproveSelected::PATH, &[("ids[]", &batch)]).await;
    assert_eq!(skipped.status, StatusCode::OK, "{}", skipped.body);
    let result: Value = serde_json::from_str(&skipped.body).unwrap();
    assert_eq!(result["approved"].as_array().map(Vec::len), Some(0), "{result}");
    assert_eq!(snapshot(&app).await, before, "a refused mutation changes nothing");

    // The same calls on Acme's own objects go through.
    let own = [
        (
            DecideCommission::PATH,
            acme.commission,
            vec![("seen_seq", "1"), ("decision", "approve")],
        ),
        (DecideDeal::PATH, acme.deal, vec![("decision", "approve")]),
        (
            DecideMdf::PATH,
            acme.request,
            vec![("what", "request"), ("decision", "approve"), ("amount", "10")],
        ),
    ];
    for (path, id, mut fields) in own {
        let id = id.to_string();
        fields.push(("id", &id));
        let reply = manager.submit(path, &fields).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    }
    let link = acme.link.to_string();
    let reply = manager
        .submit(SetLinkEnabled::PATH, &[("link_id", &link), ("enabled", "false")])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn the_mailbox_is_only_for_operators_who_see_every_brand() {
    let app = TestApp::seeded().await;
    setup(&app).await;
    let mut scoped = app.logged_in(SCOPED_ADMIN).await;
    assert_eq!(scoped.get("/console/outbox").await.status, StatusCode::FORBIDDEN);
    assert_eq!(scoped.fetch(ListOutbox::PATH).await.status, StatusCode::FORBIDDEN);
    let mut admin = app.logged_in(ADMIN).await;
    assert_eq!(admin.get("/console/outbox").await.status, StatusCode::OK);
    assert_eq!(admin.fetch(ListOutbox::PATH).await.status, StatusCode::OK);
}
