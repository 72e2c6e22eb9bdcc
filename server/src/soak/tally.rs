//! What each kind of request got: counts by outcome and every latency, for percentiles.

use std::sync::Mutex;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Click,
    Conversion,
    Refund,
    Portal,
    Console,
    Export,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Click,
        Kind::Conversion,
        Kind::Refund,
        Kind::Portal,
        Kind::Console,
        Kind::Export,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Click => "click `GET /r/CODE` (302)",
            Kind::Conversion => "conversion `POST /api/v1/conversions` (201)",
            Kind::Refund => "refund `POST /api/v1/conversions/ORDER/refunds` (201)",
            Kind::Portal => "portal page, partner session (200)",
            Kind::Console => "console page, operator session (200)",
            Kind::Export => "CSV export, operator session (200)",
        }
    }
}

/// The result of one request.
pub enum Outcome {
    Ok,
    /// 503 with Retry-After: deliberate back-pressure, counted apart.
    Unavailable,
    /// Any other status, or no complete response: `what` says which.
    Error(String),
}

#[derive(Default)]
struct Counts {
    ok: u64,
    unavailable: u64,
    errors: u64,
    first_errors: Vec<String>,
    latencies_us: Vec<u32>,
}

#[derive(Default)]
pub struct Tally {
    kinds: [Mutex<Counts>; 6],
}

/// One kind's figures at the end.
#[derive(Clone, Debug)]
pub struct Summary {
    pub kind: Kind,
    pub requests: u64,
    pub ok: u64,
    pub unavailable: u64,
    pub errors: u64,
    pub first_errors: Vec<String>,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Tally {
    pub fn record(&self, kind: Kind, outcome: Outcome, took: Duration) {
        let mut counts = self.kinds[kind as usize].lock().unwrap_or_else(|p| p.into_inner());
        counts.latencies_us.push(took.as_micros().min(u32::MAX as u128) as u32);
        match outcome {
            Outcome::Ok => counts.ok += 1,
            Outcome::Unavailable => counts.unavailable += 1,
            Outcome::Error(what) => {
                counts.errors += 1;
                if counts.first_errors.len() < 5 {
                    counts.first_errors.push(what);
                }
            }
        }
    }

    pub fn summaries(&self) -> Vec<Summary> {
        Kind::ALL
            .iter()
            .map(|&kind| {
                let mut counts = self.kinds[kind as usize].lock().unwrap_or_else(|p| p.into_inner());
                counts.latencies_us.sort_unstable();
                let at = |q: f64| percentile(&counts.latencies_us, q);
                Summary {
                    kind,
                    requests: counts.latencies_us.len() as u64,
                    ok: counts.ok,
                    unavailable: counts.unavailable,
                    errors: counts.errors,
                    first_errors: counts.first_errors.clone(),
                    p50: at(0.50),
                    p99: at(0.99),
                    max: at(1.0),
                }
            })
            .collect()
    }
}

/// The `q` quantile (nearest rank) of sorted microseconds.
fn percentile(sorted_us: &[u32], q: f64) -> Duration {
    if sorted_us.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted_us.len() as f64).ceil() as usize).clamp(1, sorted_us.len());
    Duration::from_micros(u64::from(sorted_us[rank - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&values, 0.5), Duration::from_micros(50));
        assert_eq!(percentile(&values, 0.99), Duration::from_micros(99));
        assert_eq!(percentile(&values, 1.0), Duration::from_micros(100));
        assert_eq!(percentile(&[], 0.5), Duration::ZERO);
    }
}
