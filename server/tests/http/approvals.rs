//! Commission approvals, the partner's ledger and terms, and sub-partner invitations over HTTP:
//! roles per stage, stale decisions, batch approval with explained exceptions, partner scoping,
//! and the join flow's invitation code. Refused decisions write nothing.

use crate::support::{Browser, Reply, TestApp};
use app::api::approvals::{ApproveSelected, DecideCommission};
use app::api::join::SubmitApplication;
use app::api::my_terms::CreateInviteLink;
use app::api::review::DecideApplication;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};

struct Approvals {
    app: TestApp,
    key: String,
}

impl Approvals {
    async fn new() -> Self {
        let app = TestApp::seeded().await;
        let key = trellis::commands::api_key::create(app.db.url(), "acme-affiliates", "tests")
            .await
            .unwrap();
        Self { app, key }
    }

    /// A sale credited to Bright Reviews through its coupon; returns its accrual's id. The demo
    /// plan pays 20%: 200.00 earns 40.00 (a manager decides), 4000.00 earns 800.00 (a manager,
    /// then finance).
    async fn sale(&self, order: &str, amount: &str) -> i64 {
        let body = json!({"order_id": order, "amount": amount, "currency": "EUR", "coupon": "BRIGHT20"});
        let request = Request::post("/api/v1/conversions")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {}", self.key))
            .body(Body::from(body.to_string()))
            .unwrap();
        let reply = self.app.browser().send(request).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        self.app
            .number(&format!(
                "SELECT c.id AS n FROM commissions c JOIN conversions v ON v.id = c.conversion_id
                 WHERE v.order_id = '{order}' AND c.kind = 'commission'"
            ))
            .await
    }

    async fn decisions(&self, id: i64) -> i64 {
        self.app
            .number(&format!(
                "SELECT count(*) AS n FROM commission_decisions WHERE commission_id = {id}"
            ))
            .await
    }

    async fn state(&self, id: i64) -> String {
        self.app
            .text(&format!(
                "SELECT status || coalesce('/' || stage, '') AS v FROM commission_decisions
                 WHERE commission_id = {id} ORDER BY seq DESC LIMIT 1"
            ))
            .await
    }
}

async fn decide(browser: &mut Browser, id: i64, seen: i32, decision: &str, reason: &str) -> Reply {
    let (id, seen) = (id.to_string(), seen.to_string());
    browser
        .submit(
            DecideCommission::PATH,
            &[
                ("id", &id),
                ("seen_seq", &seen),
                ("decision", decision),
                ("reason", reason),
            ],
        )
        .await
}

#[tokio::test]
async fn finance_cannot_decide_the_manager_stage_and_a_refusal_writes_nothing() {
    let t = Approvals::new().await;
    let id = t.sale("Q-1", "200.00").await;
    assert_eq!(t.state(id).await, "pending/manager");
    let mut finance = t.app.logged_in("finance@acme.test").await;
    let mut manager = t.app.logged_in("manager@acme.test").await;
    let audit = t.app.count("audit_events").await;
    let refused = decide(&mut finance, id, 1, "approve", "").await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused
            .body
            .contains(&format!("Commission #{id}: A partner manager decides this")),
        "{}",
        refused.body
    );
    let rejected = decide(&mut finance, id, 1, "reject", "looks odd").await;
    assert_eq!(rejected.status, StatusCode::CONFLICT, "{}", rejected.body);
    // A reason is required for a rejection, whoever asks.
    let blank = decide(&mut manager, id, 1, "reject", "   ").await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST);
    assert!(blank.body.contains("Say why you reject commission"), "{}", blank.body);
    let junk = decide(&mut manager, id, 1, "pay-twice", "").await;
    assert_eq!(junk.status, StatusCode::BAD_REQUEST);
    let missing = decide(&mut manager, 999_999, 1, "approve", "").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(t.decisions(id).await, 1, "no decision was written");
    assert_eq!(t.app.count("audit_events").await, audit);
    // The partner manager may, and the page without JavaScript gets a flash.
    let token = manager.token().await;
    let (id_text, seen) = (id.to_string(), "1".to_string());
    let plain = manager
        .post_form(
            DecideCommission::PATH,
            &[
                ("csrf_token", &token),
                ("id", &id_text),
                ("seen_seq", &seen),
                ("decision", "approve"),
            ],
        )
        .await;
    assert!(plain.status.is_redirection(), "{}", plain.status);
    assert_eq!(t.state(id).await, "approved");
    let page = manager.get("/console/commissions").await;
    assert!(
        page.body.contains(&format!("Commission #{id} approved.")),
        "flash shown once"
    );
}

