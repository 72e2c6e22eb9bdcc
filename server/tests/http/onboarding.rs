//! Onboarding over HTTP: the demo partner's checklist asks for its profile; a mistyped website
//! is refused with its field named and nothing changes; the profile saves with JavaScript (a
//! server-function call) and without (a plain form post with ticked boxes), and the checklist's
//! first step is then done; operators read the time-to-first report, whose bad inputs are
//! refused.

use crate::support::{post_plain, TestApp};
use app::api::onboarding::{MyChecklist, MyProfile, SaveProfile, TimeToFirst};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

const ANA: &str = "ana@brightreviews.test";
const ADMIN: &str = "admin@acme.test";

/// What a refused save must leave as it was.
async fn footprint(app: &TestApp) -> String {
    app.text(
        "SELECT coalesce(website, '-') || '|' || coalesce(about, '-') || '|' || array_to_string(channels, ',') \
         || '|' || (SELECT count(*) FROM audit_events WHERE action = 'partner.profile') AS v \
         FROM partners WHERE email = 'ana@brightreviews.test'",
    )
    .await
}

#[tokio::test]
async fn a_partner_completes_its_profile_with_and_without_javascript() {
    let app = TestApp::seeded().await;
    let mut ana = app.logged_in(ANA).await;
    let checklist = ana.fetch(MyChecklist::PATH).await;
    assert_eq!(checklist.status, StatusCode::OK, "{}", checklist.body);
    assert!(
        checklist
            .body
            .contains(r#""title":"Complete your profile","done":false"#),
        "{}",
        checklist.body
    );

    let before = footprint(&app).await;
    let refused = ana
        .submit(
            SaveProfile::PATH,
            &[
                ("website", "not a site"),
                ("about", "Reviews."),
                ("channels[]", "content"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(refused.body.contains("valid website address"), "{}", refused.body);
    let unknown = ana
        .submit(
            SaveProfile::PATH,
            &[("website", "brightreviews.test"), ("channels[]", "telepathy")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);
    assert!(unknown.body.contains("telepathy"), "{}", unknown.body);
    assert_eq!(footprint(&app).await, before, "a refused profile changes nothing");

    let saved = ana
        .submit(
            SaveProfile::PATH,
            &[
                ("website", "brightreviews.test"),
                ("about", "Honest reviews of home gear."),
                ("channels[]", "content"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("It is complete"), "{}", saved.body);

    // Without JavaScript: ticked boxes arrive as repeated `channels[]` fields.
    let plain = post_plain(
        &mut ana,
        SaveProfile::PATH,
        "/portal/profile",
        &[
            ("website", "https://brightreviews.test/about"),
            ("about", "Reviews and a newsletter."),
            ("channels[]", "content"),
            ("channels[]", "email"),
        ],
    )
    .await;
    assert!(plain.status.is_redirection(), "{}: {}", plain.status, plain.body);
    assert_eq!(
        footprint(&app).await,
        "https://brightreviews.test/about|Reviews and a newsletter.|content,email|2"
    );
    let profile = ana.fetch(MyProfile::PATH).await.body;
    assert!(profile.contains(r#""missing":null"#), "{profile}");
    let checklist = ana.fetch(MyChecklist::PATH).await.body;
    assert!(
        checklist.contains(r#""title":"Complete your profile","done":true"#),
        "{checklist}"
    );
    let page = ana.get("/portal/profile").await;
    assert!(page.body.contains("Your profile is complete."), "{}", page.body);
}

#[tokio::test]
async fn operators_read_time_to_first_and_bad_filters_are_refused() {
    let app = TestApp::seeded().await;
    let mut admin = app.logged_in(ADMIN).await;
    let report = admin.fetch(&format!("{}?months=12", TimeToFirst::PATH)).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let approved = app
        .number(
            "SELECT count(*) AS n FROM program_memberships WHERE status IN ('active', 'suspended') \
             AND decided_at >= now() - interval '360 days'",
        )
        .await;
    assert!(approved > 0, "the demo has approved partners");
    assert!(
        report.body.contains(&format!(r#""total":{approved}"#)),
        "{}",
        report.body
    );
    let months = admin.fetch(&format!("{}?months=99", TimeToFirst::PATH)).await;
    assert_eq!(months.status, StatusCode::BAD_REQUEST, "{}", months.body);
    assert!(months.body.contains("between 1 and 36 months"));
    let page = admin.get("/console/reports/onboarding").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("By month of approval"), "{}", page.body);
    let mut ana = app.logged_in(ANA).await;
    assert_eq!(ana.fetch(TimeToFirst::PATH).await.status, StatusCode::FORBIDDEN);
}
