//! `trellis bench-seed-commissions --count N` (hidden, and refused unless
//! TRELLIS_BENCH_ROUTES=true): fills a fresh database with N conversions and their
//! engine-computed commissions, for timing `trellis verify-commissions`.
//!
//! The program, its operator, partners, memberships, coupons, plans, terms versions and masters
//! are made through the repositories, as the console would. The conversions, customer bindings,
//! accruals (with their terms version and inputs), routing decisions and masters' overrides are
//! then inserted many rows per statement, from the synthetic workload, on one connection per core:
//! the same rows accrual writes one conversion at a time, with amounts computed by the engine from
//! the recorded inputs. Finally the daily rollups are rebuilt from the raw rows.

use super::engine::partners_for;
use super::workload::{self, Workload, CURRENCY};
use app::api::error::AppError;
use app::backend::commissions::accrue::OverrideInputs;
use app::backend::passwords;
use app::backend::repos::commission_settings::{self, CommissionSettings};
use app::backend::repos::conversions::NewConversion;
use app::backend::repos::ledger::NewEntry;
use app::backend::repos::partners::{self, NewPartner};
use app::backend::repos::programs::{self, NewProgram};
use app::backend::repos::terms::{self, NewTerms};
use app::backend::repos::{coupons, memberships, month_totals, plans, stats, sub_partners, users};
use app::backend::schema::{commission_decisions, commissions, conversions, customer_bindings};
use app::domain::access::OperatorRole;
use app::domain::commission::compute;
use app::domain::commission::ledger::EntryKind;
use app::domain::commission::overrides::override_amounts;
use app::domain::conversion_input::ConversionInput;
use app::domain::money;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rand::RngCore;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use time::{Duration, OffsetDateTime};
use tokio::task::JoinSet;

pub const BRAND: &str = "trellis-bench";
pub const PROGRAM: &str = "bench-commissions";
/// Conversions per round of statements: 19 columns of 1,000 conversions is well under
/// PostgreSQL's 65,535 parameters, and so are their accruals and overrides.
const CHUNK: usize = 1_000;

#[derive(Debug, Default)]
pub struct Seeded {
    pub partners: usize,
    pub plans: usize,
    pub terms_versions: usize,
    pub conversions: usize,
    pub accruals: usize,
    pub overrides: usize,
    pub total: Decimal,
    /// Seconds spent generating the workload, in the setup through the repositories, inserting
    /// the rows, and rebuilding the rollups.
    pub phases: [f64; 4],
}

/// The ids of what the setup made, by workload index.
struct Ids {
    program: i64,
    partners: Vec<i64>,
    /// Per partner, per terms version.
    terms: Vec<Vec<i64>>,
    settings: CommissionSettings,
}

pub async fn run(database_url: &str, count: usize) -> Result<Seeded, String> {
    if count == 0 {
        return Err("--count must be at least 1".into());
    }
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    if programs::find_brand_by_slug(&mut conn, BRAND)
        .await
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Err(format!(
            "the database already holds benchmark data (brand \"{BRAND}\"): seed a fresh database"
        ));
    }
    let started = Instant::now();
    let workload = workload::generate(count, partners_for(count));
    let generated = started.elapsed().as_secs_f64();
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    // The benchmark's operator decides the memberships; nobody knows its password.
    let hash = passwords::hash(hex::encode(secret)).await?;
    let started = Instant::now();
    let ids = conn
        .transaction::<_, AppError, _>(async |conn| setup(conn, &workload, &hash).await)
        .await
        .map_err(|e| format!("setting up the program failed: {e}"))?;
    let set_up = started.elapsed().as_secs_f64();

    // The rows, by as many connections as there are cores (PostgreSQL does most of the work:
    // foreign-key checks and index entries), each taking every n-th chunk in one transaction.
    let started = Instant::now();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let shared = Arc::new((workload, ids));
    let mut tasks = JoinSet::new();
    for worker in 0..workers {
        let shared = shared.clone();
        let url = database_url.to_owned();
        tasks.spawn(async move {
            let (workload, ids) = &*shared;
            let mut conn = app::backend::db::connect(&url).await.map_err(|e| e.to_string())?;
            conn.transaction::<_, AppError, _>(async |conn| {
                let mut seeded = Seeded::default();
                for (chunk, conversions) in workload.conversions.chunks(CHUNK).enumerate() {
                    if chunk % workers == worker {
                        insert_chunk(conn, workload, ids, chunk * CHUNK, conversions.len(), &mut seeded).await?;
                    }
                }
                Ok(seeded)
            })
            .await
            .map_err(|e| e.to_string())
        });
    }
    let (workload, ids) = &*shared;
    let mut seeded = Seeded {
        partners: workload.partners.len(),
        plans: workload.plans.len(),
        terms_versions: ids.terms.iter().map(Vec::len).sum(),
        ..Seeded::default()
    };
    while let Some(done) = tasks.join_next().await {
        let part = done
            .map_err(|e| e.to_string())
            .and_then(|part| part)
            .map_err(|e| format!("inserting the rows failed (drop this database and seed a fresh one): {e}"))?;
        seeded.conversions += part.conversions;
        seeded.accruals += part.accruals;
        seeded.overrides += part.overrides;
        seeded.total += part.total;
    }
    let inserted = started.elapsed().as_secs_f64();

    let started = Instant::now();
    stats::rebuild(&mut conn).await.map_err(|e| e.to_string())?;
    month_totals::rebuild(&mut conn).await.map_err(|e| e.to_string())?;
    seeded.phases = [generated, set_up, inserted, started.elapsed().as_secs_f64()];
    Ok(seeded)
}

