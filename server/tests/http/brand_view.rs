//! The top bar's brand switcher over HTTP (`POST /view/brand`). A second brand ("Zenith Forge",
//! its program "Zenith Partners" in GBP) beside Acme, with Lumen Media active in both. An admin
//! who sees every brand narrows the console to Zenith and back; the manager limited to Acme
//! can't choose Zenith; Lumen sees all its programs together with money per currency, and
//! switches the portal to one brand. Bad choices, foreign return addresses and missing tokens
//! change nothing.

use crate::support::{post_plain, Browser, TestApp};
use app::api::across_programs::{AcrossProgramsDto, MyProgramsTogether};
use app::api::auth::{Area, GetViewer, ViewerDto};
use app::api::my_commissions::{MyLedger, MyLedgerDto};
use app::api::portal::{PortalOverview, PortalOverviewDto};
use app::api::program_admin::{ConsolePrograms, ProgramSummaryDto};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;

const SWITCH: &str = "/view/brand";

async fn zenith(app: &TestApp) -> i64 {
    app.execute(
        "INSERT INTO brands (name, slug) VALUES ('Zenith Forge', 'zenith');
         INSERT INTO programs (brand_id, name, slug, currency, terms)
             SELECT id, 'Zenith Partners', 'zenith-partners', 'GBP', 'Terms.' FROM brands WHERE slug = 'zenith';
         INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at, decided_at)
             SELECT p.id, g.id, 'active', 'Reviews for a UK audience', now(), now() FROM partners p, programs g
             WHERE p.email = 'hello@lumenmedia.test' AND g.slug = 'zenith-partners';
         INSERT INTO daily_stats (day, program_id, partner_id, link_id, sub1, clicks, unique_clicks, conversions, revenue, commission, shard, creative_id)
             SELECT current_date, g.id, p.id, 0, '', 40, 30, 3, 300, 45, 0, 0 FROM partners p, programs g
             WHERE p.email = 'hello@lumenmedia.test' AND g.slug = 'zenith-partners';
         INSERT INTO daily_stats (day, program_id, partner_id, link_id, sub1, clicks, unique_clicks, conversions, revenue, commission, shard, creative_id)
             SELECT current_date, g.id, p.id, 0, 'x', 10, 10, 1, 100, 12.5, 0, 0 FROM partners p, programs g
             WHERE p.email = 'hello@lumenmedia.test' AND g.slug = 'acme-affiliates';
         UPDATE users SET brand_scoped = true WHERE email = 'manager@acme.test';
         INSERT INTO operator_brands (user_id, brand_id)
             SELECT u.id, b.id FROM users u, brands b WHERE u.email = 'manager@acme.test' AND b.slug = 'acme';",
    )
    .await;
    app.number("SELECT id AS n FROM brands WHERE slug = 'zenith'").await
}

