//! Repeat clicks: the same IP on the same link within a short window. Kept in memory per
//! instance; a repeat that lands on another instance counts as unique, which errs on the side of
//! the partner.
//!
//! Two generations of "seen" sets: a click is a repeat when its (link, IP) is in either. Every
//! window the older generation is dropped whole, so memory stays bounded by the traffic of two
//! windows and no click ever pays for a scan.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(60);

struct Generations {
    current: HashSet<(i64, String)>,
    previous: HashSet<(i64, String)>,
    started: Instant,
}

pub struct RepeatFilter {
    seen: Mutex<Generations>,
}

impl Default for RepeatFilter {
    fn default() -> Self {
        Self {
            seen: Mutex::new(Generations {
                current: HashSet::new(),
                previous: HashSet::new(),
                started: Instant::now(),
            }),
        }
    }
}

impl RepeatFilter {
    /// Notes the click and says whether the same IP clicked this link within the last one to two
    /// windows.
    pub fn is_repeat(&self, link_id: i64, ip: &str, now: Instant) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let age = now.saturating_duration_since(seen.started);
        if age >= WINDOW * 2 {
            seen.previous.clear();
            seen.current.clear();
            seen.started = now;
        } else if age >= WINDOW {
            seen.previous = std::mem::take(&mut seen.current);
            seen.started = now;
        }
        let key = (link_id, ip.to_owned());
        if seen.current.contains(&key) || seen.previous.contains(&key) {
            return true;
        }
        seen.current.insert(key);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_click_within_the_window_is_a_repeat() {
        let filter = RepeatFilter::default();
        let t0 = Instant::now();
        assert!(!filter.is_repeat(1, "10.0.0.1", t0));
        assert!(filter.is_repeat(1, "10.0.0.1", t0 + Duration::from_secs(5)));
        assert!(!filter.is_repeat(2, "10.0.0.1", t0), "another link");
        assert!(!filter.is_repeat(1, "10.0.0.2", t0), "another IP");
        // Still remembered one window later (it moved to the older generation)…
        assert!(filter.is_repeat(1, "10.0.0.1", t0 + WINDOW + Duration::from_secs(1)));
        // …and forgotten once both generations have rolled over.
        assert!(!filter.is_repeat(1, "10.0.0.1", t0 + WINDOW * 4));
    }
}
