//! Two instances on one database under clicks and conversions; one is SIGKILLed mid-load. The
//! survivor answers every request sent to it, before and after, and every click id and
//! conversion id either instance acknowledged is stored.

use crate::support::{
    click_loop, conversion_loop, missing, scratch_dir, seed_demo, start_server, wait_until, Sales, Tally,
};
use app::backend::testing::TestDb;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const CLICK_LOOPS: usize = 4;
/// Acknowledged clicks on the survivor before the kill, and again after it.
const CLICKS_PER_PHASE: u64 = 300;
const CONVERSIONS_AFTER: u64 = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_other_instance_keeps_serving_and_nothing_acknowledged_is_lost() {
    let db = TestDb::new().await;
    seed_demo(db.url());
    let setup = trellis::soak::setup::prepare(db.url()).await.expect("demo setup");
    let dir = scratch_dir("sigkill");
    let mut doomed = start_server(db.url(), &dir.join("a")).await;
    let survivor = start_server(db.url(), &dir.join("b")).await;

    let stop = Arc::new(AtomicBool::new(false));
    let (on_doomed, on_survivor) = (Arc::new(Tally::default()), Arc::new(Tally::default()));
    let mut tasks = Vec::new();
    for (addr, tally, prefix) in [(&doomed.addr, &on_doomed, "A"), (&survivor.addr, &on_survivor, "B")] {
        for i in 0..CLICK_LOOPS {
            let code = setup.link_codes[i % setup.link_codes.len()].clone();
            tasks.push(tokio::spawn(click_loop(
                addr.clone(),
                code,
                tally.clone(),
                stop.clone(),
            )));
        }
        let sales = Arc::new(Sales {
            api_key: setup.api_key.clone(),
            currency: setup.currency.clone(),
            prefix: format!("KILL-{prefix}"),
        });
        tasks.push(tokio::spawn(conversion_loop(
            addr.clone(),
            sales,
            tally.clone(),
            stop.clone(),
        )));
    }

    let survivor_went_wrong =
        || on_survivor.failed() + on_survivor.unavailable() > 0 || !on_survivor.wrong().is_empty();
    wait_until(
        "the survivor failed a request before the kill",
        || on_survivor.clicks.lock().unwrap().len() as u64 >= CLICKS_PER_PHASE && on_doomed.ok() > 0,
        survivor_went_wrong,
    )
    .await;
    doomed.child.kill().expect("SIGKILL to one instance");
    let exit = doomed.child.wait().unwrap();
    assert!(exit.code().is_none(), "the instance died by the signal: {exit}");
    let (clicks_at_kill, conversions_at_kill) = (
        on_survivor.clicks.lock().unwrap().len() as u64,
        on_survivor.conversions.lock().unwrap().len() as u64,
    );
    wait_until(
        "the survivor failed a request after the other instance was killed",
        || {
            on_survivor.clicks.lock().unwrap().len() as u64 >= clicks_at_kill + CLICKS_PER_PHASE
                && on_survivor.conversions.lock().unwrap().len() as u64 >= conversions_at_kill + CONVERSIONS_AFTER
        },
        survivor_went_wrong,
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("a load loop panicked");
    }

    println!(
        "FAULT one of two instances SIGKILLed under clicks and conversions: killed instance {}; survivor {}",
        on_doomed.summary(),
        on_survivor.summary()
    );
    assert!(
        !survivor_went_wrong(),
        "the survivor: {}: {:?}",
        on_survivor.summary(),
        on_survivor.wrong()
    );
    assert!(
        on_doomed.wrong().is_empty(),
        "the killed instance, before it died: {:?}",
        on_doomed.wrong()
    );
    for (who, tally) in [("killed instance", &on_doomed), ("survivor", &on_survivor)] {
        let (clicks, conversions) = missing(db.url(), setup.program_id, tally).await;
        assert_eq!(
            (clicks, conversions),
            (0, 0),
            "{who}: acknowledged clicks and conversions missing"
        );
    }
    drop(survivor);
    std::fs::remove_dir_all(&dir).ok();
}