async fn json<T: DeserializeOwned>(browser: &mut Browser, path: &str) -> T {
    let reply = browser.fetch(path).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

async fn program_names(browser: &mut Browser) -> Vec<String> {
    let mut names: Vec<String> = json::<Vec<ProgramSummaryDto>>(browser, ConsolePrograms::PATH)
        .await
        .into_iter()
        .map(|p| p.name)
        .collect();
    names.sort();
    names
}

async fn switch(browser: &mut Browser, brand: &str, back: &str) -> crate::support::Reply {
    post_plain(browser, SWITCH, back, &[("brand", brand), ("back", back)]).await
}

#[tokio::test]
async fn an_operator_narrows_the_console_to_one_brand_and_back() {
    let app = TestApp::seeded().await;
    let zenith = zenith(&app).await.to_string();
    let mut admin = app.logged_in("admin@acme.test").await;
    let everything = program_names(&mut admin).await;
    assert!(everything.len() > 1 && everything.contains(&"Zenith Partners".to_owned()));
    let viewer: Option<ViewerDto> = json(&mut admin, GetViewer::PATH).await;
    let offered = viewer.unwrap().brand_switch.expect("two brands: a switch");
    assert_eq!(offered.chosen, None);
    assert!(offered
        .brands
        .iter()
        .any(|(id, name)| id.to_string() == zenith && name == "Zenith Forge"));

    let switched = switch(&mut admin, &zenith, "/console/programs?page=1").await;
    assert_eq!(
        (switched.status, switched.location()),
        (StatusCode::SEE_OTHER, "/console/programs?page=1")
    );
    assert_eq!(program_names(&mut admin).await, ["Zenith Partners"]);
    let page = admin.get("/console/programs").await;
    assert!(
        page.body.contains("Showing Zenith Forge only."),
        "the next page says so"
    );
    let viewer: Option<ViewerDto> = json(&mut admin, GetViewer::PATH).await;
    assert_eq!(
        viewer.unwrap().brand_switch.unwrap().chosen.map(|c| c.to_string()),
        Some(zenith.clone())
    );
    // An Acme program's page says how to reach it, rather than that it doesn't exist.
    let acme = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await;
    let hidden = admin
        .fetch(&format!("{}?program_id={acme}", app::api::mdf_funds::ProgramMdf::PATH))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(hidden.body.contains("All brands"), "{}", hidden.body);
    // A filter changes what the admin looks at, not what they may do: the operators page still
    // offers every brand to assign (a narrowed list would drop the others on the next save).
    let acme_brand = app.text("SELECT name AS v FROM brands WHERE slug = 'acme'").await;
    let operators = admin.fetch(app::api::operators::OperatorList::PATH).await;
    assert_eq!(operators.status, StatusCode::OK);
    assert!(
        operators.body.contains(&acme_brand) && operators.body.contains("Zenith Forge"),
        "{}",
        operators.body
    );

    // Back to every brand; a return address outside the console goes to the console's home.
    let back = switch(&mut admin, "all", "https://evil.test/console").await;
    assert_eq!(back.location(), "/console");
    assert_eq!(program_names(&mut admin).await, everything);
}

#[tokio::test]
async fn nobody_switches_to_a_brand_that_isnt_theirs_and_bad_posts_change_nothing() {
    let app = TestApp::seeded().await;
    let zenith = zenith(&app).await.to_string();
    let mut manager = app.logged_in("manager@acme.test").await;
    let acme_only = program_names(&mut manager).await;
    let viewer: Option<ViewerDto> = json(&mut manager, GetViewer::PATH).await;
    assert_eq!(viewer.unwrap().brand_switch, None, "one brand: no switch");

    let refused = switch(&mut manager, &zenith, "/console").await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    let unknown = switch(&mut manager, "999999", "/console").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let malformed = switch(&mut manager, "zenith", "/console").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.body.contains("Choose a brand from the list."));
    assert_eq!(program_names(&mut manager).await, acme_only);

    // Without the form's token, or signed out, nothing is kept.
    let mut admin = app.logged_in("admin@acme.test").await;
    let everything = program_names(&mut admin).await;
    let forged = admin
        .post_form(SWITCH, &[("brand", zenith.as_str()), ("back", "/console")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(program_names(&mut admin).await, everything);
    let mut visitor = app.browser();
    let token = visitor.token().await;
    let anonymous = visitor
        .post_form(
            SWITCH,
            &[("csrf_token", &token), ("brand", &zenith), ("back", "/console")],
        )
        .await;
    assert_eq!(anonymous.location(), "/login");

    // A partner can't switch to a brand it has no program in.
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    assert_eq!(switch(&mut ana, &zenith, "/portal").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_partner_sees_all_programs_together_and_switches_the_portal_to_one_brand() {
    let app = TestApp::seeded().await;
    let zenith = zenith(&app).await.to_string();
    let mut lumen = app.logged_in("hello@lumenmedia.test").await;

    let together: Option<AcrossProgramsDto> = json(&mut lumen, MyProgramsTogether::PATH).await;
    let together = together.expect("two active programs");
    let zenith_row = together.programs.iter().find(|r| r.label == "Zenith Partners").unwrap();
    assert_eq!(zenith_row.detail, "Zenith Forge");
    assert_eq!((zenith_row.totals.clicks, zenith_row.totals.conversions), (40, 3));
    assert!(
        zenith_row.totals.commission.contains("45.00"),
        "{}",
        zenith_row.totals.commission
    );
    // Money per currency, never added across currencies.
    let currencies: Vec<&str> = together.currencies.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(currencies, ["EUR", "GBP"]);
    let gbp = &together.currencies[1];
    assert_eq!(gbp.totals.clicks, 40);
    assert_eq!(gbp.totals.commission, "GBP 45.00");
    assert!(together.currencies[0].totals.commission.contains("12.50"));

    let viewer: Option<ViewerDto> = json(&mut lumen, GetViewer::PATH).await;
    let viewer = viewer.unwrap();
    assert!(
        matches!(viewer.area, Area::Portal { brand: None, .. }),
        "two brands: Trellis's own look"
    );
    assert_eq!(viewer.brand_switch.unwrap().brands.len(), 2);

    let switched = switch(&mut lumen, &zenith, "/portal/programs").await;
    assert_eq!(switched.location(), "/portal/programs");
    let viewer: Option<ViewerDto> = json(&mut lumen, GetViewer::PATH).await;
    match viewer.unwrap().area {
        Area::Portal { brand: Some(brand), .. } => assert_eq!(brand.name, "Zenith Forge"),
        other => panic!("the portal should wear Zenith: {other:?}"),
    }
    let overview: PortalOverviewDto = json(&mut lumen, PortalOverview::PATH).await;
    let names: Vec<&str> = overview.programs.iter().map(|p| p.program_name.as_str()).collect();
    assert_eq!(names, ["Zenith Partners"]);
    let ledger: MyLedgerDto = json(&mut lumen, MyLedger::PATH).await;
    assert!(
        ledger.programs.iter().all(|(_, name)| name == "Zenith Partners"),
        "{:?}",
        ledger.programs
    );
    // One program in view: the program report says it all.
    let together: Option<AcrossProgramsDto> = json(&mut lumen, MyProgramsTogether::PATH).await;
    assert_eq!(together, None);

    // A portal page is where a partner goes back to; a console address is not.
    assert_eq!(
        switch(&mut lumen, "all", "/console/programs").await.location(),
        "/portal"
    );
    let overview: PortalOverviewDto = json(&mut lumen, PortalOverview::PATH).await;
    assert!(overview.programs.len() > 1);
}
