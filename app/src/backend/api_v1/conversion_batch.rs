//! Group commit for conversions, done set-wise: a batch of concurrent conversions is stored in one
//! transaction with one statement per step, instead of a dozen statements per conversion. It
//! stores the same rows and gives the same answers as [`super::conversions::ingest`] called for
//! each conversion in arrival order (`conversion_batch_tests` compares the two): partners'
//! running month totals are carried in memory from one conversion to the next. A batch ends
//! before the first new order of a customer it already has, which starts the next batch
//! instead, so nothing is accrued out of order. A replay (of a stored order or of one earlier in
//! the batch), and an order another request stored meanwhile, are left to be answered on their
//! own after the batch commits.

use super::conversions::{
    commission_out, conversion_result, customer_keys, decide, engine_context, new_conversion, stat_delta, Ingested,
    PartnerRef,
};
use crate::backend::commissions::accrue::{accrual_entry, effective_plan, override_entries, override_levels};
use crate::backend::commissions::facts::{self, Needs};
use crate::backend::repos::clicks::{self, ClickForAttribution};
use crate::backend::repos::conversions::{self as stored, Binding, ConversionRow, NewBinding, NewConversion};
use crate::backend::repos::ledger::{self, FirstDecision, NewEntry};
use crate::backend::repos::month_totals::{self, MonthDelta, MonthTotal};
use crate::backend::repos::stats::{self, Delta, StatKey};
use crate::backend::repos::terms::{self, TermsRow};
use crate::backend::repos::{coupons, memberships, sub_partners};
use crate::backend::tracking::program_cache::ProgramSettings;
use crate::domain::commission::approval::State;
use crate::domain::commission::Plan;
use crate::domain::conversion_input::ConversionInput;
use diesel::result::{Error as DieselError, QueryResult};
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use time::{Date, OffsetDateTime};

/// One conversion waiting to be stored, checked against its program (`conversions::check`).
pub struct Item {
    pub settings: Arc<ProgramSettings>,
    pub input: ConversionInput,
    pub now: OffsetDateTime,
}

/// What the batch did with one item.
#[derive(Debug)]
pub enum Outcome {
    Stored(Box<Ingested>),
    /// Not stored by the batch: the caller ingests it on its own.
    Alone,
}

