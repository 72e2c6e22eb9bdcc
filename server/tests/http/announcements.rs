//! Announcements over HTTP: an operator posts one (with email through the outbox), the partners
//! it is for see it with an unread count, reads are recorded per person, and what isn't the
//! caller's to see is a 404 that changes nothing.

use crate::support::TestApp;
use app::api::announcements::{MarkAnnouncementsRead, PostAnnouncement, ProgramAnnouncements};
use app::api::segments::SaveSegment;
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

const HOSTILE: &str = "**30% off** this month.\n\n<script>alert(1)</script>\n\n[details](javascript:alert(2))";

async fn program(app: &TestApp, slug: &str) -> String {
    app.number(&format!("SELECT id AS n FROM programs WHERE slug = '{slug}'"))
        .await
        .to_string()
}

#[tokio::test]
async fn an_announcement_reaches_its_partners_by_portal_and_email_and_reads_are_per_person() {
    let app = TestApp::seeded().await;
    let affiliates = program(&app, "acme-affiliates").await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let mail_before = app.count("email_outbox").await;
    let posted = admin
        .submit(
            PostAnnouncement::PATH,
            &[
                ("program_id", &affiliates),
                ("title", "Winter promotion"),
                ("body", HOSTILE),
                ("visibility", "all"),
                ("email", "yes"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    let recipients = app
        .number(
            "SELECT count(*) AS n FROM users u JOIN program_memberships m ON m.partner_id = u.partner_id \
             JOIN programs p ON p.id = m.program_id WHERE p.slug = 'acme-affiliates' AND m.status = 'active' AND u.is_active",
        )
        .await;
    assert!(recipients >= 1);
    assert_eq!(posted.body, recipients.to_string(), "one email per person it is for");
    assert_eq!(app.count("email_outbox").await, mail_before + recipients);
    assert_eq!(
        app.number("SELECT count(*) AS n FROM email_outbox WHERE to_address = 'ana@brightreviews.test' AND subject LIKE '%Winter promotion'")
            .await,
        1
    );
    assert_eq!(
        app.number("SELECT count(*) AS n FROM email_outbox WHERE to_address = 'ops@northwind.test' AND subject LIKE '%Winter promotion'")
            .await,
        0,
        "a partner of another program gets nothing"
    );

    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let home = ana.get("/portal").await.body;
    assert!(home.contains("1 unread"), "the navigation counts it");
    let list = ana.get("/portal/announcements").await.body;
    assert!(list.contains("Winter promotion") && list.contains("<strong>30% off</strong>"));
    let lower = list.to_lowercase();
    assert!(!lower.contains("<script>alert") && !lower.contains("javascript:alert"));
    let mut northwind = app.logged_in("ops@northwind.test").await;
    assert!(!northwind
        .get("/portal/announcements")
        .await
        .body
        .contains("Winter promotion"));

    let id = app
        .number("SELECT id AS n FROM announcements WHERE title = 'Winter promotion'")
        .await
        .to_string();
    let read = ana.submit(MarkAnnouncementsRead::PATH, &[("ids[]", &id)]).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert!(
        !ana.get("/portal").await.body.contains("nav-count"),
        "the count is gone"
    );
    assert_eq!(
        app.number(&format!(
            "SELECT count(*) AS n FROM announcement_reads r JOIN users u ON u.id = r.user_id \
             WHERE r.announcement_id = {id} AND u.email = 'ana@brightreviews.test'"
        ))
        .await,
        1
    );
    let console = admin
        .get(&format!("/console/programs/{affiliates}/announcements"))
        .await
        .body;
    assert!(console.contains("read by 1 person"));

    // Northwind can't mark what it can't see, nor an id that doesn't exist.
    for probe in [id.as_str(), "999999"] {
        let refused = northwind.submit(MarkAnnouncementsRead::PATH, &[("ids[]", probe)]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{probe}");
    }
    assert_eq!(app.count("announcement_reads").await, 1);
}

#[tokio::test]
async fn tier_announcements_reach_only_that_tier_and_bad_input_changes_nothing() {
    let app = TestApp::seeded().await;
    let affiliates = program(&app, "acme-affiliates").await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let before = (app.count("announcements").await, app.count("email_outbox").await);
    for (fields, field, message) in [
        (vec![("title", ""), ("body", "Hello")], "title", "Title"),
        (vec![("title", "Hi"), ("body", " ")], "body", "announcement"),
        (
            vec![
                ("title", "Hi"),
                ("body", "Hello"),
                ("visibility", "partners"),
                ("audience", "ana@brightreviews.test"),
            ],
            "audience",
            "not to named partners",
        ),
    ] {
        let mut all = vec![("program_id", affiliates.as_str()), ("email", "yes")];
        all.extend(fields);
        let refused = admin.submit(PostAnnouncement::PATH, &all).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{field}: {}", refused.body);
        assert!(refused.body.contains(message), "{field}: {}", refused.body);
    }
    assert_eq!(
        (app.count("announcements").await, app.count("email_outbox").await),
        before
    );

    let posted = admin
        .submit(
            PostAnnouncement::PATH,
            &[
                ("program_id", &affiliates),
                ("title", "Gold perks"),
                ("body", "More MDF"),
                ("visibility", "tiers"),
                ("audience", "Gold"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    assert!(!ana.get("/portal/announcements").await.body.contains("Gold perks"));
    app.execute(
        "UPDATE program_memberships SET tier = 'gold' WHERE partner_id = (SELECT id FROM partners WHERE email = 'ana@brightreviews.test')",
    )
    .await;
    assert!(ana.get("/portal/announcements").await.body.contains("Gold perks"));

    let mut partner_posting = app.logged_in("ana@brightreviews.test").await;
    let forbidden = partner_posting
        .submit(
            PostAnnouncement::PATH,
            &[("program_id", &affiliates), ("title", "Mine"), ("body", "x")],
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_segment_announcement_reaches_its_members_at_posting_and_bad_segments_change_nothing() {
    let app = TestApp::seeded().await;
    let affiliates = program(&app, "acme-affiliates").await;
    let mut admin = app.logged_in("admin@acme.test").await;
    for (name, field, value) in [
        ("Publishers", "fields[kind]", "publisher"),
        ("Japan", "fields[country]", "JP"),
    ] {
        let saved = admin
            .submit(
                SaveSegment::PATH,
                &[("program_id", affiliates.as_str()), ("name", name), (field, value)],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    }
    let segment = |name: &'static str| {
        let app = &app;
        async move {
            app.number(&format!("SELECT id AS n FROM segments WHERE name = '{name}'"))
                .await
                .to_string()
        }
    };
    let (publishers, japan) = (segment("Publishers").await, segment("Japan").await);
    let post = |segment_id: String| {
        vec![
            ("program_id".to_owned(), affiliates.clone()),
            ("title".to_owned(), "Publisher kit".to_owned()),
            ("body".to_owned(), "New banners for review sites.".to_owned()),
            ("visibility".to_owned(), "segment".to_owned()),
            ("segment_id".to_owned(), segment_id),
            ("email".to_owned(), "yes".to_owned()),
        ]
    };
    let before = (app.count("announcements").await, app.count("email_outbox").await);
    for (segment_id, says) in [
        (String::new(), "Choose a segment."),
        (japan.clone(), "has no members today"),
        ("999999".to_owned(), "doesn't exist"),
    ] {
        let fields = post(segment_id);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = admin.submit(PostAnnouncement::PATH, &fields).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{says}: {}", refused.body);
        assert!(
            refused.body.contains("segment_id") && refused.body.contains(says),
            "{says}: {}",
            refused.body
        );
    }
    assert_eq!(
        (app.count("announcements").await, app.count("email_outbox").await),
        before,
        "refusals change nothing"
    );

    let fields = post(publishers);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let posted = admin.submit(PostAnnouncement::PATH, &fields).await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    let lumen_people = app
        .number(
            "SELECT count(*) AS n FROM users u JOIN partners p ON p.id = u.partner_id
             WHERE p.email = 'hello@lumenmedia.test' AND u.is_active",
        )
        .await;
    assert_eq!(
        posted.body,
        lumen_people.to_string(),
        "emailed to the segment's people only"
    );
    assert_eq!(
        app.number("SELECT count(*) AS n FROM email_outbox WHERE to_address = 'ana@brightreviews.test' AND subject LIKE '%Publisher kit'")
            .await,
        0
    );
    let mut lumen = app.logged_in("hello@lumenmedia.test").await;
    assert!(lumen.get("/portal/announcements").await.body.contains("Publisher kit"));
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    assert!(!ana.get("/portal/announcements").await.body.contains("Publisher kit"));

    // Members are fixed at posting: a publisher who joins the segment later doesn't see it.
    app.execute("UPDATE partners SET kind = 'publisher' WHERE email = 'ana@brightreviews.test'")
        .await;
    assert!(!ana.get("/portal/announcements").await.body.contains("Publisher kit"));
    let list = admin
        .fetch(&format!("{}?id={affiliates}", ProgramAnnouncements::PATH))
        .await;
    assert!(list.body.contains("Segment Publishers (1 partner)"), "{}", list.body);
}
