//! Resident memory of the server processes, from /proc/PID/status.

use std::time::Duration;

/// VmRSS of `pid` in KiB, or None when the process is gone or the file unreadable.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// One reading of every server: when, and each one's RSS (None once it is gone).
#[derive(Clone, Debug)]
pub struct Sample {
    pub at: Duration,
    pub rss_kib: Vec<Option<u64>>,
}

pub fn sample(pids: &[u32], at: Duration) -> Sample {
    Sample {
        at,
        rss_kib: pids.iter().map(|&pid| rss_kib(pid)).collect(),
    }
}

/// The rule for "grew without bound": the end RSS more than `MAX_GROWTH` times the RSS after
/// warm-up (caches, pools and allocator arenas fill during warm-up; after it, a steady load
/// should hold memory flat).
pub const MAX_GROWTH: f64 = 2.0;

pub fn grew_without_bound(after_warm_up: u64, end: u64) -> bool {
    end as f64 > after_warm_up as f64 * MAX_GROWTH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process_rss() {
        assert!(rss_kib(std::process::id()).is_some_and(|kib| kib > 0));
        assert_eq!(rss_kib(u32::MAX), None);
    }

    #[test]
    fn growth_rule() {
        assert!(!grew_without_bound(100_000, 200_000));
        assert!(grew_without_bound(100_000, 200_001));
    }
}
