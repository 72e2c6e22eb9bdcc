//! The deal benchmarks' commands (hidden from `--help`; `make bench` and `make bench-deals` run
//! them, and refuse without TRELLIS_BENCH_ROUTES=true): concurrent conflicting registrations,
//! seeding many deals, and timing the pipeline report's data.

pub mod near_matches;
pub mod register;
pub mod report;
pub mod seed;

/// The brand every deal benchmark makes its programs under.
pub const BRAND: &str = "trellis-bench-deals";

/// The `q`-quantile (0–1) of sorted samples, nearest rank.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    #[test]
    fn quantiles_use_the_nearest_rank() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(super::quantile(&samples, 0.5), 50.0);
        assert_eq!(super::quantile(&samples, 0.99), 99.0);
        assert_eq!(super::quantile(&samples, 1.0), 100.0);
        assert_eq!(super::quantile(&[], 0.5), 0.0);
    }
}