#[tokio::test]
async fn a_stale_decision_is_a_409_with_the_message_and_no_new_row() {
    let t = Approvals::new().await;
    let id = t.sale("Q-2", "4000.00").await;
    let mut manager = t.app.logged_in("manager@acme.test").await;
    let first = decide(&mut manager, id, 1, "approve", "").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.body.contains("waits for finance"), "{}", first.body);
    assert_eq!(t.state(id).await, "pending/finance");
    // An admin still looking at decision 1 holds it: refused, named, nothing written.
    let mut admin = t.app.logged_in("admin@acme.test").await;
    let stale = decide(&mut admin, id, 1, "hold", "checking the traffic").await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(
        stale
            .body
            .contains("Someone decided this commission first: Morgan Manager made it")
            && stale.body.contains("waiting for finance"),
        "{}",
        stale.body
    );
    assert_eq!(t.decisions(id).await, 2);
    // The finance page lists it with its current number, and finance approves it.
    let page = admin.get("/console/commissions?tab=finance").await;
    assert!(
        page.body.contains("Q-2") && page.body.contains("EUR 800.00"),
        "{}",
        page.body
    );
    let mut finance = t.app.logged_in("finance@acme.test").await;
    assert_eq!(decide(&mut finance, id, 2, "approve", "").await.status, StatusCode::OK);
    assert_eq!(t.state(id).await, "approved");
    assert_eq!(t.decisions(id).await, 3);
}

