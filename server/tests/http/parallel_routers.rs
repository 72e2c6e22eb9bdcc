//! Routers built while another router serves pages, as happens when tests run in parallel (each
//! builds its own). Leptos switches resource loading off process-wide while it generates the
//! route list, so `router::build` generates it only once; before that, a page rendering meanwhile
//! could wait forever on a resource that never loaded.

use crate::support::{TestApp, DEMO_PASSWORD};
use axum::http::StatusCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

#[tokio::test]
async fn pages_render_while_other_routers_are_built() {
    let app = TestApp::seeded().await;
    let mut admin = app.browser();
    assert_eq!(
        admin.log_in("admin@acme.test", DEMO_PASSWORD).await.location(),
        "/console"
    );
    let stop = Arc::new(AtomicBool::new(false));
    let built = Arc::new(AtomicUsize::new(0));
    let (first_built, wait_first) = mpsc::channel();
    let builder = std::thread::spawn({
        let (stop, built, state) = (stop.clone(), built.clone(), app.state.clone());
        move || {
            // Generating routes spawns the app's resources, which needs a runtime.
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let _entered = runtime.enter();
            while !stop.load(Ordering::Relaxed) {
                drop(trellis::router::build(state.clone(), Default::default()));
                built.fetch_add(1, Ordering::Relaxed);
                let _ = first_built.send(());
                // Leave the other tests running in parallel some CPU.
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    });
    wait_first.recv().expect("the builder built a router");

    // Pages with several resources each (viewer, flash message, page data).
    let program: i64 = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await;
    let pages = ["/console/programs".to_owned(), format!("/console/programs/{program}")];
    for round in 0..40 {
        let page = admin.get(&pages[round % pages.len()]).await;
        assert_eq!(page.status, StatusCode::OK, "round {round}");
        assert!(page.body.contains("Acme Affiliates"), "round {round}: {}", page.body);
    }
    stop.store(true, Ordering::Relaxed);
    builder.join().expect("the builder thread");
    assert!(built.load(Ordering::Relaxed) >= 1);
}
