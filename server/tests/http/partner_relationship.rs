//! The whole relationship on the console partner page: a partner in programs of two brands (Lumen
//! Media, in Acme's programs, applies to a second brand's program here) shows both to an operator
//! who sees every brand, only Acme to the manager limited to Acme, and nothing through a program
//! the partner isn't in or the operator can't see.

use crate::support::{Browser, TestApp};
use app::api::partner_relationship::{MembershipDto, PartnerRelationship};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

async fn relationship(browser: &mut Browser, program: &str, partner: &str) -> (StatusCode, Vec<MembershipDto>) {
    let path = format!(
        "{}?program_id={program}&partner_id={partner}",
        PartnerRelationship::PATH
    );
    let reply = browser.fetch(&path).await;
    let rows = if reply.status == StatusCode::OK {
        serde_json::from_str(&reply.body).unwrap()
    } else {
        Vec::new()
    };
    (reply.status, rows)
}

#[tokio::test]
async fn the_partner_page_shows_every_program_of_the_partner_the_operator_may_see() {
    let app = TestApp::seeded().await;
    app.execute(
        "INSERT INTO brands (name, slug) VALUES ('Zenith Forge', 'zenith');
         INSERT INTO programs (brand_id, name, slug, currency, terms)
             SELECT id, 'Zenith Partners', 'zenith-partners', 'GBP', 'Terms.' FROM brands WHERE slug = 'zenith';
         INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
             SELECT p.id, g.id, 'applied', 'Reviews for a UK audience', now() FROM partners p, programs g
             WHERE p.email = 'hello@lumenmedia.test' AND g.slug = 'zenith-partners';
         UPDATE users SET brand_scoped = true WHERE email = 'manager@acme.test';
         INSERT INTO operator_brands (user_id, brand_id)
             SELECT u.id, b.id FROM users u, brands b WHERE u.email = 'manager@acme.test' AND b.slug = 'acme';",
    )
    .await;
    let app_ref = &app;
    let id = |sql: &'static str| async move { app_ref.number(sql).await.to_string() };
    let lumen = id("SELECT id AS n FROM partners WHERE email = 'hello@lumenmedia.test'").await;
    let bright = id("SELECT id AS n FROM partners WHERE name = 'Bright Reviews'").await;
    let zenith = id("SELECT id AS n FROM programs WHERE slug = 'zenith-partners'").await;
    let acme = id("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'").await;

    let mut admin = app.logged_in("admin@acme.test").await;
    let (status, rows) = relationship(&mut admin, &acme, &lumen).await;
    assert_eq!(status, StatusCode::OK);
    assert!(rows.len() >= 2, "{rows:?}");
    let applied = rows
        .iter()
        .find(|r| r.brand_name == "Zenith Forge")
        .expect("the Zenith application");
    assert_eq!(
        (
            applied.program_name.as_str(),
            applied.status.as_str(),
            applied.this_program
        ),
        ("Zenith Partners", "applied", false)
    );
    assert!(applied.since.starts_with("Applied "), "{}", applied.since);
    let here: Vec<_> = rows.iter().filter(|r| r.this_program).collect();
    assert_eq!(here.len(), 1);
    assert_eq!(here[0].program_id.to_string(), acme);
    let page = admin.get(&format!("/console/programs/{acme}/partners/{lumen}")).await;
    assert!(page.body.contains("Programs across brands") && page.body.contains("Zenith Partners"));

    // The manager limited to Acme sees Acme's programs only, and Zenith's program not at all.
    let mut manager = app.logged_in("manager@acme.test").await;
    let (status, rows) = relationship(&mut manager, &acme, &lumen).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.brand_name != "Zenith Forge"),
        "{rows:?}"
    );
    assert_eq!(
        relationship(&mut manager, &zenith, &lumen).await.0,
        StatusCode::NOT_FOUND
    );

    // Through a program the partner isn't in: not found.
    assert_eq!(
        relationship(&mut admin, &zenith, &bright).await.0,
        StatusCode::NOT_FOUND
    );
}
