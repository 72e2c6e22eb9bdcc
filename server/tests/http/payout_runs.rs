//! Payout runs over HTTP: finance makes a run, its maker can't approve it, the admin approves it
//! once, the SEPA file downloads (audited) only after approval, a settlement file with unknown
//! references or different amounts applies nothing, an item is marked paid, Ana reads her
//! statement and another partner's statement id is not found; managers, viewers and partners
//! get 403 from every finance action, and nothing changes when they are refused.

use crate::support::{multipart, post_plain, Browser, TestApp};
use app::api::payout_details::{SavePayoutMethod, SaveTaxDetails};
use app::api::payout_runs::{ApprovePayoutRun, CreatePayoutRun, DiscardPayoutRun, SettlePayoutItem};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

const ANA: &str = "ana@brightreviews.test";
const IBAN: &str = "DE89370400440532013000";

async fn footprint(app: &TestApp) -> Vec<i64> {
    vec![
        app.count("payout_runs").await,
        app.count("payout_items").await,
        app.number("SELECT count(*) AS n FROM payout_item_entries WHERE NOT released")
            .await,
        app.number("SELECT count(*) AS n FROM payout_runs WHERE status <> 'draft'")
            .await,
        app.number("SELECT count(*) AS n FROM payout_items WHERE status <> 'open'")
            .await,
        app.count("email_outbox").await,
    ]
}

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

