//! Partners' own promotional material over HTTP: the program's rules flag a missing disclosure
//! and brand terms in paid search, an operator approves or rejects with a reason, the partner is
//! emailed either way, every step is audited, and bad input or another's submission changes
//! nothing.

use crate::support::TestApp;
use app::api::promo::{DecidePromo, SavePromoRules, SubmitMaterial};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

async fn footprint(app: &TestApp) -> Vec<i64> {
    vec![
        app.count("promo_submissions").await,
        app.number("SELECT count(*) AS n FROM promo_submissions WHERE status <> 'pending'")
            .await,
        app.count("email_outbox").await,
        app.number("SELECT count(*) AS n FROM audit_events WHERE action LIKE 'promo.%'")
            .await,
    ]
}

#[tokio::test]
async fn submissions_are_flagged_decided_with_a_reason_emailed_and_audited() {
    let app = TestApp::seeded().await;
    let affiliates = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string();
    let mut admin = app.logged_in("admin@acme.test").await;
    let saved = admin
        .submit(
            SavePromoRules::PATH,
            &[
                ("program_id", &affiliates),
                ("require_approval", "yes"),
                ("disclosure_phrases", "#ad, affiliate link"),
                ("brand_terms", "Acme Cloud"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let rules = ana.get("/portal/material").await.body;
    assert!(
        rules.contains("never bid on Acme Cloud in paid search"),
        "partners see the rule"
    );
    let flagged = ana
        .submit(
            SubmitMaterial::PATH,
            &[
                ("program_id", &affiliates),
                ("channel", "paid_search"),
                ("url", "https://ads.example.com/c/1"),
                ("body", "Acme Cloud hosting, cheap"),
            ],
        )
        .await;
    assert_eq!(flagged.status, StatusCode::OK, "{}", flagged.body);
    assert!(
        flagged.body.contains("Missing a disclosure") && flagged.body.contains("\\\"#ad\\\""),
        "{}",
        flagged.body
    );
    assert!(flagged.body.contains("Brand term in paid search"), "{}", flagged.body);
    let clean = ana
        .submit(
            SubmitMaterial::PATH,
            &[
                ("program_id", &affiliates),
                ("channel", "social"),
                ("url", "https://social.example.com/p/2"),
                ("body", "I host here #ad"),
            ],
        )
        .await;
    assert_eq!(clean.body, "[]", "no flags");

    let console = admin
        .get(&format!("/console/programs/{affiliates}/creatives"))
        .await
        .body;
    assert!(console.contains("Missing a disclosure"), "the reviewer sees the flag");
    let first = app
        .number("SELECT min(id) AS n FROM promo_submissions")
        .await
        .to_string();
    let second = app
        .number("SELECT max(id) AS n FROM promo_submissions")
        .await
        .to_string();

    let before = footprint(&app).await;
    let no_reason = admin
        .submit(
            DecidePromo::PATH,
            &[
                ("program_id", &affiliates),
                ("submission_id", &first),
                ("decision", "reject"),
                ("reason", " "),
            ],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert!(no_reason.body.contains("Say why"));
    assert_eq!(footprint(&app).await, before, "a refused decision changes nothing");

    let rejected = admin
        .submit(
            DecidePromo::PATH,
            &[
                ("program_id", &affiliates),
                ("submission_id", &first),
                ("decision", "reject"),
                ("reason", "Add #ad and drop our brand name"),
            ],
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
    let approved = admin
        .submit(
            DecidePromo::PATH,
            &[
                ("program_id", &affiliates),
                ("submission_id", &second),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(
        app.number("SELECT count(*) AS n FROM email_outbox WHERE to_address = 'ana@brightreviews.test' AND subject LIKE 'Your material for%'").await,
        2,
        "emailed either way"
    );
    assert!(app
        .text("SELECT body_text AS v FROM email_outbox WHERE subject LIKE '%not approved%'")
        .await
        .contains("Add #ad"));
    assert_eq!(
        app.number("SELECT count(*) AS n FROM audit_events WHERE action IN ('promo.rules', 'promo.submit', 'promo.approved', 'promo.rejected')").await,
        5
    );
    let status = ana.get("/portal/material").await.body;
    assert!(status.contains("Not approved") && status.contains("Approved") && status.contains("drop our brand name"));

    let before = footprint(&app).await;
    let again = admin
        .submit(
            DecidePromo::PATH,
            &[
                ("program_id", &affiliates),
                ("submission_id", &second),
                ("decision", "reject"),
                ("reason", "Changed my mind"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(footprint(&app).await, before);
}

#[tokio::test]
async fn bad_submissions_and_other_programs_change_nothing() {
    let app = TestApp::seeded().await;
    let affiliates = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string();
    let resellers = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-resellers'")
        .await
        .to_string();
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let before = footprint(&app).await;
    for (fields, message) in [
        (
            vec![
                ("program_id", affiliates.as_str()),
                ("channel", "fax"),
                ("url", "https://x.example.com"),
                ("body", "Hi"),
            ],
            "Choose where it will run",
        ),
        (
            vec![
                ("program_id", affiliates.as_str()),
                ("channel", "social"),
                ("url", "javascript:alert(1)"),
                ("body", "Hi"),
            ],
            "full address",
        ),
        (
            vec![
                ("program_id", affiliates.as_str()),
                ("channel", "social"),
                ("url", "https://x.example.com"),
                ("body", ""),
            ],
            "text",
        ),
    ] {
        let refused = ana.submit(SubmitMaterial::PATH, &fields).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert!(refused.body.contains(message), "{}", refused.body);
    }
    let not_member = ana
        .submit(
            SubmitMaterial::PATH,
            &[
                ("program_id", &resellers),
                ("channel", "social"),
                ("url", "https://x.example.com"),
                ("body", "Hi"),
            ],
        )
        .await;
    assert_eq!(not_member.status, StatusCode::NOT_FOUND);
    assert_eq!(footprint(&app).await, before);

    ana.submit(
        SubmitMaterial::PATH,
        &[
            ("program_id", &affiliates),
            ("channel", "social"),
            ("url", "https://x.example.com"),
            ("body", "Hi #ad"),
        ],
    )
    .await;
    let id = app
        .number("SELECT max(id) AS n FROM promo_submissions")
        .await
        .to_string();
    let mut admin = app.logged_in("admin@acme.test").await;
    let before = footprint(&app).await;
    let crossed = admin
        .submit(
            DecidePromo::PATH,
            &[
                ("program_id", &resellers),
                ("submission_id", &id),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(
        crossed.status,
        StatusCode::NOT_FOUND,
        "another program's submission is not found"
    );
    let by_partner = ana
        .submit(
            DecidePromo::PATH,
            &[
                ("program_id", &affiliates),
                ("submission_id", &id),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(by_partner.status, StatusCode::FORBIDDEN);
    assert_eq!(footprint(&app).await, before);
    let mut northwind = app.logged_in("ops@northwind.test").await;
    assert!(
        !northwind.get("/portal/material").await.body.contains("x.example.com"),
        "partners see only their own"
    );
}

#[tokio::test]
async fn a_screenshot_goes_with_the_submission_to_its_reviewers_only_and_a_bad_one_changes_nothing() {
    use app::backend::creatives::image::samples::{image as sample, png_claiming};
    use app::domain::creatives::image_type::ImageType;
    let app = TestApp::seeded().await;
    let affiliates = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string();
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let csrf = ana.token().await;
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("program_id", affiliates.as_str()),
        ("channel", "social"),
        ("url", "https://social.example.com/p/1"),
        ("body", "Fast hosting from Acme. #ad"),
    ];
    let png = sample(320, 200, ImageType::Png);
    let before = footprint(&app).await;
    for (name, bytes, fault) in [
        ("shot.png", b"<html><script>".to_vec(), "can't be used"),
        ("shot.png", png_claiming(60_000, 60_000), "can't be used"),
    ] {
        let refused = ana
            .post_multipart("/portal/material/submit", &fields, &[("screenshot", name, &bytes)])
            .await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
        assert_eq!(refused.location(), "/portal/material");
        let page = ana.get("/portal/material").await;
        assert!(page.body.contains(fault), "the page names the fault once: {fault}");
        assert!(page.body.contains("social.example.com/p/1"), "and keeps what was typed");
        assert_eq!(footprint(&app).await, before, "nothing stored");
    }
    let sent = ana
        .post_multipart("/portal/material/submit", &fields, &[("screenshot", "shot.png", &png)])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let id = app
        .number("SELECT id AS n FROM promo_submissions WHERE screenshot IS NOT NULL")
        .await;
    let path = format!("/promo/screenshots/{id}");
    let own = ana.get(&path).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.headers[axum::http::header::CONTENT_TYPE], "image/png");
    let mut manager = app.logged_in("manager@acme.test").await;
    assert_eq!(
        manager.get(&path).await.status,
        StatusCode::OK,
        "the program's staff see it"
    );
    let missing = ana.get("/promo/screenshots/999999").await;
    for email in ["hello@lumenmedia.test"] {
        let mut other = app.logged_in(email).await;
        let probe = other.get(&path).await;
        assert_eq!(probe.status, StatusCode::NOT_FOUND, "another partner's screenshot");
        assert_eq!(probe.body, missing.body, "the same as one that doesn't exist");
    }
    let review = manager.get(&format!("/console/programs/{affiliates}/creatives")).await;
    assert!(
        review.body.contains(&path),
        "the reviewer sees the screenshot beside the text"
    );
}
