//! Payout details over HTTP: the owner saves a SEPA method and tax details and sees only the last
//! four; the owner is emailed and the change audited, masked; a mistyped IBAN, a BIC of the wrong
//! length, a routing number that fails its checksum or a currency no program pays in is refused
//! with its reason and changes nothing, with and without JavaScript; members and operators can't
//! change a partner's details.

use crate::support::{post_plain, TestApp};
use app::api::payout_details::{MyPayoutDetails, SavePayoutMethod, SaveTaxDetails};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

const ANA: &str = "ana@brightreviews.test";
const IBAN: &str = "DE89370400440532013000";

/// A form's fields, as (name, value).
type Fields<'a> = Vec<(&'a str, &'a str)>;

async fn footprint(app: &TestApp) -> Vec<i64> {
    vec![
        app.count("payout_methods").await,
        app.count("tax_profiles").await,
        app.count("email_outbox").await,
        app.number(
            "SELECT count(*) AS n FROM audit_events WHERE action IN ('payout_method.saved', 'tax_profile.saved')",
        )
        .await,
    ]
}

fn sepa<'a>(iban: &'a str, bic: &'a str) -> Fields<'a> {
    vec![
        ("currency", "EUR"),
        ("kind", "sepa"),
        ("account_holder", "Ana Reyes"),
        ("iban", iban),
        ("bic", bic),
    ]
}

