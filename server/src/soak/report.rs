//! The soak's figures as Markdown, and the verdict.

use super::memory::{grew_without_bound, Sample, MAX_GROWTH};
use super::tally::Summary;
use super::verify::Stored;
use std::fmt::Write;
use std::time::Duration;

pub struct Report {
    pub instances: Vec<String>,
    pub elapsed: Duration,
    pub summaries: Vec<Summary>,
    pub samples: Vec<Sample>,
    /// The index in `samples` of the reading after warm-up.
    pub warm_up: usize,
    /// Acknowledged clicks, conversions, refunds.
    pub acked: [u64; 3],
    pub stored: Stored,
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "gone".into(), |k| format!("{:.1}", k as f64 / 1024.0))
}

impl Report {
    pub fn errors(&self) -> u64 {
        self.summaries.iter().map(|s| s.errors).sum()
    }

    pub fn lost(&self) -> [u64; 3] {
        let stored = [self.stored.clicks, self.stored.conversions, self.stored.refunds];
        [0, 1, 2].map(|i| self.acked[i].saturating_sub(stored[i]))
    }

    /// For each instance, (RSS after warm-up, RSS at the end), when both were read.
    fn growth(&self) -> Vec<Option<(u64, u64)>> {
        let (warm, end) = (
            &self.samples[self.warm_up],
            self.samples.last().unwrap_or(&self.samples[0]),
        );
        (0..self.instances.len())
            .map(|i| Some((warm.rss_kib[i]?, end.rss_kib[i]?)))
            .collect()
    }

    /// Every failed rule, in words; empty when the run passed.
    pub fn failures(&self) -> Vec<String> {
        let mut failures = Vec::new();
        if self.errors() > 0 {
            failures.push(format!("{} unexpected responses or failed requests", self.errors()));
        }
        for (what, lost) in ["clicks", "conversions", "refunds"].iter().zip(self.lost()) {
            if lost > 0 {
                failures.push(format!("{lost} acknowledged {what} are not in the database"));
            }
        }
        if self.stored.duplicate_click_ids > 0 {
            failures.push(format!(
                "{} click ids were handed out twice",
                self.stored.duplicate_click_ids
            ));
        }
        for (instance, growth) in self.instances.iter().zip(self.growth()) {
            match growth {
                None => failures.push(format!("{instance}: the server process was gone before the end")),
                Some((warm, end)) if grew_without_bound(warm, end) => failures.push(format!(
                    "{instance}: RSS grew from {} to {} MiB after warm-up (more than {MAX_GROWTH}x)",
                    mib(Some(warm)),
                    mib(Some(end))
                )),
                Some(_) => {}
            }
        }
        failures
    }

    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let seconds = self.elapsed.as_secs_f64().max(0.001);
        out.push_str(
            "| Request | Sent | As expected | 503 + Retry-After | Errors | req/s | p50 ms | p99 ms | max ms |\n",
        );
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for s in &self.summaries {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {:.1} | {} | {} | {} |",
                s.kind.label(),
                s.requests,
                s.ok,
                s.unavailable,
                s.errors,
                s.requests as f64 / seconds,
                ms(s.p50),
                ms(s.p99),
                ms(s.max)
            );
        }
        out.push_str("\n| Server | RSS at start MiB | after warm-up MiB | at the end MiB | end / warm-up |\n");
        out.push_str("|---|---:|---:|---:|---:|\n");
        for (i, (instance, growth)) in self.instances.iter().zip(self.growth()).enumerate() {
            let ratio = growth.map_or_else(|| "-".into(), |(w, e)| format!("{:.2}", e as f64 / w.max(1) as f64));
            let _ = writeln!(
                out,
                "| {instance} | {} | {} | {} | {ratio} |",
                mib(self.samples[0].rss_kib[i]),
                mib(self.samples[self.warm_up].rss_kib[i]),
                mib(self.samples.last().and_then(|s| s.rss_kib[i])),
            );
        }
        out.push_str("\nRSS over time (MiB, ");
        out.push_str(&self.instances.join(" / "));
        out.push_str("): ");
        let readings: Vec<String> = self
            .samples
            .iter()
            .map(|s| {
                let values: Vec<String> = s.rss_kib.iter().map(|&k| mib(k)).collect();
                format!("{} s: {}", s.at.as_secs(), values.join(" / "))
            })
            .collect();
        out.push_str(&readings.join("; "));
        out.push_str(".\n\n| Acknowledged write | Acknowledged | Found stored | Lost |\n|---|---:|---:|---:|\n");
        let stored = [self.stored.clicks, self.stored.conversions, self.stored.refunds];
        for (i, what) in ["click ids (302 Location)", "conversion ids (201)", "refund ids (201)"]
            .iter()
            .enumerate()
        {
            let _ = writeln!(
                out,
                "| {what} | {} | {} | {} |",
                self.acked[i],
                stored[i],
                self.lost()[i]
            );
        }
        let first_errors: Vec<&String> = self.summaries.iter().flat_map(|s| &s.first_errors).take(5).collect();
        if !first_errors.is_empty() {
            out.push_str("\nFirst errors:\n");
            for error in first_errors {
                let _ = writeln!(out, "- `{error}`");
            }
        }
        out
    }
}