/// Ana gives SEPA details and a W-8BEN, and is owed a payable EUR 180 bonus.
async fn ana_is_owed(app: &TestApp) -> Browser {
    let mut ana = app.logged_in(ANA).await;
    let saved = ana
        .submit(
            SavePayoutMethod::PATH,
            &[
                ("currency", "EUR"),
                ("kind", "sepa"),
                ("account_holder", "Ana Reyes"),
                ("iban", IBAN),
                ("bic", "COBADEFFXXX"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let tax = ana
        .submit(
            SaveTaxDetails::PATH,
            &[
                ("form", "w8ben"),
                ("legal_name", "Ana Reyes"),
                ("address", "Torstraße 12, Berlin"),
                ("country", "DE"),
                ("invoice_name", "Bright Reviews"),
                ("invoice_address", "Torstraße 12, Berlin"),
            ],
        )
        .await;
    assert_eq!(tax.status, StatusCode::OK, "{}", tax.body);
    app.execute(
        "WITH e AS (
            INSERT INTO commissions (program_id, partner_id, kind, amount, currency, explanation, reason, created_by, payable_at, created_at)
            SELECT p.id, pa.id, 'adjustment', 180, 'EUR', 'adjustment: launch bonus', 'Launch bonus', u.id, now() - interval '2 days', now() - interval '2 days'
            FROM programs p, partners pa, users u
            WHERE p.slug = 'acme-affiliates' AND pa.email = 'ana@brightreviews.test' AND u.email = 'admin@acme.test'
            RETURNING id, created_by)
         INSERT INTO commission_decisions (commission_id, seq, status, actor_id, reason)
         SELECT id, 1, 'approved', created_by, 'approved' FROM e",
    )
    .await;
    ana
}

async fn make_run(app: &TestApp, finance: &mut Browser) -> i64 {
    let made = finance
        .submit(CreatePayoutRun::PATH, &[("brand_id", "all"), ("as_of", &today())])
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    app.number("SELECT max(id) AS n FROM payout_runs").await
}

#[tokio::test]
async fn finance_makes_a_run_a_second_person_approves_it_and_the_item_is_paid_with_its_statement() {
    let app = TestApp::seeded().await;
    let mut ana = ana_is_owed(&app).await;
    let mut finance = app.logged_in("finance@acme.test").await;
    let run = make_run(&app, &mut finance).await;
    let item = app
        .number(&format!("SELECT id AS n FROM payout_items WHERE run_id = {run}"))
        .await;
    assert_eq!(
        app.number(&format!(
            "SELECT amount::bigint AS n FROM payout_items WHERE id = {item}"
        ))
        .await,
        180
    );
    let page = finance.get(&format!("/console/payouts/{run}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Bright Reviews") && page.body.contains("EUR 180.00"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("someone else in finance approves it"),
        "the maker is told"
    );
    assert!(page.body.contains("Nothing was held back"), "{}", page.body);
    assert!(!page.body.contains(IBAN), "never the whole IBAN on a page");

    // The files wait for approval.
    let early = finance.get(&format!("/console/payouts/{run}/sepa/1")).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);

    // Its maker can't approve it; marking paid before approval is refused; nothing changes.
    let before = footprint(&app).await;
    let own = finance
        .submit(ApprovePayoutRun::PATH, &[("id", &run.to_string())])
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT, "{}", own.body);
    assert!(own.body.contains("someone else in finance"), "{}", own.body);
    let paid_early = finance
        .submit(
            SettlePayoutItem::PATH,
            &[
                ("run_id", &run.to_string()),
                ("item_id", &item.to_string()),
                ("outcome", "paid"),
                ("paid_on", &today()),
                ("bank_reference", "B-1"),
            ],
        )
        .await;
    assert_eq!(paid_early.status, StatusCode::CONFLICT, "{}", paid_early.body);
    assert_eq!(footprint(&app).await, before);

    let mut admin = app.logged_in("admin@acme.test").await;
    let approved = admin.submit(ApprovePayoutRun::PATH, &[("id", &run.to_string())]).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let before = footprint(&app).await;
    let twice = admin.submit(ApprovePayoutRun::PATH, &[("id", &run.to_string())]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    let discard = admin.submit(DiscardPayoutRun::PATH, &[("id", &run.to_string())]).await;
    assert_eq!(discard.status, StatusCode::CONFLICT, "an approved run is locked");
    assert_eq!(footprint(&app).await, before);

    // The bank file needs the brand's account first; then it downloads, audited.
    let brand = app
        .number("SELECT brand_id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await;
    app.execute(&format!(
        "INSERT INTO brand_payout_settings (brand_id, debtor_iban, debtor_bic, self_billing, invoice_prefix)
         VALUES ({brand}, 'FR1420041010050500013M02606', 'PSSTFRPPXXX', TRUE, 'AC-')"
    ))
    .await;
    let sepa = finance.get(&format!("/console/payouts/{run}/sepa/{brand}")).await;
    assert_eq!(sepa.status, StatusCode::OK, "{}", sepa.body);
    assert!(
        sepa.body.contains("pain.001.001.03")
            && sepa.body.contains(IBAN)
            && sepa.body.contains("<CtrlSum>180.00</CtrlSum>")
    );
    assert_eq!(
        app.number("SELECT count(*) AS n FROM audit_events WHERE action = 'payout_run.sepa_downloaded'")
            .await,
        1
    );
    let generic = finance.get(&format!("/console/payouts/{run}/export/generic")).await;
    assert_eq!(generic.status, StatusCode::OK);
    assert!(
        generic.body.contains("•••• 3000") && !generic.body.contains(IBAN),
        "{}",
        generic.body
    );

    // A settlement file with an unknown reference and a wrong amount applies nothing.
    let reference = app
        .text(&format!("SELECT reference AS v FROM payout_items WHERE id = {item}"))
        .await;
    let bad = format!(
        "reference,status,amount,date,bank_reference,reason\r\n{reference},paid,179.00,{},B-9,\r\nTR999-9-9-EUR,paid,5.00,{},B-8,\r\n",
        today(),
        today()
    );
    let before = footprint(&app).await;
    let token = finance.token().await;
    let reply = finance
        .send(multipart(
            &format!("/console/payouts/{run}/settlement"),
            &token,
            &[],
            &[("file", "bank.csv", bad.as_bytes())],
            "text/csv",
        ))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(footprint(&app).await, before, "nothing applied");
    let page = finance.get(&format!("/console/payouts/{run}")).await.body;
    assert!(
        page.contains("TR999-9-9-EUR") && page.contains("EUR 179.00") && page.contains("Nothing was applied"),
        "{page}"
    );

    // The right file applies: the item is paid, numbered, the run complete, Ana emailed.
    let good = format!(
        "Reference,Status,Amount,Date,Bank_Reference,Reason\r\n{reference},paid,180.00,{},SEPA-7781,\r\n",
        today()
    );
    let token = finance.token().await;
    let reply = finance
        .send(multipart(
            &format!("/console/payouts/{run}/settlement"),
            &token,
            &[],
            &[("file", "bank.csv", good.as_bytes())],
            "text/csv",
        ))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.text(&format!(
            "SELECT status || ' ' || invoice_number AS v FROM payout_items WHERE id = {item}"
        ))
        .await,
        "paid AC-000001"
    );
    assert_eq!(
        app.text(&format!("SELECT status AS v FROM payout_runs WHERE id = {run}"))
            .await,
        "complete"
    );
    let email = app
        .text("SELECT body_text AS v FROM email_outbox WHERE subject LIKE 'Acme Cloud sent you%'")
        .await;
    assert!(email.contains(&format!("/portal/payouts/statements/{item}")), "{email}");

    // Ana sees it paid and opens her statement; another partner's id is not found.
    let payouts = ana.get("/portal/payouts").await.body;
    assert!(
        payouts.contains("Paid") && payouts.contains("Open statement"),
        "{payouts}"
    );
    let statement = ana.get(&format!("/portal/payouts/statements/{item}")).await;
    assert_eq!(statement.status, StatusCode::OK);
    assert!(
        statement.body.contains("Self-billing invoice AC-000001")
            && statement.body.contains("Launch bonus")
            && statement.body.contains("EUR 180.00"),
        "{}",
        statement.body
    );
    let mut lumen = app.logged_in("hello@lumenmedia.test").await;
    let probe = lumen.get(&format!("/portal/payouts/statements/{item}")).await;
    assert_eq!(probe.status, StatusCode::NOT_FOUND, "another partner's statement");
    assert!(!probe.body.contains("Launch bonus"));
}

#[tokio::test]
async fn managers_viewers_and_partners_get_403_from_every_finance_action_and_change_nothing() {
    let app = TestApp::seeded().await;
    let _ana = ana_is_owed(&app).await;
    let mut finance = app.logged_in("finance@acme.test").await;
    let run = make_run(&app, &mut finance).await;
    let item = app
        .number(&format!("SELECT id AS n FROM payout_items WHERE run_id = {run}"))
        .await;
    let (run, item) = (run.to_string(), item.to_string());
    let before = footprint(&app).await;
    for who in ["manager@acme.test", ANA] {
        let mut someone = app.logged_in(who).await;
        let calls: [(&str, Vec<(&str, &str)>); 4] = [
            (
                CreatePayoutRun::PATH,
                vec![("brand_id", "all"), ("as_of", "2026-01-01")],
            ),
            (ApprovePayoutRun::PATH, vec![("id", &run)]),
            (DiscardPayoutRun::PATH, vec![("id", &run)]),
            (
                SettlePayoutItem::PATH,
                vec![
                    ("run_id", &run),
                    ("item_id", &item),
                    ("outcome", "failed"),
                    ("reason", "no"),
                ],
            ),
        ];
        for (path, fields) in calls {
            let reply = someone.submit(path, &fields).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who} {path}: {}", reply.body);
        }
        for file in [
            format!("/console/payouts/{run}/sepa/1"),
            format!("/console/payouts/{run}/export/paypal"),
        ] {
            let reply = someone.get(&file).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who} {file}");
        }
    }
    // Without JavaScript too: the manager's plain form post is refused.
    let mut manager = app.logged_in("manager@acme.test").await;
    let plain = post_plain(
        &mut manager,
        ApprovePayoutRun::PATH,
        &format!("/console/payouts/{run}"),
        &[("id", &run)],
    )
    .await;
    assert_ne!(plain.status, StatusCode::OK);
    assert_eq!(footprint(&app).await, before, "refusals change nothing");
}
