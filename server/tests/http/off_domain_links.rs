//! Taking a domain off a program's allowed list: the settings page lists the switched-on links
//! that still lead there, and a manager switches them off in one step (each audited, the link
//! cache cleared, so they stop redirecting at once). Links on an allowed domain, links already
//! off and other programs' links are left alone; a viewer sees the list but can't switch, and
//! a refused switch-off changes nothing.

use crate::support::{TestApp, DEMO_PASSWORD};
use app::api::links::CreateLink;
use app::api::off_domain_links::{OffDomainLinks, SwitchOffLinks};
use app::api::program_admin::SaveProgramSettings;
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

const AFFILIATES: &str = "(SELECT id FROM programs WHERE slug = 'acme-affiliates')";

/// Switched-off links and audit events: what a refusal must leave as it was.
async fn snapshot(app: &TestApp) -> (i64, i64) {
    (
        app.number("SELECT count(*) AS n FROM links WHERE disabled_at IS NOT NULL")
            .await,
        app.count("audit_events").await,
    )
}

async fn viewer(app: &TestApp) -> crate::support::Browser {
    let new = trellis::commands::create_operator::NewOperator {
        email: "viewer@acme.test".into(),
        role: "viewer".into(),
        name: Some("Vic Viewer".into()),
        password: Some(DEMO_PASSWORD.into()),
    };
    trellis::commands::create_operator::run(app.db.url(), new)
        .await
        .unwrap();
    app.logged_in("viewer@acme.test").await
}

#[tokio::test]
async fn links_left_off_the_allowed_domains_are_listed_and_switched_off_in_one_step() {
    let app = TestApp::seeded().await;
    let program = app.number(&format!("SELECT {AFFILIATES} AS n")).await.to_string();
    let mut admin = app.logged_in("admin@acme.test").await;
    let mut ana = app.logged_in("ana@brightreviews.test").await;

    // Ana gets a link on a second domain, then example.com is taken off the list.
    let save = |domains: &str, landing: &str| {
        vec![
            ("id", program.clone()),
            ("allowed_domains", domains.to_owned()),
            ("default_landing_url", landing.to_owned()),
            ("cookie_days", "30".to_owned()),
            ("attribution_model", "last_click".to_owned()),
            ("click_param", "trl_click".to_owned()),
        ]
    };
    let fields = save("example.com\nshop.example.org", "https://example.com/acme-cloud");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        admin.submit(SaveProgramSettings::PATH, &refs).await.status,
        StatusCode::OK
    );
    let made = ana
        .submit(
            CreateLink::PATH,
            &[
                ("program_id", &program),
                ("destination", "https://shop.example.org/spring"),
                ("campaign", ""),
                ("sub1", ""),
                ("sub2", ""),
                ("sub3", ""),
                ("sub4", ""),
                ("sub5", ""),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let on_domain = app
        .number("SELECT id AS n FROM links WHERE destination LIKE 'https://shop.example.org/%'")
        .await;
    // One example.com link is already off; one belongs to another program.
    app.execute(&format!(
        "UPDATE links SET disabled_at = now() WHERE id = (SELECT min(id) FROM links WHERE program_id = {AFFILIATES})"
    ))
    .await;
    let other_program = app
        .number(&format!(
            "SELECT coalesce(min(id), 0) AS n FROM links WHERE program_id <> {AFFILIATES}"
        ))
        .await;
    let off_domain = app
        .number(&format!(
            "SELECT count(*) AS n FROM links WHERE program_id = {AFFILIATES} AND disabled_at IS NULL
             AND destination LIKE 'https://example.com/%'"
        ))
        .await;
    assert!(off_domain >= 1, "the demo has example.com links");
    let code = app
        .text(&format!(
            "SELECT code AS v FROM links WHERE program_id = {AFFILIATES} AND disabled_at IS NULL
             AND destination LIKE 'https://example.com/%' ORDER BY id LIMIT 1"
        ))
        .await;
    assert_eq!(app.browser().get(&format!("/r/{code}")).await.status, StatusCode::FOUND);

    let fields = save("shop.example.org", "https://shop.example.org/");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        admin.submit(SaveProgramSettings::PATH, &refs).await.status,
        StatusCode::OK
    );

    // The list: exactly the switched-on example.com links, on the settings page too.
    let listed = admin.fetch(&format!("{}?id={program}", OffDomainLinks::PATH)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let list: serde_json::Value = serde_json::from_str(&listed.body).unwrap();
    let ids: Vec<i64> = list["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len() as i64, off_domain, "{}", listed.body);
    assert!(!ids.contains(&on_domain));
    let page = admin.get(&format!("/console/programs/{program}/settings")).await;
    let heading = if off_domain == 1 {
        "1 link leads off the allowed domains".to_owned()
    } else {
        format!("{off_domain} links lead off the allowed domains")
    };
    assert!(page.body.contains(&heading), "{}", page.body);
    assert!(page.body.contains(&code));
    let partner = app
        .text(&format!(
            "SELECT p.name AS v FROM links l JOIN partners p ON p.id = l.partner_id WHERE l.code = '{code}'"
        ))
        .await;
    assert!(page.body.contains(&partner), "{partner}");

    // A viewer sees the list, has no button, and is refused; nothing changes.
    let mut viewer = viewer(&app).await;
    let mut manager = app.logged_in("manager@acme.test").await;
    let seen = viewer.get(&format!("/console/programs/{program}/settings")).await;
    assert!(seen.body.contains(&heading));
    assert!(
        !seen.body.contains(SwitchOffLinks::PATH),
        "no switch-off form for a viewer"
    );
    assert!(page.body.contains(SwitchOffLinks::PATH), "the admin has one");
    let mut all: Vec<(&str, String)> = vec![("program_id", program.clone())];
    all.extend(ids.iter().map(|id| ("ids[]", id.to_string())));
    all.push(("ids[]", on_domain.to_string()));
    if other_program != 0 {
        all.push(("ids[]", other_program.to_string()));
    }
    let refs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let before = snapshot(&app).await;
    let refused = viewer.submit(SwitchOffLinks::PATH, &refs).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(snapshot(&app).await, before, "a viewer changes nothing");

    // The manager switches them off: only the listed off-domain ones, each audited.
    let switched = manager.submit(SwitchOffLinks::PATH, &refs).await;
    assert_eq!(switched.status, StatusCode::OK, "{}", switched.body);
    assert_eq!(switched.body.trim(), off_domain.to_string());
    assert_eq!(snapshot(&app).await, (before.0 + off_domain, before.1 + off_domain));
    let audited = app
        .number("SELECT count(*) AS n FROM audit_events WHERE action = 'link.disable' AND after->>'reason' = 'off the allowed domains'")
        .await;
    assert_eq!(audited, off_domain);
    let still_on =
        format!("SELECT count(*) AS n FROM links WHERE id IN ({on_domain}, {other_program}) AND disabled_at IS NULL");
    assert_eq!(app.number(&still_on).await, if other_program == 0 { 1 } else { 2 });
    assert_eq!(
        app.browser().get(&format!("/r/{code}")).await.status,
        StatusCode::NOT_FOUND,
        "the cached link stops redirecting at once"
    );
    let listed = admin.fetch(&format!("{}?id={program}", OffDomainLinks::PATH)).await;
    assert!(listed.body.contains("\"links\":[]"), "{}", listed.body);

    // Again: nothing left to switch off, nothing written.
    let after = snapshot(&app).await;
    let again = manager.submit(SwitchOffLinks::PATH, &refs).await;
    assert_eq!(again.body.trim(), "0");
    assert_eq!(snapshot(&app).await, after);
}