async fn setup(conn: &mut AsyncPgConnection, workload: &Workload, hash: &str) -> Result<Ids, AppError> {
    let now = OffsetDateTime::now_utc();
    let joined = workload::START - Duration::days(30);
    let brand = programs::insert_brand(conn, "Trellis benchmark", BRAND).await?;
    let program = programs::insert(
        conn,
        &NewProgram {
            brand_id: brand,
            name: "Commission benchmark",
            slug: PROGRAM,
            currency: CURRENCY,
            description: "Synthetic conversions and commissions for make bench.",
            terms: "Benchmark data, not a real program.",
        },
    )
    .await?;
    let operator = users::insert_operator(
        conn,
        "bench-operator@trellis.invalid",
        "Benchmark operator",
        OperatorRole::Admin,
        hash,
    )
    .await?;
    let mut plan_ids = Vec::new();
    for (name, plan) in &workload.plans {
        let row = plans::insert(conn, program.id, name, plan, Some(operator.id), now)
            .await?
            .ok_or_else(|| AppError::Conflict(format!("plan \"{name}\" exists already")))?;
        plan_ids.push(row.id);
    }
    plans::set_default(conn, program.id, plan_ids[0]).await?;
    let settings = CommissionSettings {
        auto_approve_below: Some(Decimal::from(25)),
        finance_above: Some(Decimal::from(500)),
        lock_days: 30,
        sla_remind_hours: 48,
        sla_escalate_hours: 96,
        sub_partner_invites: false,
    };
    commission_settings::update(conn, program.id, &settings).await?;
    let mut partner_ids = Vec::new();
    let mut terms_ids = Vec::new();
    for (i, partner) in workload.partners.iter().enumerate() {
        let row = partners::insert(
            conn,
            &NewPartner {
                name: &format!("Bench partner {i}"),
                email: &format!("partner{i}@bench.trellis.invalid"),
                kind: "affiliate",
                country: "DE",
                website: None,
            },
        )
        .await?;
        let membership = memberships::insert_application(
            conn,
            row.id,
            program.id,
            "Synthetic partner for the commission benchmark.",
            joined,
        )
        .await?;
        memberships::set_status(conn, membership.id, "active", None, operator.id, joined).await?;
        coupons::insert(conn, program.id, row.id, &coupon(i), joined).await?;
        let mut versions = Vec::new();
        for terms in &partner.terms {
            let overrides = serde_json::to_value(&terms.overrides).expect("overrides serialize");
            let id = terms::insert(
                conn,
                &NewTerms {
                    program_id: program.id,
                    partner_id: row.id,
                    plan_id: plan_ids[terms.plan],
                    overrides,
                    effective_from: terms.effective_from,
                    author_id: Some(operator.id),
                    reason: "Benchmark terms",
                },
                joined,
            )
            .await?;
            versions.push(id);
        }
        partner_ids.push(row.id);
        terms_ids.push(versions);
    }
    for (i, partner) in workload.partners.iter().enumerate() {
        if let Some(master) = partner.master {
            sub_partners::set_master(
                conn,
                program.id,
                partner_ids[i],
                partner_ids[master],
                Some(operator.id),
                joined,
            )
            .await?;
        }
    }
    Ok(Ids {
        program: program.id,
        partners: partner_ids,
        terms: terms_ids,
        settings,
    })
}

