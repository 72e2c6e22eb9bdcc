//! Background work: email delivery from the outbox, and periodic jobs (reminders, deadlines,
//! clean-up). Safe to run on any number of instances: email rows are claimed with
//! `FOR UPDATE SKIP LOCKED`, and each period's run of a job is claimed by one instance.

use app::backend::db::DbConn;
use app::backend::mailer::deliver_due;
use app::backend::repos::{periodic_jobs, rate_limits};
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
pub async fn run_cleanup(state: AppState, shutdown: watch::Receiver<bool>) {
    let store = PgSessionStore::new(state.pool.clone());
    let mut schedule = Schedule::new("clean-up", Duration::from_secs(600), shutdown);
    while let Some((mut conn, now)) = schedule.next_run(&state).await {
        if let Err(e) = store.delete_expired().await {
            tracing::warn!(error = %e, "session clean-up failed");
        }
        if let Err(e) = rate_limits::delete_stale(&mut conn, now - time::Duration::days(1)).await {
            tracing::warn!(error = %e, "rate-limit clean-up failed");
        }
    }
}

/// Makes the coming months' click partitions once a day (three months ahead, so a missed day
/// or two never leaves a click without its month).
pub async fn run_click_partitions(state: AppState, shutdown: watch::Receiver<bool>) {
    let mut schedule = Schedule::new("click-partitions", Duration::from_secs(86_400), shutdown);
    while let Some((mut conn, now)) = schedule.next_run(&state).await {
        match app::backend::repos::click_partitions::ensure_ahead(&mut conn, now.date()).await {
            Ok(0) => {}
            Ok(made) => tracing::info!(made, "made click partitions"),
            Err(e) => tracing::warn!(error = %e, "making click partitions failed"),
        }
    }
}

/// A periodic job's turns. Each period's run is claimed in the database
/// (`repos::periodic_jobs`), so several instances on one database run the job once per period
/// between them, not once each; an instance that loses a claim asks again a period later, so the
/// job goes on when the instance that ran it stops.
struct Schedule {
    job: &'static str,
    period: Duration,
    shutdown: watch::Receiver<bool>,
    first: bool,
}

impl Schedule {
    fn new(job: &'static str, period: Duration, shutdown: watch::Receiver<bool>) -> Self {
        Self {
            job,
            period,
            shutdown,
            first: true,
        }
    }

    /// Waits for this instance's next run (at once the first time) and returns a connection
    /// and the time to run it at; `None` once `shutdown` turns true.
    async fn next_run(&mut self, state: &AppState) -> Option<(DbConn, time::OffsetDateTime)> {
        let period = time::Duration::try_from(self.period).unwrap_or(time::Duration::MAX);
        loop {
            if !std::mem::take(&mut self.first) {
                tokio::select! {
                    _ = tokio::time::sleep(self.period) => {}
                    _ = self.shutdown.changed() => return None,
                }
            }
            let Ok(mut conn) = state.pool.get().await else { continue };
            let now = state.settings.clock.now();
            match periodic_jobs::claim(&mut conn, self.job, period, now).await {
                Ok(true) => return Some((conn, now)),
                Ok(false) => tracing::debug!(job = self.job, "another instance has this period's run"),
                Err(e) => tracing::warn!(job = self.job, error = %e, "could not claim the periodic job"),
            }
        }
    }
}

/// Sends approval reminders and escalations every five minutes (each wait is reminded once).
pub async fn run_commission_sla(state: AppState, shutdown: watch::Receiver<bool>) {
    let mut schedule = Schedule::new("commission-sla", Duration::from_secs(300), shutdown);
    while let Some((mut conn, now)) = schedule.next_run(&state).await {
        match app::backend::commissions::sla::run(&mut conn, &state.settings.base_url, now).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "queued approval reminders"),
            Err(e) => tracing::warn!(error = %e, "approval reminders failed"),
        }
    }
}

/// Expires deal protection (warning 7 days ahead) and chases overdue deal reviews every five
/// minutes; each notice goes once.
pub async fn run_deal_jobs(state: AppState, shutdown: watch::Receiver<bool>) {
    let mut schedule = Schedule::new("deal-deadlines", Duration::from_secs(300), shutdown);
    while let Some((mut conn, now)) = schedule.next_run(&state).await {
        match app::backend::deals::jobs::run(&mut conn, &state.settings.base_url, now).await {
            Ok(report) if report == Default::default() => {}
            Ok(report) => tracing::info!(?report, "deal jobs ran"),
            Err(e) => tracing::warn!(error = %e, "deal jobs failed"),
        }
    }
}

/// Expires funds whose period is over and lapses requests not claimed by their deadline, every
/// five minutes.
pub async fn run_mdf_deadlines(state: AppState, shutdown: watch::Receiver<bool>) {
    let mut schedule = Schedule::new("mdf-deadlines", Duration::from_secs(300), shutdown);
    while let Some((mut conn, now)) = schedule.next_run(&state).await {
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
}

/// Reminds certificate holders 30 and 7 days before expiry (each reminder once) and rewrites the
/// stored counts of certified people, every hour.
pub async fn run_training_reminders(state: AppState, shutdown: watch::Receiver<bool>) {
    let mut schedule = Schedule::new("training-reminders", Duration::from_secs(3600), shutdown);
    while let Some((mut conn, now)) = schedule.next_run(&state).await {
        match app::backend::training::reminders::run(&mut conn, &state.settings.base_url, now).await {
            Ok(done) if done == Default::default() => {}
            Ok(done) => tracing::info!(
                reminders = done.reminders,
                counts_changed = done.counts_changed,
                "training reminders"
            ),
            Err(e) => tracing::warn!(error = %e, "training reminders failed"),
        }
    }
}

/// Tells partners when an approved document of theirs has expired (each once), every hour.
pub async fn run_document_expiry(state: AppState, shutdown: watch::Receiver<bool>) {
    let mut schedule = Schedule::new("document-expiry", Duration::from_secs(3600), shutdown);
    while let Some((mut conn, now)) = schedule.next_run(&state).await {
        match app::backend::documents::expiry::notify_expired(&mut conn, &state.settings.base_url, now).await {
            Ok(0) => {}
            Ok(told) => tracing::info!(told, "told partners of expired documents"),
            Err(e) => tracing::warn!(error = %e, "document expiry notices failed"),
        }
    }
}

/// Evaluates every program's tiers once a day: promotions, warnings, recoveries and demotions.
pub async fn run_tier_evaluation(state: AppState, shutdown: watch::Receiver<bool>) {
    let mut schedule = Schedule::new("tier-evaluation", Duration::from_secs(86_400), shutdown);
    while let Some((mut conn, now)) = schedule.next_run(&state).await {
        match app::backend::tiers::evaluate::evaluate_all(&mut conn, &state.settings.base_url, now).await {
            Ok(done) if done.promoted + done.demoted + done.warned + done.recovered == 0 => {}
            Ok(done) => tracing::info!(summary = %done.describe(), "tier evaluation"),
            Err(e) => tracing::warn!(error = %e, "tier evaluation failed"),
        }
    }
}
