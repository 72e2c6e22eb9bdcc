//! Accrual: the engine run for one attributed conversion. It finds the terms in force when the
//! conversion occurred, reads the period's inputs, computes, and writes the accrual with its
//! terms version and inputs, the partner's running month totals, the routing decision, and the
//! masters' overrides, all inside the caller's transaction and under the partner's lock. Every
//! attributed conversion passes through here, with terms or without, so the totals count them
//! all.

use super::facts;
use crate::backend::repos::commission_settings::CommissionSettings;
use crate::backend::repos::conversions::ConversionRow;
use crate::backend::repos::ledger::{self, EntryRow, NewEntry};
use crate::backend::repos::terms::TermsRow;
use crate::backend::repos::{month_totals, sub_partners, terms};
use crate::domain::commission::approval::State;
use crate::domain::commission::ledger::EntryKind;
use crate::domain::commission::overrides::override_amounts;
use crate::domain::commission::{compute, Inputs, Plan, TermOverrides};
use crate::domain::money;
use diesel::result::Error as DieselError;
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// What the caller knows about the conversion beyond its row.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The conversion's country, or its click's.
    pub country: Option<String>,
    /// When the customer was bound to the partner by an earlier conversion.
    pub customer_since: Option<OffsetDateTime>,
    /// Why the conversion or the partner is flagged; flagged accruals go on hold.
    pub flag: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Accrued {
    pub entry: EntryRow,
    pub state: State,
}

/// The recorded inputs of an override, enough to recompute it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideInputs {
    pub base: Decimal,
    pub shares: Vec<Decimal>,
    pub cap: Option<Decimal>,
    pub masters: usize,
}

/// Builds the effective plan of a stored terms version.
pub fn effective_plan(plan: &serde_json::Value, overrides: &serde_json::Value) -> Result<Plan, DieselError> {
    let plan: Plan =
        serde_json::from_value(plan.clone()).map_err(|e| DieselError::DeserializationError(Box::new(e)))?;
    let overrides: TermOverrides =
        serde_json::from_value(overrides.clone()).map_err(|e| DieselError::DeserializationError(Box::new(e)))?;
    Ok(overrides.apply(&plan))
}

/// `None` when the partner had no terms in force when the conversion occurred. Statements that
/// don't depend on each other go out together (pipelined on the one connection): the lock with the
/// terms lookup, and the writes after the accrual.
pub async fn accrue(
    conn: &AsyncPgConnection,
    conversion: &ConversionRow,
    partner_id: i64,
    context: Context,
    settings: &CommissionSettings,
    now: OffsetDateTime,
) -> Result<Option<Accrued>, DieselError> {
    let (_, terms) = tokio::try_join!(
        facts::lock_partner(conn, conversion.program_id, partner_id),
        terms::in_force(conn, conversion.program_id, partner_id, conversion.occurred_at),
    )?;
    let Some(terms) = terms else {
        month_totals::add(conn, conversion, partner_id, Decimal::ZERO).await?;
        return Ok(None);
    };
    let plan = effective_plan(&terms.plan, &terms.overrides)?;
    let inputs = facts::inputs(
        conn,
        &plan,
        conversion,
        partner_id,
        context.country.clone(),
        context.customer_since,
    )
    .await?;
    let entry = ledger::insert(
        conn,
        &accrual_entry(conversion, partner_id, &terms, &plan, &inputs, settings, now),
    )
    .await?;
    let (state, why) = settings
        .routing()
        .route(entry.amount, context.flag.as_deref(), &plan.currency);
    tokio::try_join!(
        month_totals::add(conn, conversion, partner_id, entry.amount),
        ledger::decide(conn, entry.id, 1, state, None, &why, now),
        add_overrides(conn, &plan, &entry, &terms.plan_name, now),
    )?;
    Ok(Some(Accrued { entry, state }))
}

/// The accrual the engine computes from the inputs, with its terms version and inputs recorded
/// so it can be recomputed exactly.
pub fn accrual_entry(
    conversion: &ConversionRow,
    partner_id: i64,
    terms: &TermsRow,
    plan: &Plan,
    inputs: &Inputs,
    settings: &CommissionSettings,
    now: OffsetDateTime,
) -> NewEntry {
    let outcome = compute(plan, inputs);
    NewEntry {
        conversion_id: Some(conversion.id),
        program_id: conversion.program_id,
        partner_id,
        kind: EntryKind::Accrual.as_str().into(),
        amount: outcome.amount,
        currency: plan.currency.clone(),
        refund_id: None,
        explanation: format!("{} v{}: {}", terms.plan_name, terms.version, outcome.explanation()),
        terms_version_id: Some(terms.id),
        inputs: Some(serde_json::to_value(inputs).expect("inputs serialize")),
        source_id: None,
        level: None,
        reason: None,
        created_by: None,
        payable_at: now + Duration::days(settings.lock_days.into()),
        created_at: now,
    }
}

/// Whether an accrual pays overrides to masters, and to how many levels of them.
pub fn override_levels(plan: &Plan, accrual: &EntryRow) -> usize {
    if accrual.amount <= Decimal::ZERO {
        return 0;
    }
    plan.override_shares.len()
}

async fn add_overrides(
    conn: &AsyncPgConnection,
    plan: &Plan,
    accrual: &EntryRow,
    plan_name: &str,
    now: OffsetDateTime,
) -> Result<(), DieselError> {
    let levels = override_levels(plan, accrual);
    if levels == 0 {
        return Ok(());
    }
    let masters = sub_partners::masters(conn, accrual.program_id, accrual.partner_id, levels).await?;
    for entry in override_entries(plan, accrual, plan_name, &masters, now) {
        ledger::insert(conn, &entry).await?;
    }
    Ok(())
}

/// The overrides an accrual pays to the partner's masters (nearest first), none of zero.
pub fn override_entries(
    plan: &Plan,
    accrual: &EntryRow,
    plan_name: &str,
    masters: &[i64],
    now: OffsetDateTime,
) -> Vec<NewEntry> {
    let inputs = OverrideInputs {
        base: accrual.amount,
        shares: plan.override_shares.clone(),
        cap: plan.override_cap,
        masters: masters.len(),
    };
    let amounts = override_amounts(
        inputs.base,
        &inputs.shares,
        inputs.cap,
        inputs.masters,
        &accrual.currency,
    );
    let mut entries = Vec::new();
    for (level, (master_id, amount)) in masters.iter().zip(amounts).enumerate() {
        if amount.is_zero() {
            continue;
        }
        entries.push(NewEntry {
            conversion_id: accrual.conversion_id,
            program_id: accrual.program_id,
            partner_id: *master_id,
            kind: EntryKind::Override.as_str().into(),
            amount,
            currency: accrual.currency.clone(),
            refund_id: None,
            explanation: format!(
                "{plan_name}: level {} override, {}% of a sub-partner's {} commission",
                level + 1,
                inputs.shares[level].normalize(),
                money::format(accrual.amount, &accrual.currency)
            ),
            terms_version_id: accrual.terms_version_id,
            inputs: Some(serde_json::to_value(&inputs).expect("inputs serialize")),
            source_id: Some(accrual.id),
            level: Some(level as i16 + 1),
            reason: None,
            created_by: None,
            payable_at: accrual.payable_at,
            created_at: now,
        });
    }
    entries
}
