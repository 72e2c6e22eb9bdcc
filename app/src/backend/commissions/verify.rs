//! Recomputes stored commissions from their recorded terms version and inputs and reports any
//! that differ. Used by `trellis verify-commissions`, the benchmark, and the tests.

use super::accrue::{effective_plan, OverrideInputs};
use crate::backend::repos::ledger::EntryRow;
use crate::backend::repos::terms;
use crate::backend::schema::commissions;
use crate::domain::commission::overrides::override_amounts;
use crate::domain::commission::{compute, Inputs, Plan};
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use std::collections::{hash_map::Entry, HashMap};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Entries recomputed.
    pub checked: u64,
    /// Entries recorded before the engine, with no terms version to recompute from.
    pub without_terms: u64,
    pub mismatches: Vec<Mismatch>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub commission_id: i64,
    pub stored: Decimal,
    pub recomputed: Decimal,
}

const BATCH: i64 = 5_000;

/// Recomputes every accrual and override (of one program, or all), in id order and in
/// batches, so memory stays flat however large the ledger is.
pub async fn verify(conn: &mut AsyncPgConnection, program_id: Option<i64>) -> Result<Report, DieselError> {
    let mut report = Report::default();
    let mut plans: HashMap<i64, Plan> = HashMap::new();
    let mut after = 0i64;
    loop {
        let mut query = commissions::table
            .filter(commissions::id.gt(after))
            .filter(commissions::kind.eq_any(["commission", "override"]))
            .order(commissions::id.asc())
            .limit(BATCH)
            .select(EntryRow::as_select())
            .into_boxed();
        if let Some(program_id) = program_id {
            query = query.filter(commissions::program_id.eq(program_id));
        }
        let batch: Vec<EntryRow> = query.load(conn).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for entry in &batch {
            let (Some(version), Some(inputs)) = (entry.terms_version_id, entry.inputs.as_ref()) else {
                report.without_terms += 1;
                continue;
            };
            if let Entry::Vacant(slot) = plans.entry(version) {
                let terms = terms::get(conn, version).await?;
                slot.insert(effective_plan(&terms.plan, &terms.overrides)?);
            }
            let recomputed = recompute(&plans[&version], entry, inputs)?;
            report.checked += 1;
            if recomputed != entry.amount {
                report.mismatches.push(Mismatch {
                    commission_id: entry.id,
                    stored: entry.amount,
                    recomputed,
                });
            }
        }
    }
    Ok(report)
}

fn recompute(plan: &Plan, entry: &EntryRow, inputs: &serde_json::Value) -> Result<Decimal, DieselError> {
    let bad = |e: serde_json::Error| DieselError::DeserializationError(Box::new(e));
    if entry.kind == "override" {
        let inputs: OverrideInputs = serde_json::from_value(inputs.clone()).map_err(bad)?;
        let level = entry.level.unwrap_or(1).max(1) as usize;
        let amounts = override_amounts(inputs.base, &inputs.shares, inputs.cap, inputs.masters, &entry.currency);
        return Ok(amounts.get(level - 1).copied().unwrap_or_default());
    }
    let inputs: Inputs = serde_json::from_value(inputs.clone()).map_err(bad)?;
    Ok(compute(plan, &inputs).amount)
}
