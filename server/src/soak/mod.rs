//! `trellis soak` (hidden; `make soak` runs it): a long mixed load through running instances on
//! one database, then a check that every acknowledged write is stored. Clicks, conversions with
//! refunds, portal and console pages and CSV exports go to the instances in turn; each server's
//! resident memory is read as it goes.

pub mod browser;
pub mod http;
pub mod load;
pub mod memory;
pub mod report;
pub mod setup;
pub mod tally;
pub mod verify;

use browser::Browser;
use load::{ConversionLoad, Pacer, Shared};
use std::time::{Duration, Instant};
use tally::Kind;

pub struct Options {
    pub database_url: String,
    /// "127.0.0.1:PORT" of each instance.
    pub instances: Vec<String>,
    /// Each instance's process id, for its memory.
    pub pids: Vec<u32>,
    pub duration: Duration,
    /// Multiplies every rate of the mix (1.0: about 300 clicks, 40 conversions, 20 refunds,
    /// 4 portal pages, 4 console pages and 0.5 exports per second).
    pub load: f64,
}

/// Workers of one kind, and how many requests per second each sends.
struct Mix {
    kind: Kind,
    workers: usize,
    per_worker_per_second: f64,
}

const MIX: [Mix; 5] = [
    Mix {
        kind: Kind::Click,
        workers: 6,
        per_worker_per_second: 50.0,
    },
    Mix {
        kind: Kind::Conversion,
        workers: 2,
        per_worker_per_second: 20.0,
    },
    Mix {
        kind: Kind::Portal,
        workers: 2,
        per_worker_per_second: 2.0,
    },
    Mix {
        kind: Kind::Console,
        workers: 2,
        per_worker_per_second: 2.0,
    },
    Mix {
        kind: Kind::Export,
        workers: 1,
        per_worker_per_second: 0.5,
    },
];

/// How often memory is read: every minute, or 8 times over a shorter run.
fn sample_every(duration: Duration) -> Duration {
    (duration / 8).clamp(Duration::from_secs(1), Duration::from_secs(60))
}

/// Warm-up: the first minute, or the first quarter of a shorter run.
fn warm_up(duration: Duration) -> Duration {
    (duration / 4).min(Duration::from_secs(60))
}

/// A browser logged in as `email` that gets 200 from every one of `paths` (a wrong path or a
/// refused login stops the run before the load starts).
async fn logged_in(instances: &[String], email: &str, paths: &[String]) -> Result<Browser, String> {
    let mut browser = Browser::new(instances);
    browser.log_in(email, crate::commands::seed::DEMO_PASSWORD).await?;
    for path in paths {
        let reply = browser
            .get(path)
            .await
            .map_err(|e| format!("GET {path} as {email}: {e}"))?;
        if reply.status != 200 {
            return Err(format!(
                "GET {path} as {email} answered {} before the load started",
                reply.status
            ));
        }
    }
    Ok(browser)
}

pub async fn run(options: Options) -> Result<report::Report, String> {
    if options.instances.is_empty() || options.instances.len() != options.pids.len() {
        return Err("give each instance (--instance ADDR) with its process id (--pid PID)".into());
    }
    let setup = setup::prepare(&options.database_url).await?;
    let shared = Shared::new(app::backend::tokens::short_reference());
    let conversion_load = ConversionLoad {
        api_key: setup.api_key.clone(),
        currency: setup.currency.clone(),
        refund_every: 2,
    };
    let mut tasks = Vec::new();
    for mix in &MIX {
        let rate = (mix.per_worker_per_second * options.load).max(0.01);
        let period = Duration::from_secs_f64(1.0 / rate);
        for worker in 0..mix.workers {
            // Spread the workers of a kind over one period, not all at once.
            let pacer = Pacer::new(period, period.mul_f64(worker as f64 / mix.workers as f64));
            let (shared, addrs) = (shared.clone(), options.instances.clone());
            let task = match mix.kind {
                Kind::Click => tokio::spawn(load::clicks(shared, addrs, setup.link_codes.clone(), pacer)),
                Kind::Conversion => tokio::spawn(load::conversions(shared, addrs, conversion_load.clone(), pacer)),
                kind => {
                    let (email, paths) = match kind {
                        Kind::Portal => (setup::PARTNER, setup.portal_pages()),
                        Kind::Console => (setup::OPERATOR, setup.console_pages()),
                        _ => (setup::OPERATOR, setup.exports()),
                    };
                    let browser = logged_in(&addrs, email, &paths).await?;
                    tokio::spawn(load::pages(shared, kind, browser, paths, pacer))
                }
            };
            tasks.push(task);
        }
    }

    let started = Instant::now();
    let mut samples = vec![memory::sample(&options.pids, Duration::ZERO)];
    let (every, warm) = (sample_every(options.duration), warm_up(options.duration));
    let mut warm_index = None;
    while started.elapsed() < options.duration {
        let next = (every * samples.len() as u32).min(options.duration);
        tokio::time::sleep(next.saturating_sub(started.elapsed())).await;
        samples.push(memory::sample(&options.pids, started.elapsed()));
        if warm_index.is_none() && started.elapsed() >= warm {
            warm_index = Some(samples.len() - 1);
        }
        eprintln!(
            "soak: {} s of {} s, RSS {:?} KiB",
            started.elapsed().as_secs(),
            options.duration.as_secs(),
            samples.last().map(|s| &s.rss_kib)
        );
    }
    shared.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in tasks {
        task.await.map_err(|e| format!("a load worker failed: {e}"))?;
    }
    let elapsed = started.elapsed();

    let acked = std::mem::take(&mut *shared.acked.lock().unwrap_or_else(|p| p.into_inner()));
    let stored = verify::check(
        &options.database_url,
        setup.program_id,
        &acked.clicks,
        &acked.conversions,
        &acked.refunds,
    )
    .await?;
    Ok(report::Report {
        instances: options.instances,
        elapsed,
        summaries: shared.tally.summaries(),
        warm_up: warm_index.unwrap_or(samples.len() - 1),
        samples,
        acked: [
            acked.clicks.len() as u64,
            acked.conversions.len() as u64,
            acked.refunds.len() as u64,
        ],
        stored,
    })
}