fn coupon(partner: usize) -> String {
    format!("BENCH{partner}")
}

fn customer_id(customer: u32) -> String {
    format!("bench-customer-{customer}")
}

/// Conversions `first..first + len` of the workload, with their bindings, accruals, decisions
/// and overrides: five statements.
async fn insert_chunk(
    conn: &mut AsyncPgConnection,
    workload: &Workload,
    ids: &Ids,
    first: usize,
    len: usize,
    seeded: &mut Seeded,
) -> Result<(), AppError> {
    let chunk = &workload.conversions[first..first + len];
    let received = |at: OffsetDateTime| at + Duration::seconds(2);
    let rows: Vec<NewConversion> = chunk
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let input = ConversionInput {
                order_id: format!("bench-{:08}", first + i),
                event: c.inputs.event.clone(),
                amount: c.inputs.amount,
                currency: Some(CURRENCY.into()),
                click_id: None,
                coupon: c.new_customer.then(|| coupon(c.partner as usize)),
                customer_id: Some(customer_id(c.customer)),
                customer_email: None,
                occurred_at: Some(c.occurred_at),
                metadata: None,
                program: None,
                deductions: c.inputs.deductions,
                deductions_detail: None,
                country: c.inputs.country.clone(),
            };
            NewConversion {
                program_id: ids.program,
                order_id: input.order_id.clone(),
                event: input.event.clone(),
                amount: input.amount,
                currency: input.currency.clone(),
                click_id: None,
                coupon: input.coupon.clone(),
                customer_id: input.customer_id.clone(),
                customer_email: None,
                occurred_at: c.occurred_at,
                received_at: received(c.occurred_at),
                metadata: None,
                partner_id: Some(ids.partners[c.partner as usize]),
                link_id: None,
                // A new customer came with the partner's coupon; a returning one is bound to it.
                attribution: if c.new_customer { "coupon" } else { "customer" }.into(),
                attribution_note: None,
                request: input.canonical(),
                deductions: input.deductions,
                country: input.country,
                sub1: None,
                creative_id: None,
            }
        })
        .collect();
    let stored: Vec<(i64, String)> = diesel::insert_into(conversions::table)
        .values(&rows)
        .returning((conversions::id, conversions::order_id))
        .get_results(conn)
        .await?;
    // The conversion id of each workload index in the chunk (by order id, whatever order
    // RETURNING gives).
    let mut conversion_ids = vec![0i64; len];
    for (id, order_id) in stored {
        let index: usize = order_id["bench-".len()..].parse().expect("order ids are ours");
        conversion_ids[index - first] = id;
    }

    let bindings: Vec<_> = chunk
        .iter()
        .zip(&conversion_ids)
        .filter(|(c, _)| c.new_customer)
        .map(|(c, id)| {
            (
                customer_bindings::program_id.eq(ids.program),
                customer_bindings::customer_key.eq(format!("id:{}", customer_id(c.customer))),
                customer_bindings::partner_id.eq(ids.partners[c.partner as usize]),
                customer_bindings::conversion_id.eq(*id),
                customer_bindings::created_at.eq(received(c.occurred_at)),
            )
        })
        .collect();
    if !bindings.is_empty() {
        diesel::insert_into(customer_bindings::table)
            .values(&bindings)
            .execute(conn)
            .await?;
    }

    let lock = Duration::days(ids.settings.lock_days.into());
    let accruals: Vec<NewEntry> = chunk
        .iter()
        .zip(&conversion_ids)
        .map(|(c, id)| {
            let partner = &workload.partners[c.partner as usize];
            let terms = &partner.terms[c.terms as usize];
            let outcome = compute(&terms.effective, &c.inputs);
            assert_eq!(outcome.amount, c.amount, "the engine is deterministic");
            let created_at = received(c.occurred_at);
            NewEntry {
                conversion_id: Some(*id),
                program_id: ids.program,
                partner_id: ids.partners[c.partner as usize],
                kind: EntryKind::Accrual.as_str().into(),
                amount: outcome.amount,
                currency: CURRENCY.into(),
                refund_id: None,
                explanation: format!(
                    "{} v{}: {}",
                    workload.plans[terms.plan].0,
                    c.terms + 1,
                    outcome.explanation()
                ),
                terms_version_id: Some(ids.terms[c.partner as usize][c.terms as usize]),
                inputs: Some(serde_json::to_value(&c.inputs).expect("inputs serialize")),
                source_id: None,
                level: None,
                reason: None,
                created_by: None,
                payable_at: created_at + lock,
                created_at,
            }
        })
        .collect();
    let stored: Vec<(i64, Option<i64>)> = diesel::insert_into(commissions::table)
        .values(&accruals)
        .returning((commissions::id, commissions::conversion_id))
        .get_results(conn)
        .await?;
    let index_of: HashMap<i64, usize> = conversion_ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut accrual_ids = vec![0i64; len];
    for (id, conversion_id) in stored {
        accrual_ids[index_of[&conversion_id.expect("accruals have a conversion")]] = id;
    }

    let decisions: Vec<_> = accruals
        .iter()
        .zip(&accrual_ids)
        .map(|(entry, id)| {
            let (state, why) = ids.settings.routing().route(entry.amount, None, CURRENCY);
            let (status, stage) = state.columns();
            (
                commission_decisions::commission_id.eq(*id),
                commission_decisions::seq.eq(1),
                commission_decisions::status.eq(status),
                commission_decisions::stage.eq(stage),
                commission_decisions::reason.eq(why),
                commission_decisions::created_at.eq(entry.created_at),
            )
        })
        .collect();
    diesel::insert_into(commission_decisions::table)
        .values(&decisions)
        .execute(conn)
        .await?;

    let mut overrides = Vec::new();
    for ((c, accrual), id) in chunk.iter().zip(&accruals).zip(&accrual_ids) {
        let terms = &workload.partners[c.partner as usize].terms[c.terms as usize];
        let plan = &terms.effective;
        if plan.override_shares.is_empty() || accrual.amount <= Decimal::ZERO {
            continue;
        }
        let masters = workload.masters(c.partner as usize, plan.override_shares.len());
        let inputs = OverrideInputs {
            base: accrual.amount,
            shares: plan.override_shares.clone(),
            cap: plan.override_cap,
            masters: masters.len(),
        };
        let amounts = override_amounts(inputs.base, &inputs.shares, inputs.cap, inputs.masters, CURRENCY);
        for (level, (master, amount)) in masters.iter().zip(amounts).enumerate() {
            if amount.is_zero() {
                continue;
            }
            overrides.push(NewEntry {
                conversion_id: accrual.conversion_id,
                program_id: ids.program,
                partner_id: ids.partners[*master],
                kind: EntryKind::Override.as_str().into(),
                amount,
                currency: CURRENCY.into(),
                refund_id: None,
                explanation: format!(
                    "{}: level {} override, {}% of a sub-partner's {} commission",
                    workload.plans[terms.plan].0,
                    level + 1,
                    inputs.shares[level].normalize(),
                    money::format(accrual.amount, CURRENCY)
                ),
                terms_version_id: accrual.terms_version_id,
                inputs: Some(serde_json::to_value(&inputs).expect("inputs serialize")),
                source_id: Some(*id),
                level: Some(level as i16 + 1),
                reason: None,
                created_by: None,
                payable_at: accrual.payable_at,
                created_at: accrual.created_at,
            });
        }
    }
    if !overrides.is_empty() {
        diesel::insert_into(commissions::table)
            .values(&overrides)
            .execute(conn)
            .await?;
    }
    seeded.conversions += len;
    seeded.accruals += accruals.len();
    seeded.overrides += overrides.len();
    seeded.total += accruals.iter().chain(&overrides).map(|e| e.amount).sum::<Decimal>();
    Ok(())
}
