//! Background work: email delivery from the outbox and periodic clean-up. Safe to run on any
//! number of instances: rows are claimed with `FOR UPDATE SKIP LOCKED`.

use app::backend::mailer::deliver_due;
use app::backend::repos::rate_limits;
use app::backend::session_store::PgSessionStore;
use app::backend::state::AppState;
use lettre::message::Mailbox;
use std::time::Duration;
use tokio::sync::watch;
use tower_sessions::session_store::ExpiredDeletion;

/// Delivers due email every second until `shutdown` turns true.
pub async fn run_mailer(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let from: Mailbox = match state.settings.mail_from.parse() {
        Ok(from) => from,
        Err(e) => return tracing::error!(error = %e, "MAIL_FROM is not a valid address; email is not sent"),
    };
    tracing::info!(transport = %state.transport.describe(), "email worker started");
    loop {
        match deliver_due(&state.pool, &state.transport, &from, 20).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "delivered email"),
            Err(e) => tracing::warn!(error = %e, "email worker could not reach the outbox"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Removes expired sessions and stale throttling windows every ten minutes.
pub async fn run_cleanup(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let store = PgSessionStore::new(state.pool.clone());
    loop {
        if let Err(e) = store.delete_expired().await {
            tracing::warn!(error = %e, "session clean-up failed");
        }
        if let Ok(mut conn) = state.pool.get().await {
            let cutoff = time::OffsetDateTime::now_utc() - time::Duration::days(1);
            if let Err(e) = rate_limits::delete_stale(&mut conn, cutoff).await {
                tracing::warn!(error = %e, "rate-limit clean-up failed");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(600)) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Runs `job` now and then every `period` until `shutdown` turns true.
async fn every<F: std::future::Future<Output = ()>>(
    period: Duration,
    mut shutdown: watch::Receiver<bool>,
    mut job: impl FnMut() -> F,
) {
    loop {
        job().await;
        tokio::select! {
            _ = tokio::time::sleep(period) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Sends approval reminders and escalations every five minutes (each wait is reminded once).
pub async fn run_commission_sla(state: AppState, shutdown: watch::Receiver<bool>) {
    every(Duration::from_secs(300), shutdown, || async {
        if let Ok(mut conn) = state.pool.get().await {
            let now = state.settings.clock.now();
            match app::backend::commissions::sla::run(&mut conn, &state.settings.base_url, now).await {
                Ok(0) => {}
                Ok(sent) => tracing::info!(sent, "queued approval reminders"),
                Err(e) => tracing::warn!(error = %e, "approval reminders failed"),
            }
        }
    })
    .await
}

/// Expires deal protection (warning 7 days ahead) and chases overdue deal reviews every five
/// minutes; each notice goes once.
pub async fn run_deal_jobs(state: AppState, shutdown: watch::Receiver<bool>) {
    every(Duration::from_secs(300), shutdown, || async {
        if let Ok(mut conn) = state.pool.get().await {
            let now = state.settings.clock.now();
            match app::backend::deals::jobs::run(&mut conn, &state.settings.base_url, now).await {
                Ok(report) if report == Default::default() => {}
                Ok(report) => tracing::info!(?report, "deal jobs ran"),
                Err(e) => tracing::warn!(error = %e, "deal jobs failed"),
            }
        }
    })
    .await
}

/// Expires funds whose period is over and lapses requests not claimed by their deadline, every
/// five minutes (claimed with SKIP LOCKED, so instances don't repeat each other's work).
pub async fn run_mdf_deadlines(state: AppState, shutdown: watch::Receiver<bool>) {
    every(Duration::from_secs(300), shutdown, || async {
        if let Ok(mut conn) = state.pool.get().await {
            let now = state.settings.clock.now();
            match app::backend::mdf::deadlines::run(&mut conn, &state.settings.base_url, now).await {
                Ok(done) if done == Default::default() => {}
                Ok(done) => tracing::info!(
                    funds_expired = done.funds_expired,
                    requests_lapsed = done.requests_lapsed,
                    "MDF deadlines"
                ),
                Err(e) => tracing::warn!(error = %e, "MDF deadlines failed"),
            }
        }
    })
    .await
}
