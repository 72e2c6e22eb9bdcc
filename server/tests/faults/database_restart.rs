//! PostgreSQL stopped and started again under load, with the same server process throughout:
//! while the database is away every answer is a 503 with Retry-After (never a 500, never a
//! hang), and afterwards the server serves redirects, conversions and pages (a logged-in partner's
//! too, on the session it had) again by itself.
//! Every acknowledged click and conversion is stored.

use crate::support::{
    click_loop, conversion_loop, missing, page_loop, scratch_dir, seed_demo, start_server, wait_until, Sales, Tally,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use trellis::commands::seed::DEMO_PASSWORD;
use trellis::local_pg::LocalPostgres;
use trellis::soak::browser::Browser;
use trellis::soak::setup::PARTNER;

/// Answers of each kind wanted in each phase (before, while down, after).
const PER_PHASE: u64 = 50;
/// Failed answers allowed after the restart before the server counts as not recovering.
const GIVE_UP_AFTER: u64 = 20_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_get_503_with_retry_after_while_the_database_is_down_and_recover() {
    let dir = scratch_dir("pg-restart");
    let cluster = LocalPostgres::new(&dir).expect("a private cluster");
    let (url, _) = cluster.start().expect("starting PostgreSQL");
    seed_demo(&url);
    let setup = trellis::soak::setup::prepare(&url).await.expect("demo setup");
    let server = start_server(&url, &dir.join("data")).await;

    let stop = Arc::new(AtomicBool::new(false));
    let (clicks, sales) = (Arc::new(Tally::default()), Arc::new(Tally::default()));
    let (login, portal) = (Arc::new(Tally::default()), Arc::new(Tally::default()));
    let instance = [server.addr.clone()];
    let mut partner = Browser::new(&instance);
    partner
        .log_in(PARTNER, DEMO_PASSWORD)
        .await
        .expect("the demo partner logs in");
    let sale_input = Arc::new(Sales {
        api_key: setup.api_key.clone(),
        currency: setup.currency.clone(),
        prefix: "RESTART".into(),
    });
    let tasks = vec![
        tokio::spawn(click_loop(
            server.addr.clone(),
            setup.link_codes[0].clone(),
            clicks.clone(),
            stop.clone(),
        )),
        tokio::spawn(click_loop(
            server.addr.clone(),
            setup.link_codes[0].clone(),
            clicks.clone(),
            stop.clone(),
        )),
        tokio::spawn(conversion_loop(
            server.addr.clone(),
            sale_input,
            sales.clone(),
            stop.clone(),
        )),
        tokio::spawn(page_loop(
            Browser::new(&instance),
            "/login",
            login.clone(),
            stop.clone(),
        )),
        tokio::spawn(page_loop(partner, "/portal", portal.clone(), stop.clone())),
    ];
    let tallies = [&clicks, &sales, &login, &portal];
    let went_wrong = || tallies.iter().any(|t| t.failed() > 0 || !t.wrong().is_empty());

    wait_until(
        "a request failed before the restart",
        || clicks.ok() >= PER_PHASE && sales.ok() >= PER_PHASE,
        went_wrong,
    )
    .await;
    cluster.stop().expect("stopping PostgreSQL");
    let (clicks_down, sales_down, portal_down) = (clicks.unavailable(), sales.unavailable(), portal.unavailable());
    wait_until(
        "a request got something other than 503 with Retry-After while the database was down",
        || {
            clicks.unavailable() >= clicks_down + PER_PHASE
                && sales.unavailable() >= sales_down + PER_PHASE
                && portal.unavailable() >= portal_down + PER_PHASE / 5
        },
        went_wrong,
    )
    .await;
    let ok_while_down = (clicks.ok(), sales.ok(), portal.ok());
    cluster.start().expect("starting PostgreSQL again");
    let (clicks_after, sales_after) = (clicks.unavailable(), sales.unavailable());
    wait_until(
        "the server did not recover by itself after the database came back",
        || {
            clicks.ok() >= ok_while_down.0 + PER_PHASE
                && sales.ok() >= ok_while_down.1 + PER_PHASE
                && portal.ok() >= ok_while_down.2 + PER_PHASE / 5
        },
        || went_wrong() || clicks.unavailable() + sales.unavailable() > clicks_after + sales_after + GIVE_UP_AFTER,
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("a load loop panicked");
    }

    println!(
        "FAULT PostgreSQL stopped and started under load: clicks {}; conversions {}; /login {}; /portal (logged in) {}",
        clicks.summary(),
        sales.summary(),
        login.summary(),
        portal.summary()
    );
    for (what, tally) in [
        ("clicks", &clicks),
        ("conversions", &sales),
        ("/login", &login),
        ("/portal", &portal),
    ] {
        assert!(tally.wrong().is_empty(), "{what}: {:?}", tally.wrong());
        assert_eq!(
            tally.failed(),
            0,
            "{what}: requests without a complete answer: {}",
            tally.summary()
        );
    }
    let (lost_clicks, _) = missing(&url, setup.program_id, &clicks).await;
    let (_, lost_sales) = missing(&url, setup.program_id, &sales).await;
    assert_eq!(
        (lost_clicks, lost_sales),
        (0, 0),
        "acknowledged clicks and conversions missing"
    );
    drop(server);
    cluster.stop().ok();
    std::fs::remove_dir_all(&dir).ok();
}