/// Stores the items up to the first that depends on an earlier one, inside the caller's
/// transaction, and answers for those: the caller keeps the rest for its next batch.
pub async fn store(conn: &AsyncPgConnection, items: &[Item]) -> QueryResult<Vec<Outcome>> {
    let keys: Vec<Vec<String>> = items.iter().map(|item| customer_keys(&item.input)).collect();
    let (answered, taken) = independent(items, &keys);
    let mut outcomes: Vec<Outcome> = (0..answered).map(|_| Outcome::Alone).collect();
    if taken.is_empty() {
        return Ok(outcomes);
    }
    let program_ids = distinct(taken.iter().map(|&i| items[i].settings.tracking.id));
    let order_ids: Vec<&str> = taken.iter().map(|&i| items[i].input.order_id.as_str()).collect();
    let click_ids: Vec<&str> = taken
        .iter()
        .filter_map(|&i| items[i].input.click_id.as_deref())
        .collect();
    let codes: Vec<String> = taken
        .iter()
        .filter_map(|&i| items[i].input.coupon.as_deref().map(str::to_lowercase))
        .collect();
    let all_keys: Vec<&str> = taken.iter().flat_map(|&i| keys[i].iter().map(String::as_str)).collect();
    // The replay check and the attribution lookups of the whole batch, pipelined.
    let (existing, found_clicks, holders, bindings) = tokio::try_join!(
        stored::find_orders(conn, &program_ids, &order_ids),
        clicks::for_attribution_many(conn, &click_ids),
        coupons::holders(conn, &program_ids, &codes),
        stored::bindings_of(conn, &program_ids, &all_keys),
    )?;
    let existing: HashSet<(i64, &str)> = existing
        .iter()
        .map(|row| (row.program_id, row.order_id.as_str()))
        .collect();
    let found_clicks: HashMap<&str, &ClickForAttribution> =
        found_clicks.iter().map(|(id, click)| (id.as_str(), click)).collect();
    let holders: HashMap<(i64, &str), i64> = holders
        .iter()
        .map(|(program, code, partner)| ((*program, code.as_str()), *partner))
        .collect();

    // A replay is answered on its own, as before.
    let fresh: Vec<usize> = taken
        .into_iter()
        .filter(|&i| !existing.contains(&(items[i].settings.tracking.id, items[i].input.order_id.as_str())))
        .collect();
    let mut news: Vec<NewConversion> = fresh
        .iter()
        .map(|&i| {
            let item = &items[i];
            let program = &item.settings.tracking;
            let occurred_at = item.input.occurred_at.unwrap_or(item.now);
            let click = item
                .input
                .click_id
                .as_deref()
                .and_then(|id| found_clicks.get(id).copied());
            let coupon = item.input.coupon.as_deref().map(|code| {
                let lowered = code.to_lowercase();
                (code, holders.get(&(program.id, lowered.as_str())).copied())
            });
            let bound = bound_partner(&bindings, program.id, &keys[i]);
            let decided = decide(program, &item.input, click, coupon, bound, occurred_at);
            new_conversion(
                program,
                &item.input,
                &decided,
                occurred_at,
                item.now,
                &item.input.canonical(),
            )
        })
        .collect();
    if news.is_empty() {
        return Ok(outcomes);
    }
    // Inserted in order-id order, as concurrent batches of other instances are, so that two of
    // them never wait for each other's orders in a circle; rows are matched back by order id.
    news.sort_by(|a, b| (a.program_id, &a.order_id).cmp(&(b.program_id, &b.order_id)));
    // The insert, and then the partners' locks with what accrual reads under them, pipelined.
    let (inserted, known) = tokio::try_join!(stored::insert_many(conn, &news), Known::read(conn, &news, &program_ids))?;
    let mut inserted: HashMap<(i64, String), ConversionRow> = inserted
        .into_iter()
        .map(|row| ((row.program_id, row.order_id.clone()), row))
        .collect();
    // An order missing from the answer was stored by another request meanwhile: a replay.
    let rows: Vec<(usize, ConversionRow)> = fresh
        .into_iter()
        .filter_map(|i| {
            let key = (items[i].settings.tracking.id, items[i].input.order_id.clone());
            inserted.remove(&key).map(|row| (i, row))
        })
        .collect();
    if rows.is_empty() {
        return Ok(outcomes);
    }

    let batch = Batch {
        items,
        keys: &keys,
        clicks: &found_clicks,
        bindings: &bindings,
    };
    let accrued = batch.accrue(conn, &rows, known).await?;
    for (position, (i, row)) in rows.iter().enumerate() {
        let partner = match row.partner_id {
            Some(id) => Some(PartnerRef {
                id,
                name: accrued.names.get(&id).cloned().ok_or(DieselError::NotFound)?,
            }),
            None => None,
        };
        let commission = accrued
            .entries
            .get(&position)
            .map(|(entry, state)| commission_out(entry, Some(*state)));
        outcomes[*i] = Outcome::Stored(Box::new(Ingested {
            created: true,
            result: conversion_result(row, partner, commission),
        }));
    }
    Ok(outcomes)
}

/// Which items the batch takes, and how many of the first items it answers for. It ends before
/// the first item that repeats an earlier one's customer with a new order, so that item is
/// stored after it, as it would have been one at a time, and so is everything behind it. An
/// order seen earlier in the batch is a replay: it is left alone, to be answered after the
/// batch commits, and it accrues nothing, so the batch goes on past it.
fn independent(items: &[Item], keys: &[Vec<String>]) -> (usize, Vec<usize>) {
    let mut orders = HashSet::new();
    let mut customers = HashSet::new();
    let mut taken = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let program = item.settings.tracking.id;
        if !orders.insert((program, item.input.order_id.as_str())) {
            continue;
        }
        if keys[i].iter().any(|key| customers.contains(&(program, key.as_str()))) {
            return (i, taken);
        }
        customers.extend(keys[i].iter().map(|key| (program, key.as_str())));
        taken.push(i);
    }
    (items.len(), taken)
}

fn distinct(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The partner a customer is bound to by any of the keys: the earliest binding, as
/// [`stored::bound_partner`] reads it.
fn bound_partner(bindings: &[Binding], program_id: i64, keys: &[String]) -> Option<i64> {
    bindings
        .iter()
        .filter(|b| b.program_id == program_id && keys.contains(&b.customer_key))
        .min_by_key(|b| b.created_at)
        .map(|b| b.partner_id)
}

/// When the customer was first bound to the partner, as [`stored::customer_since`] reads it.
fn customer_since(
    bindings: &[Binding],
    row: &ConversionRow,
    partner_id: i64,
    keys: &[String],
) -> Option<OffsetDateTime> {
    bindings
        .iter()
        .filter(|b| b.program_id == row.program_id && b.partner_id == partner_id && keys.contains(&b.customer_key))
        .map(|b| b.occurred_at)
        .min()
}

/// What the accrual step reads about the batch.
struct Batch<'a> {
    items: &'a [Item],
    keys: &'a [Vec<String>],
    clicks: &'a HashMap<&'a str, &'a ClickForAttribution>,
    bindings: &'a [Binding],
}

