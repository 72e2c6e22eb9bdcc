//! Two instances on one database, as behind a load balancer: each has its own router, state and
//! caches (every HTTP test runs across the harness's two instances; these look at each one). A link switched off through one stops redirecting on the other by notification, not
//! by waiting out the cache (instance B's entries would live an hour here). Repeat-click
//! detection stays per instance, as the README says.

use crate::support::{browser_of, state_for, TestApp};
use app::api::program_admin::SetLinkEnabled;
use app::backend::state::AppState;
use app::backend::tracking::cache_events::{self, Stale};
use app::backend::tracking::link_cache::LinkCache;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use trellis::router::{build, RouterOptions};

/// Instance B over A's database, listening for cache notifications until the sender drops.
fn second_instance(a: &TestApp, link_ttl: Duration) -> (AppState, axum::Router, watch::Sender<bool>) {
    let mut state = state_for(a.db.pool());
    state.tracking.links = Arc::new(LinkCache::with_ttl(link_ttl));
    let router = build(state.clone(), RouterOptions::default());
    let (stop, stop_rx) = watch::channel(false);
    tokio::spawn(trellis::cache_listener::run(
        state.clone(),
        a.db.url().to_owned(),
        stop_rx,
    ));
    (state, router, stop)
}

async fn ana_link(app: &TestApp) -> (String, String) {
    let code = app
        .text("SELECT code AS v FROM links WHERE partner_id = (SELECT id FROM partners WHERE email = 'ana@brightreviews.test') ORDER BY id LIMIT 1")
        .await;
    let id = app
        .number(&format!("SELECT id AS n FROM links WHERE code = '{code}'"))
        .await;
    (code, id.to_string())
}

#[tokio::test]
async fn a_link_switched_off_on_one_instance_stops_redirecting_on_the_other() {
    let a = TestApp::seeded().await;
    let (b, b_router, _stop) = second_instance(&a, Duration::from_secs(3600));
    let (code, link_id) = ana_link(&a).await;
    let mut visitor_b = browser_of(b_router);
    // B's listener clears B's caches when it connects (it may have missed notifications), so
    // B may have to cache the link twice.
    let mut cached = false;
    for _ in 0..1_000 {
        assert_eq!(visitor_b.get(&format!("/r/{code}")).await.status, StatusCode::FOUND);
        tokio::time::sleep(Duration::from_millis(10)).await;
        if b.tracking.links.get(&code).is_some() {
            cached = true;
            break;
        }
    }
    assert!(cached, "B cached the link");

    // B's listener connects in the background: announce until B drops the entry.
    let mut conn = a.db.conn().await;
    let mut heard = false;
    for _ in 0..1_000 {
        cache_events::announce(&mut conn, &a.state.tracking, Stale::Link(code.clone())).await;
        tokio::time::sleep(Duration::from_millis(10)).await;
        if b.tracking.links.get(&code).is_none() {
            heard = true;
            break;
        }
    }
    assert!(heard, "instance B never heard a cache notification");
    assert_eq!(visitor_b.get(&format!("/r/{code}")).await.status, StatusCode::FOUND);
    assert!(b.tracking.links.get(&code).is_some(), "B cached the link again");

    // A manager switches the link off through instance A's console.
    let mut manager = a.logged_in("manager@acme.test").await;
    let off = [("link_id", link_id.as_str()), ("enabled", "false")];
    let switched = Instant::now();
    assert_eq!(manager.submit(SetLinkEnabled::PATH, &off).await.status, StatusCode::OK);
    let mut status = StatusCode::FOUND;
    for _ in 0..2_000 {
        status = visitor_b.get(&format!("/r/{code}")).await.status;
        if status == StatusCode::NOT_FOUND {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "B still redirects a link switched off on A"
    );
    eprintln!(
        "instance B stopped redirecting {:?} after the switch on A",
        switched.elapsed()
    );
}

#[tokio::test]
async fn repeat_clicks_are_detected_per_instance() {
    let a = TestApp::seeded().await;
    let (code, _) = ana_link(&a).await;
    let peer = Some("203.0.113.9:50000".parse().unwrap());
    let mut on_a = browser_of(a.router.clone());
    on_a.peer = peer;
    let mut on_b = browser_of(a.other.router.clone());
    on_b.peer = peer;
    let flags = "SELECT coalesce(string_agg(coalesce(flag, 'none'), ',' ORDER BY clicked_at, id), '') AS v \
                 FROM clicks WHERE ip = '203.0.113.9'";
    let click = || {
        Request::get(format!("/r/{code}"))
            .header(header::USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0")
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(on_a.send(click()).await.status, StatusCode::FOUND);
    assert_eq!(on_a.send(click()).await.status, StatusCode::FOUND);
    assert_eq!(on_b.send(click()).await.status, StatusCode::FOUND);
    // The same visitor again on A is a repeat; on B, which never saw them, it counts as unique
    // (the documented limit: it errs on the partner's side).
    assert_eq!(a.text(flags).await, "none,repeat,none");
}
