//! Segments through HTTP: an admin counts a filter while editing it (as JSON, and as the page
//! without JavaScript), saves it, and exports its members as CSV. An unknown filter field, a bad
//! value and a duplicate name are refused and change nothing; finance can't save, partners can't
//! read, and another program's segment is not found.

use crate::support::TestApp;
use app::api::segments::{CountSegment, SaveSegment};
use app::api::terms::AmendTerms;
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

async fn footprint(app: &TestApp) -> String {
    app.text(
        "SELECT (SELECT count(*) FROM segments) || '|' \
         || (SELECT count(*) FROM audit_events WHERE action <> 'user.login') AS v",
    )
    .await
}

fn count_path(program: &str, fields: &str) -> String {
    let encoded: String = fields
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{}?program_id={program}&fields={encoded}", CountSegment::PATH)
}

#[tokio::test]
async fn an_admin_counts_saves_and_exports_a_segment_and_bad_filters_change_nothing() {
    let app = TestApp::seeded().await;
    let p = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string();
    let creators = app
        .number(&format!(
            "SELECT count(*) AS n FROM program_memberships m JOIN partners p ON p.id = m.partner_id \
             WHERE m.program_id = {p} AND m.status = 'active' AND p.kind = 'creator'"
        ))
        .await;
    assert!(creators > 0, "the seed has creators");
    let mut admin = app.logged_in("admin@acme.test").await;
    let before = footprint(&app).await;

    let counted = admin.fetch(&count_path(&p, r#"{"kind":"creator"}"#)).await;
    assert_eq!(counted.status, StatusCode::OK, "{}", counted.body);
    let counted: serde_json::Value = serde_json::from_str(&counted.body).unwrap();
    assert_eq!(counted["count"], serde_json::json!(creators), "{counted}");
    let unknown = admin
        .fetch(&count_path(&p, r#"{"kind":"creator","colour":"red"}"#))
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);
    assert!(unknown.body.contains("colour"), "{}", unknown.body);
    // The page without JavaScript counts the same filter from its address.
    let page = admin
        .get(&format!("/console/programs/{p}/segments?count=1&kind=creator"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let said = if creators == 1 {
        "1 partner matches".to_owned()
    } else {
        format!("{creators} partners match")
    };
    assert!(page.body.contains(&said), "the page says {said}");
    assert_eq!(footprint(&app).await, before, "counting writes nothing");

    for (fields, field) in [
        (vec![("name", "Typo"), ("fields[contry]", "DE")], "contry"),
        (vec![("name", "Bad"), ("fields[max_bot_share]", "150")], "at most 100"),
        (vec![("name", ""), ("fields[kind]", "creator")], "name is required"),
    ] {
        let refused = admin
            .submit(SaveSegment::PATH, &[vec![("program_id", p.as_str())], fields].concat())
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert!(refused.body.contains(field), "{field}: {}", refused.body);
    }
    assert_eq!(footprint(&app).await, before, "refused saves change nothing");

    let save = [
        ("program_id", p.as_str()),
        ("name", "Creators"),
        ("fields[kind]", "creator"),
    ];
    let saved = admin.submit(SaveSegment::PATH, &save).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let again = admin.submit(SaveSegment::PATH, &save).await;
    assert_eq!(
        again.status,
        StatusCode::BAD_REQUEST,
        "a second segment of the same name"
    );
    let id = app.number("SELECT id AS n FROM segments WHERE name = 'Creators'").await;

    let csv = admin.get(&format!("/console/programs/{p}/segments/{id}.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert_eq!(
        csv.body.lines().count() as i64,
        creators + 1,
        "a header and a line per member"
    );
    assert!(csv.body.contains("ana@brightreviews.test"), "{}", csv.body);

    // Another program's address for the segment, and a made-up one, are not found.
    let other = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-resellers'")
        .await;
    for path in [
        format!("/console/programs/{other}/segments/{id}.csv"),
        format!("/console/programs/{p}/segments/999999.csv"),
    ] {
        assert_eq!(admin.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }

    let after_save = footprint(&app).await;
    let mut finance = app.logged_in("finance@acme.test").await;
    let denied = finance
        .submit(
            SaveSegment::PATH,
            &[
                ("program_id", p.as_str()),
                ("name", "Mine"),
                ("fields[kind]", "creator"),
            ],
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN, "{}", denied.body);
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    assert_eq!(
        ana.get(&format!("/console/programs/{p}/segments/{id}.csv"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(ana.fetch(&count_path(&p, "{}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(footprint(&app).await, after_save, "refused people change nothing");
}

#[tokio::test]
async fn a_bulk_amendment_to_a_segment_reaches_its_members_and_an_unknown_segment_is_refused() {
    let app = TestApp::seeded().await;
    let p = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string();
    let plan = app
        .number(&format!("SELECT default_plan_id AS n FROM programs WHERE id = {p}"))
        .await
        .to_string();
    let mut admin = app.logged_in("admin@acme.test").await;
    let saved = admin
        .submit(
            SaveSegment::PATH,
            &[
                ("program_id", p.as_str()),
                ("name", "Creators"),
                ("fields[kind]", "creator"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let segment = app
        .number("SELECT id AS n FROM segments WHERE name = 'Creators'")
        .await
        .to_string();
    let members = app
        .number(&format!(
            "SELECT count(*) AS n FROM program_memberships m JOIN partners p ON p.id = m.partner_id \
             WHERE m.program_id = {p} AND m.status = 'active' AND p.kind = 'creator'"
        ))
        .await;
    let versions = "SELECT count(*) AS n FROM partner_terms";
    let before = app.number(versions).await;
    let amend = |segment: &'static str| {
        vec![
            ("program_id", p.clone()),
            ("plan_id", plan.clone()),
            ("flat", "7".to_owned()),
            ("reason", "Creators' autumn rate".to_owned()),
            ("segment", segment.to_owned()),
        ]
    };
    let unknown = amend("999999");
    let unknown: Vec<(&str, &str)> = unknown.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = admin.submit(AmendTerms::PATH, &unknown).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(refused.body.contains("segments"), "{}", refused.body);
    assert_eq!(app.number(versions).await, before, "a refused amendment writes nothing");

    let mut to_segment = amend("");
    to_segment.last_mut().unwrap().1 = segment;
    let to_segment: Vec<(&str, &str)> = to_segment.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let amended = admin.submit(AmendTerms::PATH, &to_segment).await;
    assert_eq!(amended.status, StatusCode::OK, "{}", amended.body);
    assert_eq!(amended.body, members.to_string(), "one new version per member");
    assert_eq!(app.number(versions).await, before + members);
}