#[tokio::test]
async fn batch_approval_approves_what_it_can_and_explains_each_skip() {
    let t = Approvals::new().await;
    let small = t.sale("B-1", "200.00").await;
    let big = t.sale("B-2", "4000.00").await;
    let mine = t.sale("B-3", "4000.00").await;
    let mut admin = t.app.logged_in("admin@acme.test").await;
    assert_eq!(decide(&mut admin, mine, 1, "approve", "").await.status, StatusCode::OK);
    // Each box carries the decision number its row showed; `mine` is at its second.
    let ids = [(small, 1), (big, 1), (mine, 2), (999_999, 1)].map(|(id, seq)| format!("{id}:{seq}"));
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|id| ("ids[]", id.as_str())).collect();
    fields.push(("ids[]", ids[0].as_str()));
    let reply = admin.submit(ApproveSelected::PATH, &fields).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let result: Value = serde_json::from_str(&reply.body).unwrap();
    let approved: Vec<i64> = result["approved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect();
    assert_eq!(approved, [small, big], "a duplicate id is approved once");
    let skipped = result["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2);
    assert_eq!(skipped[0]["id"], mine);
    assert_eq!(
        skipped[0]["text"],
        "You approved the manager stage; someone else must approve for finance."
    );
    assert_eq!(skipped[1]["id"], 999_999);
    assert_eq!(t.state(small).await, "approved");
    assert_eq!(t.state(big).await, "pending/finance");
    assert_eq!(t.state(mine).await, "pending/finance");
    assert_eq!(t.decisions(mine).await, 2, "the skipped one is untouched");
    // Nothing ticked: a message, no write. A viewer-free role check: partners are refused.
    let before = t.app.count("commission_decisions").await;
    let none = admin.submit(ApproveSelected::PATH, &[]).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert!(none.body.contains("Tick the commissions"), "{}", none.body);
    // A box whose row is out of date is skipped with the reason, and nothing is written.
    let stale = format!("{big}:1");
    let reply = admin.submit(ApproveSelected::PATH, &[("ids[]", &stale)]).await;
    let result: Value = serde_json::from_str(&reply.body).unwrap();
    assert!(result["skipped"][0]["text"]
        .as_str()
        .unwrap()
        .contains("decided this commission first"));
    let bad = admin.submit(ApproveSelected::PATH, &[("ids[]", "12;drop")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(t.app.count("commission_decisions").await, before);
    let mut ana = t.app.logged_in("ana@brightreviews.test").await;
    let id = format!("{big}:2");
    let partner = ana.submit(ApproveSelected::PATH, &[("ids[]", &id)]).await;
    assert_eq!(partner.status, StatusCode::FORBIDDEN);
    assert_eq!(t.app.count("commission_decisions").await, before);
    // Without JavaScript the same form posts, redirects and shows the result as a message.
    let mut finance = t.app.logged_in("finance@acme.test").await;
    let token = finance.token().await;
    let plain = finance
        .post_form(ApproveSelected::PATH, &[("csrf_token", &token), ("ids[]", &id)])
        .await;
    assert!(plain.status.is_redirection(), "{}", plain.status);
    assert_eq!(t.state(big).await, "approved");
    let page = finance.get("/console/commissions").await;
    assert!(page.body.contains("Approved 1 of 1 selected."), "{}", page.body);
}

#[tokio::test]
async fn partners_see_only_their_own_ledger_and_refunds_show_as_negative_entries() {
    let t = Approvals::new().await;
    let id = t.sale("ANA-SECRET-1", "200.00").await;
    let mut manager = t.app.logged_in("manager@acme.test").await;
    assert_eq!(decide(&mut manager, id, 1, "approve", "").await.status, StatusCode::OK);
    let refund = Request::post("/api/v1/conversions/ANA-SECRET-1/refunds")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {}", t.key))
        .body(Body::from(json!({"refund_id": "RF-1", "amount": "100.00"}).to_string()))
        .unwrap();
    let refunded = t.app.browser().send(refund).await;
    assert!(refunded.status.is_success(), "{}", refunded.body);

    let mut ana = t.app.logged_in("ana@brightreviews.test").await;
    let mine = ana.get("/portal/commissions").await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.contains("ANA-SECRET-1"), "{}", mine.body);
    assert!(mine.body.contains("-EUR 20.00") && mine.body.contains("Refund reversal"));
    // 40.00 approved and locked, less the 20.00 reversal.
    assert!(mine.body.contains("EUR 20.00"), "{}", mine.body);
    let terms = ana.get("/portal/terms").await;
    assert!(terms.body.contains("Creators 2026"), "{}", terms.body);

    let mut lumen = t.app.logged_in("hello@lumenmedia.test").await;
    let theirs = lumen.get("/portal/commissions").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(
        !theirs.body.contains("ANA-SECRET-1"),
        "another partner's entries stay private"
    );
    assert!(theirs.body.contains("No commission entries yet"));
    let program = t
        .app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await;
    let filtered = lumen
        .get(&format!("/portal/commissions?program={program}&standing=approved"))
        .await;
    assert!(!filtered.body.contains("ANA-SECRET-1"));
    assert_eq!(
        lumen.get(&format!("/console/commissions/{id}")).await.status,
        StatusCode::FORBIDDEN
    );
    let detail = format!("{}?id={id}", app::api::approvals::CommissionDetail::PATH);
    assert_eq!(lumen.fetch(&detail).await.status, StatusCode::FORBIDDEN);
    // Staff see the whole story: terms, inputs, decisions and the reversal.
    let page = manager.get(&format!("/console/commissions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Creators 2026",
        "Sale amount",
        "Morgan Manager",
        "Refund reversal",
        "-EUR 20.00",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
}

#[tokio::test]
async fn joining_through_an_invitation_and_being_approved_links_the_master() {
    let t = Approvals::new().await;
    let mut ana = t.app.logged_in("ana@brightreviews.test").await;
    let terms = ana.get("/portal/terms").await;
    assert!(terms.body.contains("Make my invitation link"), "{}", terms.body);
    assert_eq!(
        t.app.count("sub_partner_invites").await,
        0,
        "reading the page makes nothing"
    );
    let program = t
        .app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string();
    for _ in 0..2 {
        let made = ana.submit(CreateInviteLink::PATH, &[("program_id", &program)]).await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    }
    let terms = ana.get("/portal/terms").await;
    let code = t.app.text("SELECT code AS v FROM sub_partner_invites").await;
    assert!(
        terms.body.contains(&format!("/join/acme-affiliates?invite={code}")),
        "{}",
        terms.body
    );
    assert_eq!(t.app.count("sub_partner_invites").await, 1, "one code per master");

    let mut visitor = t.app.browser();
    let form = visitor.get(&format!("/join/acme-affiliates?invite={code}")).await;
    assert!(form.body.contains(&format!("value=\"{code}\"")), "the code rides along");
    let token = form.csrf_token();
    let apply = |email: &'static str, slug: &'static str, invite: String| {
        vec![
            ("csrf_token", token.clone()),
            ("program_slug", slug.to_owned()),
            ("name", format!("Sub {email}")),
            ("email", email.to_owned()),
            ("website", String::new()),
            ("kind", "creator".to_owned()),
            ("country", "DE".to_owned()),
            ("promotion_plan", "A newsletter".to_owned()),
            ("accept_terms", "yes".to_owned()),
            ("invite", invite),
        ]
    };
    for (email, slug, invite) in [
        ("sub@example.com", "acme-affiliates", code.clone()),
        ("stray@example.com", "acme-affiliates", "NoSuchCode123".to_owned()),
        ("other@example.com", "acme-resellers", code.clone()),
    ] {
        let fields = apply(email, slug, invite);
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = visitor.call(SubmitApplication::PATH, &refs).await;
        assert!(reply.status.is_success(), "{email}: {} {}", reply.status, reply.body);
    }
    let invited_by = |email: &str| {
        format!(
            "SELECT coalesce(m.invited_by, 0) AS n FROM program_memberships m
             JOIN partners p ON p.id = m.partner_id WHERE p.email = '{email}'"
        )
    };
    let ana_id = t
        .app
        .number("SELECT id AS n FROM partners WHERE email = 'ana@brightreviews.test'")
        .await;
    assert_eq!(t.app.number(&invited_by("sub@example.com")).await, ana_id);
    assert_eq!(t.app.number(&invited_by("stray@example.com")).await, 0);
    assert_eq!(
        t.app.number(&invited_by("other@example.com")).await,
        0,
        "a code only counts in its own program"
    );

    let membership = t
        .app
        .number(
            "SELECT m.id AS n FROM program_memberships m JOIN partners p ON p.id = m.partner_id
             WHERE p.email = 'sub@example.com'",
        )
        .await
        .to_string();
    let mut manager = t.app.logged_in("manager@acme.test").await;
    let approved = manager
        .submit(
            DecideApplication::PATH,
            &[("id", &membership), ("decision", "approve"), ("reason", "")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let master = t
        .app
        .number(
            "SELECT l.master_id AS n FROM sub_partner_links l JOIN partners p ON p.id = l.partner_id
             WHERE p.email = 'sub@example.com'",
        )
        .await;
    assert_eq!(master, ana_id);
    let terms = ana.get("/portal/terms").await;
    assert!(terms.body.contains("Sub sub@example.com"), "{}", terms.body);
}