/// What accrual reads about the batch's partners, under their locks.
struct Known {
    flags: HashMap<(i64, i64), Option<String>>,
    names: Vec<(i64, String)>,
    versions: Vec<TermsRow>,
    totals_by_partner: HashMap<(i64, i64), Vec<MonthTotal>>,
}

impl Known {
    /// Locks the partners the new conversions are attributed to (one whose order turns out to be
    /// stored already is locked and read for nothing), then reads their flags, names, terms and
    /// month totals.
    async fn read(conn: &AsyncPgConnection, news: &[NewConversion], program_ids: &[i64]) -> QueryResult<Known> {
        let pairs: Vec<(i64, i64)> = news
            .iter()
            .filter_map(|new| new.partner_id.map(|partner| (new.program_id, partner)))
            .collect();
        let partner_ids = distinct(pairs.iter().map(|(_, partner)| *partner));
        let latest = news
            .iter()
            .map(|new| new.occurred_at)
            .max()
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        // The lock goes first: diesel-async sends pipelined statements in the order their
        // futures are first polled, which `try_join!` does in order, so the totals are read
        // under it (the one-at-a-time path relies on the same).
        let (_, flags, names, versions, totals) = tokio::try_join!(
            facts::lock_partners(conn, &pairs),
            memberships::flags_of(conn, program_ids, &partner_ids),
            stored::partner_names(conn, &partner_ids),
            terms::versions_by(conn, program_ids, &partner_ids, latest),
            month_totals::of_partners(conn, program_ids, &partner_ids),
        )?;
        let mut totals_by_partner: HashMap<(i64, i64), Vec<MonthTotal>> = HashMap::new();
        for (program, partner, total) in totals {
            totals_by_partner.entry((program, partner)).or_default().push(total);
        }
        Ok(Known {
            flags: flags
                .into_iter()
                .map(|(program, partner, flag)| ((program, partner), flag))
                .collect(),
            names,
            versions,
            totals_by_partner,
        })
    }
}

/// An accrual computed in memory, waiting for its insert.
struct Pending {
    /// The row's position in the batch's stored rows.
    position: usize,
    state: State,
    why: String,
    /// The terms version whose plan it was computed with (plans are kept by it).
    terms_id: i64,
    plan_name: String,
}

/// The batch's accruals with their first decision, by stored row, and the partners' names.
struct Accrued {
    entries: HashMap<usize, (ledger::EntryRow, State)>,
    names: HashMap<i64, String>,
}

