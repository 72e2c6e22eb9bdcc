//! What a page sends for hydration: the answers of exactly the resources the browser creates.
//! A resource created inside a `Suspense`'s content exists twice on the server (Leptos renders
//! that content again to look for more resources) but once in the browser, which then hydrates
//! with the answer of the copy that was thrown away; that copy's server function runs on after
//! its page let go of it and fails ("AppState is not in context"), so the browser rendered an
//! error where the server had rendered data, panicked, and ignored every click after.

use crate::support::{TestApp, DEMO_PASSWORD};
use axum::http::StatusCode;

/// The serialized resource answers in a page: (id, JSON), in order.
fn resolved_resources(body: &str) -> Vec<(usize, String)> {
    let marker = "__RESOLVED_RESOURCES[";
    body.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = &body[at + marker.len()..];
            let (id, rest) = rest.split_once("] = ")?;
            let value = rest.split(['<', ';']).next()?;
            Some((id.parse().ok()?, value.to_owned()))
        })
        .collect()
}

#[tokio::test]
async fn the_partner_dashboard_sends_one_answer_per_resource_and_no_errors() {
    let app = TestApp::seeded().await;
    let mut partner = app.browser();
    assert_eq!(
        partner.log_in("ana@brightreviews.test", DEMO_PASSWORD).await.location(),
        "/portal"
    );
    let page = partner.get("/portal").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Performance · Acme Affiliates"), "{}", page.body);
    let resources = resolved_resources(&page.body);
    // The shell's viewer and flash message, the dashboard's overview, its checklist, its tiers,
    // its view of all programs together and its report.
    assert_eq!(resources.len(), 7, "{resources:#?}");
    assert!(
        resources.iter().all(|(_, value)| value.starts_with(r#""{\"Ok\""#)),
        "{resources:#?}"
    );
}

/// The links in a page's side navigation.
fn nav_links(body: &str) -> Vec<String> {
    let nav = body.split("class=\"sidenav\"").nth(1).expect("a side navigation");
    let nav = nav.split("</nav>").next().unwrap_or_default();
    nav.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect()
}

/// Every page in both navigations, checked the same way: a copy of a resource thrown away on the
/// server shows up as an internal error among the answers.
#[tokio::test]
async fn no_page_in_the_portal_or_console_sends_an_internal_error_to_hydrate() {
    let app = TestApp::seeded().await;
    for (email, home) in [("ana@brightreviews.test", "/portal"), ("admin@acme.test", "/console")] {
        let mut browser = app.browser();
        browser.log_in(email, DEMO_PASSWORD).await;
        let pages = nav_links(&browser.get(home).await.body);
        assert!(pages.len() >= 5, "{pages:?}");
        for path in pages {
            let page = browser.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            let resources = resolved_resources(&page.body);
            assert!(!resources.is_empty(), "{path}");
            assert!(
                resources
                    .iter()
                    .all(|(_, value)| !value.contains(r#"{\"Err\":{\"Internal\""#)),
                "{path}: {resources:#?}"
            );
        }
    }
}
