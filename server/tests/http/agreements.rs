//! Partner agreements over HTTP: publishing one closes the portal to the program's partner
//! people until each accepts (pages redirect and come back, server functions and uploads
//! refuse), a new version asks again and says what changed, and a stale version, another
//! program's agreement, a missing "what changed" or a role without the right changes nothing.

use crate::support::{post_plain, TestApp};
use app::api::agreements::{AcceptAgreement, PublishAgreement};
use app::api::my_terms::MyTerms;
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

const V1: &str = "# Acme Affiliates agreement\n\n1. Be **fair**.\n\n<script>alert(1)</script>";
const V2: &str = "# Acme Affiliates agreement\n\n1. Be **fair**.\n2. Disclose every link with #ad.";

async fn affiliates(app: &TestApp) -> String {
    app.number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string()
}

async fn footprint(app: &TestApp) -> [i64; 3] {
    [
        app.count("agreement_versions").await,
        app.count("agreement_acceptances").await,
        app.count("audit_events").await,
    ]
}

async fn version_id(app: &TestApp, version: i32) -> String {
    app.number(&format!(
        "SELECT v.id AS n FROM agreement_versions v JOIN programs p ON p.id = v.program_id \
         WHERE p.slug = 'acme-affiliates' AND v.version = {version}"
    ))
    .await
    .to_string()
}

#[tokio::test]
async fn partners_accept_the_version_in_force_before_using_the_portal_and_again_after_a_change() {
    let app = TestApp::seeded().await;
    let program = affiliates(&app).await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let published = admin
        .submit(
            PublishAgreement::PATH,
            &[("program_id", &program), ("title", "Partner agreement"), ("body", V1)],
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(published.body, "1");

    // Ana's pages send her to the agreement and remember where she was going.
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let sent = ana.get("/portal/links?campaign=x").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(
        sent.location(),
        "/portal/agreements?next=%2Fportal%2Flinks%3Fcampaign%3Dx"
    );
    let refused = ana.fetch(MyTerms::PATH).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("partner agreement first"), "{}", refused.body);
    let upload = ana
        .post_multipart("/portal/material/submit", &[("program_id", &program)], &[])
        .await;
    assert_eq!(
        upload.status,
        StatusCode::CONFLICT,
        "uploads wait for the agreement too"
    );

    // Her own account stays reachable (password, sessions).
    assert_eq!(ana.get("/portal/settings").await.status, StatusCode::OK);
    let page = ana.get("/portal/agreements?next=%2Fportal%2Flinks").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>fair</strong>") && !page.body.contains("<script>alert"));
    assert!(page
        .body
        .contains("I accept version 1 of the Acme Affiliates agreement"));

    // Accepting without JavaScript comes back to the page, which sends her on.
    let v1 = version_id(&app, 1).await;
    let accepted = post_plain(
        &mut ana,
        AcceptAgreement::PATH,
        "/portal/agreements?next=%2Fportal%2Flinks",
        &[("agreement_id", &v1)],
    )
    .await;
    assert_eq!(accepted.status, StatusCode::FOUND, "{}", accepted.body);
    let back = ana.get(accepted.location()).await;
    assert_eq!(back.location(), "/portal/links");
    assert_eq!(ana.get("/portal/links").await.status, StatusCode::OK);
    assert_eq!(ana.fetch(MyTerms::PATH).await.status, StatusCode::OK);
    // Only portal pages are destinations.
    for next in ["https%3A%2F%2Fevil.example", "%2F%2Fevil.example", "%2Fconsole"] {
        let stay = ana.get(&format!("/portal/agreements?next={next}")).await;
        assert_eq!(stay.status, StatusCode::OK, "{next} must not redirect");
    }
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) AS n FROM agreement_acceptances a JOIN users u ON u.id = a.user_id \
             WHERE u.email = 'ana@brightreviews.test' AND a.agreement_id = {v1} AND a.ip <> '' AND length(a.text_sha256) = 64"
        ))
        .await,
        1
    );
    assert_eq!(
        app.number("SELECT count(*) AS n FROM audit_events WHERE action = 'agreement.accept'")
            .await,
        1
    );

    // A partner of another program isn't asked.
    let mut northwind = app.logged_in("ops@northwind.test").await;
    assert_eq!(northwind.get("/portal").await.status, StatusCode::OK);

    // Version 2 asks again and says what changed.
    let refused = admin
        .submit(
            PublishAgreement::PATH,
            &[("program_id", &program), ("title", "Partner agreement"), ("body", V2)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(refused.body.contains("Say what changed"), "{}", refused.body);
    let published = admin
        .submit(
            PublishAgreement::PATH,
            &[
                ("program_id", &program),
                ("title", "Partner agreement"),
                ("body", V2),
                ("changes", "New rule 2: disclose every link."),
            ],
        )
        .await;
    assert_eq!(published.body, "2");
    assert_eq!(ana.get("/portal").await.location(), "/portal/agreements?next=%2Fportal");
    let page = ana.get("/portal/agreements").await.body;
    assert!(page.contains("What changed since version 1, which you accepted:"));
    assert!(page.contains("New rule 2: disclose every link."));

    // The old version can't be accepted any more, and nothing is written.
    let before = footprint(&app).await;
    let stale = ana.submit(AcceptAgreement::PATH, &[("agreement_id", &v1)]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("Version 1 of this agreement is no longer in force"));
    // Another program's agreement (or none) is "not found" to Northwind.
    let v2 = version_id(&app, 2).await;
    for id in [v2.as_str(), "999999"] {
        let probe = northwind.submit(AcceptAgreement::PATH, &[("agreement_id", id)]).await;
        assert_eq!(probe.status, StatusCode::NOT_FOUND, "{}", probe.body);
    }
    assert_eq!(footprint(&app).await, before);

    assert_eq!(
        ana.submit(AcceptAgreement::PATH, &[("agreement_id", &v2)]).await.status,
        StatusCode::OK
    );
    assert_eq!(ana.get("/portal").await.status, StatusCode::OK);

    // The console lists who accepted which version.
    let tab = admin.get(&format!("/console/programs/{program}/agreement")).await;
    assert_eq!(tab.status, StatusCode::OK);
    assert!(
        tab.body.contains("Accepted version 2") && tab.body.contains("ana@brightreviews.test"),
        "{}",
        tab.body
    );
}

#[tokio::test]
async fn only_admins_and_managers_publish_and_finance_or_partners_cannot() {
    let app = TestApp::seeded().await;
    let program = affiliates(&app).await;
    let mut people = Vec::new();
    for email in ["finance@acme.test", "ana@brightreviews.test"] {
        people.push((email, app.logged_in(email).await));
    }
    let before = footprint(&app).await;
    for (email, someone) in &mut people {
        let refused = someone
            .submit(
                PublishAgreement::PATH,
                &[("program_id", &program), ("title", "Mine"), ("body", "Text")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{email}: {}", refused.body);
    }
    assert_eq!(footprint(&app).await, before);
    let mut manager = app.logged_in("manager@acme.test").await;
    let published = manager
        .submit(
            PublishAgreement::PATH,
            &[("program_id", &program), ("title", "Agreement"), ("body", "Text")],
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
}