impl Batch<'_> {
    /// Computes every accrual in arrival order from the running totals read under the partners'
    /// locks (see [`Known::read`]) and kept in memory, and writes accruals, decisions,
    /// overrides, totals, bindings and rollups.
    async fn accrue(
        &self,
        conn: &AsyncPgConnection,
        rows: &[(usize, ConversionRow)],
        known: Known,
    ) -> QueryResult<Accrued> {
        let Known {
            flags,
            names,
            versions,
            mut totals_by_partner,
        } = known;
        let mut plans: HashMap<i64, Plan> = HashMap::new();
        let mut pending = Vec::new();
        let mut entries: Vec<NewEntry> = Vec::new();
        let mut month_deltas: BTreeMap<(i64, i64, Date, String), MonthDelta> = BTreeMap::new();
        let mut stat_deltas: BTreeMap<StatKey, Delta> = BTreeMap::new();
        let mut bindings = Vec::new();
        for (position, (i, row)) in rows.iter().enumerate() {
            let item = &self.items[*i];
            let mut commission = Decimal::ZERO;
            if let Some(partner_id) = row.partner_id {
                let click = item
                    .input
                    .click_id
                    .as_deref()
                    .and_then(|id| self.clicks.get(id))
                    .map(|click| (*click).clone());
                let flag = flags.get(&(row.program_id, partner_id)).cloned().flatten();
                let since = customer_since(self.bindings, row, partner_id, &self.keys[*i]);
                let context = engine_context(row, click, flag, since);
                let totals = totals_by_partner.entry((row.program_id, partner_id)).or_default();
                if let Some(terms) = terms::in_force_among(&versions, row.program_id, partner_id, row.occurred_at) {
                    let plan = plan_of(&mut plans, terms)?;
                    let needs = Needs::of(plan, row);
                    let inputs = needs.inputs_from_all(row, context.country.clone(), context.customer_since, totals);
                    let settings = &item.settings.commission;
                    let entry = accrual_entry(row, partner_id, terms, plan, &inputs, settings, item.now);
                    let (state, why) = settings
                        .routing()
                        .route(entry.amount, context.flag.as_deref(), &plan.currency);
                    commission = ledger::as_stored(entry.amount);
                    pending.push(Pending {
                        position,
                        state,
                        why,
                        terms_id: terms.id,
                        plan_name: terms.plan_name.clone(),
                    });
                    entries.push(entry);
                }
                let delta = MonthDelta::of(row, partner_id, commission);
                add_to_totals(totals, &delta);
                let key = (delta.program_id, delta.partner_id, delta.month, delta.event.clone());
                match month_deltas.get_mut(&key) {
                    Some(sum) => sum.absorb(&delta),
                    None => {
                        month_deltas.insert(key, delta);
                    }
                }
                bindings.extend(self.keys[*i].iter().map(|key| NewBinding {
                    program_id: row.program_id,
                    customer_key: key.clone(),
                    partner_id,
                    conversion_id: row.id,
                    created_at: item.now,
                }));
            }
            let (key, delta) = stat_delta(row, commission);
            stat_deltas.entry(key).or_default().absorb(&delta);
        }

        let inserted = ledger::insert_many(conn, &entries).await?;
        let by_conversion: HashMap<i64, ledger::EntryRow> = inserted
            .into_iter()
            .filter_map(|entry| entry.conversion_id.map(|id| (id, entry)))
            .collect();
        let mut accruals = HashMap::new();
        let mut decisions = Vec::new();
        let mut overrides = Vec::new();
        let mut masters_of: HashMap<(i64, i64, usize), Vec<i64>> = HashMap::new();
        for accrual in pending {
            let (i, row) = &rows[accrual.position];
            let now = self.items[*i].now;
            let entry = by_conversion.get(&row.id).cloned().ok_or(DieselError::NotFound)?;
            decisions.push(FirstDecision {
                commission_id: entry.id,
                state: accrual.state,
                reason: accrual.why,
                at: now,
            });
            let plan = &plans[&accrual.terms_id];
            let levels = override_levels(plan, &entry);
            if levels > 0 {
                // Few plans pay overrides; their masters are read once per partner of the batch.
                let key = (entry.program_id, entry.partner_id, levels);
                let masters = match masters_of.entry(key) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(new) => {
                        new.insert(sub_partners::masters(conn, entry.program_id, entry.partner_id, levels).await?)
                    }
                };
                overrides.extend(override_entries(plan, &entry, &accrual.plan_name, masters, now));
            }
            accruals.insert(accrual.position, (entry, accrual.state));
        }
        let month_deltas: Vec<MonthDelta> = month_deltas.into_values().collect();
        let stat_deltas: Vec<(StatKey, Delta)> = stat_deltas.into_iter().collect();
        tokio::try_join!(
            ledger::decide_first(conn, &decisions),
            ledger::insert_many(conn, &overrides),
            month_totals::add_many(conn, &month_deltas),
            stored::bind_many(conn, bindings),
            stats::add(conn, &stat_deltas),
        )?;
        Ok(Accrued {
            entries: accruals,
            names: names.into_iter().collect(),
        })
    }
}

fn plan_of<'p>(plans: &'p mut HashMap<i64, Plan>, terms: &TermsRow) -> QueryResult<&'p Plan> {
    Ok(match plans.entry(terms.id) {
        Entry::Occupied(known) => known.into_mut(),
        Entry::Vacant(new) => new.insert(effective_plan(&terms.plan, &terms.overrides)?),
    })
}

/// Adds a conversion to a partner's totals kept in memory, in month order.
fn add_to_totals(totals: &mut Vec<MonthTotal>, delta: &MonthDelta) {
    if let Some(total) = totals
        .iter_mut()
        .find(|t| t.month == delta.month && t.event == delta.event)
    {
        delta.apply_to(total);
        return;
    }
    let at = totals
        .iter()
        .position(|t| t.month > delta.month)
        .unwrap_or(totals.len());
    let mut total = MonthTotal {
        month: delta.month,
        event: delta.event.clone(),
        conversions: 0,
        revenue: Decimal::ZERO,
        net: Decimal::ZERO,
        commission: Decimal::ZERO,
    };
    delta.apply_to(&mut total);
    totals.insert(at, total);
}
