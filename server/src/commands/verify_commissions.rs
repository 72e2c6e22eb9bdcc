//! `trellis verify-commissions [--program SLUG]`: recomputes every stored accrual and override
//! from its recorded terms version and inputs, and lists those whose stored amount differs.

use app::backend::commissions::verify::{self, Report};
use app::backend::repos::programs;
use rust_decimal::Decimal;
use std::time::Instant;

/// Prints the result; an error when any commission differs (the binary then exits non-zero).
pub async fn run(database_url: &str, program: Option<&str>) -> Result<(), String> {
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let program_id = match program {
        None => None,
        Some(slug) => Some(
            programs::find_by_slug(&mut conn, slug)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no program with the slug \"{slug}\""))?
                .0
                .id,
        ),
    };
    let started = Instant::now();
    let report = verify::verify(&mut conn, program_id)
        .await
        .map_err(|e| format!("verification failed: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    print!("{}", describe(&report, seconds));
    if report.mismatches.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} of {} commissions differ from the amount recomputed from their terms and inputs",
            report.mismatches.len(),
            report.checked
        ))
    }
}

/// What the command prints: a summary line, then one line per mismatch.
pub fn describe(report: &Report, seconds: f64) -> String {
    let mut out = format!("checked {} commissions in {seconds:.2} s: ", report.checked);
    if report.mismatches.is_empty() {
        out.push_str("all match\n");
    } else {
        out.push_str(&format!("{} differ\n", report.mismatches.len()));
        for m in &report.mismatches {
            out.push_str(&format!(
                "  commission {}: stored {}, recomputed {}\n",
                m.commission_id,
                amount(m.stored),
                amount(m.recomputed)
            ));
        }
    }
    if report.without_terms > 0 {
        out.push_str(&format!(
            "{} recorded before the commission engine have no terms version to recompute from (not checked)\n",
            report.without_terms
        ));
    }
    out
}

/// At least two decimals, more only when the amount has them: "12.50", "0.125".
fn amount(value: Decimal) -> String {
    let value = value.normalize();
    if value.scale() < 2 {
        format!("{value:.2}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::backend::commissions::verify::Mismatch;

    #[test]
    fn lists_each_mismatch_with_both_amounts() {
        let clean = Report {
            checked: 3,
            without_terms: 0,
            mismatches: vec![],
        };
        assert_eq!(describe(&clean, 0.5), "checked 3 commissions in 0.50 s: all match\n");
        let bad = Report {
            checked: 3,
            without_terms: 2,
            mismatches: vec![Mismatch {
                commission_id: 42,
                stored: Decimal::new(125_000, 4),
                recomputed: Decimal::new(1_000, 2),
            }],
        };
        assert_eq!(
            describe(&bad, 1.0),
            "checked 3 commissions in 1.00 s: 1 differ\n  commission 42: stored 12.50, recomputed 10.00\n\
             2 recorded before the commission engine have no terms version to recompute from (not checked)\n"
        );
    }
}
