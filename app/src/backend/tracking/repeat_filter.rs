//! Repeat clicks: the same IP on the same link within a short window. Kept in memory per
//! instance; a repeat that lands on another instance counts as unique, which errs on the side of
//! the partner.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(60);
const PRUNE_AT: usize = 200_000;

#[derive(Default)]
pub struct RepeatFilter {
    seen: Mutex<HashMap<(i64, String), Instant>>,
}

impl RepeatFilter {
    /// Notes the click and says whether the same IP clicked this link within the window.
    pub fn is_repeat(&self, link_id: i64, ip: &str, now: Instant) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= PRUNE_AT {
            seen.retain(|_, at| now.duration_since(*at) < WINDOW);
        }
        let key = (link_id, ip.to_owned());
        let repeat = seen.get(&key).is_some_and(|at| now.duration_since(*at) < WINDOW);
        if !repeat {
            seen.insert(key, now);
        }
        repeat
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
        assert!(!filter.is_repeat(1, "10.0.0.1", t0 + WINDOW + Duration::from_secs(1)));
    }
}
