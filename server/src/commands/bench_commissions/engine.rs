//! `trellis bench-commission-engine` (hidden; `make bench` runs it): the commission engine alone,
//! on the calling thread (one thread is one core), over synthetic conversions generated before
//! the clock starts. Prints each round and a `RESULT` line for bench/run.

use super::workload::{self, Workload};
use app::domain::commission::compute;
use rust_decimal::Decimal;
use std::hint::black_box;
use std::time::Instant;

/// The partners for a workload of `conversions`: 200 conversions each on average (a few large
/// partners reach the high tiers, most stay in the first).
pub fn partners_for(conversions: usize) -> usize {
    (conversions / 200).max(1)
}

pub fn run(conversions: usize, rounds: u32) -> Result<(), String> {
    if conversions == 0 || rounds == 0 {
        return Err("--conversions and --rounds must be at least 1".into());
    }
    let partners = partners_for(conversions);
    let started = Instant::now();
    let workload = workload::generate(conversions, partners);
    let expected: Decimal = workload.conversions.iter().map(|c| c.amount).sum();
    println!(
        "generated {conversions} conversions of {partners} partners under {} plans in {:.1} s (not timed)",
        workload.plans.len(),
        started.elapsed().as_secs_f64()
    );
    let mut best = f64::INFINITY;
    let mut result = (Decimal::ZERO, 0);
    for round in 1..=rounds {
        let started = Instant::now();
        result = pass(&workload);
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "round {round}: {seconds:.3} s, {:.0} conversions/s",
            conversions as f64 / seconds
        );
        best = best.min(seconds);
    }
    let (total, checksum) = result;
    if total != expected {
        return Err(format!(
            "the timed rounds computed {total} in all, but generating the workload computed {expected}"
        ));
    }
    let per_core = conversions as f64 / best;
    println!(
        "best round: {best:.3} s, {per_core:.0} conversions per second on one core; total commission {} {total}, checksum {checksum:016x}",
        workload::CURRENCY
    );
    println!(
        "RESULT conversions={conversions} partners={partners} plans={} rounds={rounds} best_seconds={best:.4} per_core={per_core:.0} total={total} checksum={checksum:016x}",
        workload.plans.len()
    );
    Ok(())
}

/// Computes every conversion's commission: (sum of the amounts, FNV-1a hash of the amounts in
/// order). Both are printed, so the work can't be optimized away.
fn pass(workload: &Workload) -> (Decimal, u64) {
    let mut total = Decimal::ZERO;
    let mut checksum = 0xCBF2_9CE4_8422_2325u64;
    for conversion in &workload.conversions {
        let outcome = compute(black_box(workload.plan_of(conversion)), black_box(&conversion.inputs));
        total += outcome.amount;
        for byte in outcome.amount.serialize() {
            checksum = (checksum ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3);
        }
        black_box(&outcome.why);
    }
    (total, checksum)
}