#[tokio::test]
async fn the_owner_saves_a_sepa_method_and_tax_details_and_sees_only_the_last_four() {
    let app = TestApp::seeded().await;
    let mut ana = app.logged_in(ANA).await;
    let saved = ana
        .submit(
            SavePayoutMethod::PATH,
            &sepa("DE89 3704 0044 0532 0130 00", "cobadeffxxx"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let page = ana.get("/portal/payouts").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("SEPA •••• 3000 (COBADEFFXXX)"), "{}", page.body);
    assert!(
        !page.body.contains(IBAN) && !page.body.contains("3704 0044"),
        "never the whole IBAN"
    );
    assert!(page.body.contains("Ready"), "first details aren't held");
    let email = app
        .text("SELECT body_text AS v FROM email_outbox WHERE subject = 'Your payout details changed'")
        .await;
    assert!(email.contains("SEPA •••• 3000") && !email.contains(IBAN), "{email}");
    let audit = app
        .text("SELECT after::text AS v FROM audit_events WHERE action = 'payout_method.saved'")
        .await;
    assert!(audit.contains("•••• 3000") && !audit.contains(IBAN), "{audit}");

    let tax = ana
        .submit(
            SaveTaxDetails::PATH,
            &[
                ("form", "w8ben"),
                ("legal_name", "Ana Reyes"),
                ("address", "Calle Mayor 1, Madrid"),
                ("country", "ES"),
                ("treaty_article", "Article 7"),
                ("vat_id", "ESX1234567X"),
                ("invoice_name", "Ana Reyes"),
                ("invoice_address", "Calle Mayor 1, 28013 Madrid"),
            ],
        )
        .await;
    assert_eq!(tax.status, StatusCode::OK, "{}", tax.body);
    let details = ana.fetch(MyPayoutDetails::PATH).await.body;
    assert!(details.contains("W-8BEN") && details.contains("•••• 567X"), "{details}");
    assert!(!details.contains("ESX1234567X"), "the VAT id is masked");

    // A change of method is held for the review period and emailed again.
    let other = app::domain::payouts::iban::with_check_digits("DE", "370400440532013001");
    let changed = ana.submit(SavePayoutMethod::PATH, &sepa(&other, "COBADEFFXXX")).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let page = ana.get("/portal/payouts").await.body;
    assert!(page.contains("Held for review until"), "{page}");
    assert_eq!(
        app.count("payout_methods").await,
        2,
        "the old method is kept as history"
    );
    assert_eq!(
        app.number("SELECT count(*) AS n FROM email_outbox WHERE subject = 'Your payout details changed'")
            .await,
        3
    );
}

#[tokio::test]
async fn bad_bank_details_are_refused_with_their_reason_and_change_nothing() {
    let app = TestApp::seeded().await;
    let mut ana = app.logged_in(ANA).await;
    let before = footprint(&app).await;
    let cases: [(Fields, &str, &str); 5] = [
        (
            sepa("DE89 3704 0044 0532 0130 01", "COBADEFFXXX"),
            "iban",
            "check digits don",
        ),
        (sepa(IBAN, "COBADEF"), "bic", "8 or 11 characters"),
        (
            vec![
                ("currency", "EUR"),
                ("kind", "us_bank"),
                ("account_holder", "Ana"),
                ("account_number", "123456789"),
                ("routing_number", "021000022"),
            ],
            "kind",
            "USD only",
        ),
        (
            vec![("currency", "USD"), ("kind", "paypal"), ("email", "ana@example.com")],
            "currency",
            "None of your programs pays in USD",
        ),
        (
            vec![("currency", "EUR"), ("kind", "cheque")],
            "kind",
            "Choose how you want to be paid",
        ),
    ];
    for (fields, field, message) in cases {
        let reply = ana.submit(SavePayoutMethod::PATH, &fields).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{field}: {}", reply.body);
        assert!(
            reply.body.contains(field) && reply.body.contains(message),
            "{field}: {}",
            reply.body
        );
        assert!(!reply.body.contains("3704"), "the account isn't sent back");
    }
    let no_instructions = ana
        .submit(
            SavePayoutMethod::PATH,
            &[("currency", "EUR"), ("kind", "other"), ("instructions", "")],
        )
        .await;
    assert!(
        no_instructions.body.contains("Instructions is required."),
        "{}",
        no_instructions.body
    );
    let w9 = ana
        .submit(
            SaveTaxDetails::PATH,
            &[
                ("form", "w9"),
                ("legal_name", "Ana"),
                ("entity_type", "llc"),
                ("tin", "12-345"),
                ("address", "Austin"),
                ("invoice_name", "Ana"),
                ("invoice_address", "Austin"),
            ],
        )
        .await;
    assert!(w9.body.contains("An SSN or EIN has nine digits."), "{}", w9.body);
    assert_eq!(footprint(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn without_javascript_a_wrong_iban_comes_back_beside_its_field_and_the_rest_is_kept() {
    let app = TestApp::seeded().await;
    let mut ana = app.logged_in(ANA).await;
    let before = footprint(&app).await;
    let reply = post_plain(
        &mut ana,
        SavePayoutMethod::PATH,
        "/portal/payouts",
        &sepa("DE89 3704 0044 0532 0130 01", "COBADEFFXXX"),
    )
    .await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let back = reply.location().trim_start_matches("http://localhost").to_owned();
    assert!(back.starts_with("/portal/payouts") && back.contains("__err="), "{back}");
    let page = ana.get(&back).await.body;
    assert!(page.contains("check digits don"), "the error shows beside the IBAN");
    assert!(page.contains("value=\"Ana Reyes\""), "the holder is kept");
    assert!(page.contains("value=\"COBADEFFXXX\""), "the BIC is kept");
    assert!(!page.contains("0532 0130 01"), "the IBAN is not put back in the page");
    assert_eq!(footprint(&app).await, before);

    let reply = post_plain(
        &mut ana,
        SavePayoutMethod::PATH,
        "/portal/payouts",
        &sepa(IBAN, "COBADEFFXXX"),
    )
    .await;
    assert!(reply.status.is_redirection());
    let page = ana.get(reply.location()).await.body;
    assert!(page.contains("Payout method for EUR saved."), "the flash message");
    assert!(page.contains("SEPA •••• 3000"));
}

#[tokio::test]
async fn members_and_operators_cannot_see_or_change_payout_details() {
    let app = TestApp::seeded().await;
    let mut ana = app.logged_in(ANA).await;
    assert_eq!(
        ana.submit(SavePayoutMethod::PATH, &sepa(IBAN, "COBADEFFXXX"))
            .await
            .status,
        StatusCode::OK
    );
    app.execute(
        "INSERT INTO users (email, display_name, password_hash, kind, partner_id, partner_role, is_active, created_at) \
         SELECT 'member@brightreviews.test', 'Mo Member', password_hash, kind, partner_id, 'member', true, now() \
         FROM users WHERE email = 'ana@brightreviews.test'",
    )
    .await;
    let before = footprint(&app).await;
    let mut member = app.logged_in("member@brightreviews.test").await;
    let seen = member.fetch(MyPayoutDetails::PATH).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(
        seen.body.contains("\"is_owner\":false") && !seen.body.contains("3000"),
        "{}",
        seen.body
    );
    let page = member.get("/portal/payouts").await.body;
    assert!(page.contains("Payout details are for your account"), "{page}");
    let other = app::domain::payouts::iban::with_check_digits("DE", "370400440532013001");
    let refused = member
        .submit(SavePayoutMethod::PATH, &sepa(&other, "COBADEFFXXX"))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    for operator in ["admin@acme.test", "finance@acme.test"] {
        let mut op = app.logged_in(operator).await;
        assert_eq!(
            op.submit(SavePayoutMethod::PATH, &sepa(&other, "COBADEFFXXX"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(op.fetch(MyPayoutDetails::PATH).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(footprint(&app).await, before, "nothing changed");
}
