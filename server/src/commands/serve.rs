//! `trellis serve`: migrate, check the replica (if any), start the workers, serve until SIGINT
//! or SIGTERM, then stop the private PostgreSQL if this process started it.

use crate::config::Config;
use crate::router::{self, RouterOptions};
use crate::{cache_listener, replica, startup, workers};
use std::net::SocketAddr;
use tokio::sync::watch;

pub async fn run(config: Config) -> Result<(), String> {
    let database = startup::open_database(&config)?;
    let result = serve(&config, &database.url).await;
    database.stop();
    result
}

async fn serve(config: &Config, database_url: &str) -> Result<(), String> {
    startup::migrate(database_url).await?;
    let replica = replica::open(config, database_url).await?;
    let mut state = startup::app_state(config, database_url)?;
    startup::check_data_key(&state).await?;
    if let Some(replica) = replica {
        state = state.with_replica(replica);
    }
    let (stop_tx, stop_rx) = watch::channel(false);
    let mailer = tokio::spawn(workers::run_mailer(state.clone(), stop_rx.clone()));
    let cleanup = tokio::spawn(workers::run_cleanup(state.clone(), stop_rx.clone()));
    let sla = tokio::spawn(workers::run_commission_sla(state.clone(), stop_rx.clone()));
    let deals = tokio::spawn(workers::run_deal_jobs(state.clone(), stop_rx.clone()));
    let mdf = tokio::spawn(workers::run_mdf_deadlines(state.clone(), stop_rx.clone()));
    let training = tokio::spawn(workers::run_training_reminders(state.clone(), stop_rx.clone()));
    let partitions = tokio::spawn(workers::run_click_partitions(state.clone(), stop_rx.clone()));
    let documents = tokio::spawn(workers::run_document_expiry(state.clone(), stop_rx.clone()));
    let tiers = tokio::spawn(workers::run_tier_evaluation(state.clone(), stop_rx.clone()));
    let caches = tokio::spawn(cache_listener::run(state.clone(), database_url.to_owned(), stop_rx));
    let state_for_setup = state.clone();
    let app = router::build(
        state,
        RouterOptions {
            client_ip_header: config.client_ip_header.clone(),
            country_header: config.country_header.clone(),
            bench_routes: config.bench_routes,
        },
    );
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("TRELLIS_ADDR: cannot listen on {}: {e}", config.addr))?;
    tracing::info!(address = %config.addr, base_url = %config.base_url, "Trellis is serving");
    eprintln!("Trellis is serving at {}", config.base_url);
    print_setup_link(&state_for_setup, &config.base_url).await?;
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    let _ = stop_tx.send(true);
    let _ = tokio::join!(mailer, cleanup, sla, deals, mdf, training, partitions, documents, tiers, caches);
    Ok(())
}

/// A new installation has no operator: print the one-time link that creates the first admin,
/// brand and program (valid for an hour; restarting prints a fresh one).
async fn print_setup_link(state: &app::backend::state::AppState, base_url: &str) -> Result<(), String> {
    let mut conn = state
        .pool
        .get()
        .await
        .map_err(|e| format!("cannot reach the database: {e}"))?;
    let link = app::backend::admin::setup::issue_link(&mut conn, state.settings.clock.now())
        .await
        .map_err(|e| format!("cannot prepare the setup link: {e}"))?;
    if let Some(token) = link {
        eprintln!("No operator exists yet. Set up Trellis within the next hour at:\n  {base_url}/setup?token={token}");
        tracing::info!("printed the one-time setup link");
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}
