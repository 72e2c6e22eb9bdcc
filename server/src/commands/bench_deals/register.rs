//! `trellis bench-deals register`: rounds of 100 concurrent registrations through the
//! connection pool. In a conflict round 100 partners register the same account (exactly one
//! must be accepted); in a baseline round, run in the same process between them, they register
//! 100 different accounts (all accepted). Each registration's latency runs from the moment all
//! 100 are released to its answer, waiting for a pooled connection included, as a request would.
//! Each registration goes through the registration flow a partner's form uses: the checks, the
//! program's rules, near matches, the conflict index, the history, the audit event and the email
//! to approvers.

use super::{quantile, BRAND};
use app::api::error::AppError;
use app::backend::auth::AuthUser;
use app::backend::db::{build_pool, DbPool};
use app::backend::deals::{register::register as register_deal, Acting};
use app::backend::flows::RequestMeta;
use app::backend::repos::users::{self, Account};
use app::domain::access::PartnerRole;
use app::domain::deals::registration::RegistrationForm;
use diesel::sql_types::BigInt;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::sync::Arc;
use std::time::Instant;
use time::{Duration, OffsetDateTime};
use tokio::sync::Barrier;

pub struct Options {
    pub partners: usize,
    pub rounds: usize,
    pub pool_size: usize,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// A racing partner and its owner's login.
#[derive(Clone)]
pub(super) struct Racer {
    pub(super) partner_id: i64,
    user: AuthUser,
}

/// A program (its slug ends in `name`) with `partners` active reseller partners, each with an
/// owner; returns the program id and the partners.
pub(super) async fn set_up(
    conn: &mut AsyncPgConnection,
    partners: usize,
    name: &str,
) -> Result<(i64, Vec<Racer>), String> {
    let err = |e: diesel::result::Error| e.to_string();
    let program: Id = diesel::sql_query(format!(
        "WITH b AS (INSERT INTO brands (name, slug) VALUES ('Bench {name}', '{BRAND}-{name}') RETURNING id)
         INSERT INTO programs (brand_id, name, slug, currency, terms)
         SELECT id, 'Bench {name}', '{BRAND}-{name}', 'USD', 'Register before you quote.' FROM b RETURNING id"
    ))
    .get_result(conn)
    .await
    .map_err(err)?;
    let ids: Vec<Id> = diesel::sql_query(format!(
        "WITH p AS (INSERT INTO partners (name, email, kind, country)
                    SELECT 'Racer ' || i, '{name}-racer' || i || '@bench.test', 'reseller', 'US' FROM generate_series(1, {partners}) i
                    RETURNING id)
         INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
         SELECT id, {}, 'active', 'resale', now() FROM p RETURNING partner_id AS id",
        program.id
    ))
    .load(conn)
    .await
    .map_err(err)?;
    let mut racers = Vec::new();
    for Id { id } in ids {
        let email = format!("{name}-owner{id}@bench.test");
        let row = users::insert_partner_user(conn, id, &email, "Racer", PartnerRole::Owner)
            .await
            .map_err(err)?;
        let user = AuthUser {
            brand_scoped: false,
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            account: Account::Partner {
                partner_id: id,
                role: PartnerRole::Owner,
            },
        };
        racers.push(Racer { partner_id: id, user });
    }
    Ok((program.id, racers))
}

/// A registration of `company` at `domain`, closing in 60 days.
pub(super) fn form(company: &str, domain: String) -> RegistrationForm {
    RegistrationForm {
        company: company.into(),
        domain,
        country: "US".into(),
        contact_name: "Pat Buyer".into(),
        contact_email: "pat@prospect.test".into(),
        value: "25000".into(),
        currency: "USD".into(),
        expected_close: (OffsetDateTime::now_utc() + Duration::days(60)).date().to_string(),
        ..RegistrationForm::default()
    }
}

/// One registration through the partner's flow: accepted, or refused because the account is
/// registered (any other refusal is an error of the benchmark).
pub(super) async fn register(
    pool: &DbPool,
    program: i64,
    racer: &Racer,
    form: &RegistrationForm,
) -> Result<bool, String> {
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    let meta = RequestMeta::default();
    let acting = Acting {
        user: &racer.user,
        meta: &meta,
        base_url: "http://bench.test",
        now: OffsetDateTime::now_utc(),
    };
    match register_deal(&mut conn, &acting, racer.partner_id, program, form).await {
        Ok(_) => Ok(true),
        Err(AppError::Invalid(errors)) if errors.get("domain").is_some_and(|m| m.contains("already registered")) => {
            Ok(false)
        }
        Err(other) => Err(format!("registration failed: {other:?}")),
    }
}

/// One round: every partner registers `domain_of(i)` at once. Returns (accepted, latencies in ms).
async fn round(
    pool: &DbPool,
    program: i64,
    partners: &[Racer],
    domain_of: impl Fn(usize) -> String,
) -> Result<(usize, Vec<f64>), String> {
    let barrier = Arc::new(Barrier::new(partners.len()));
    let mut tasks = Vec::new();
    for (i, partner) in partners.iter().enumerate() {
        let (pool, barrier, racer, form) = (
            pool.clone(),
            barrier.clone(),
            partner.clone(),
            form("Bench Prospect", domain_of(i)),
        );
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let started = Instant::now();
            let accepted = register(&pool, program, &racer, &form).await?;
            Ok::<_, String>((accepted, started.elapsed().as_secs_f64() * 1000.0))
        }));
    }
    let mut accepted = 0;
    let mut latencies = Vec::new();
    for task in tasks {
        let (won, ms) = task.await.map_err(|e| e.to_string())??;
        accepted += usize::from(won);
        latencies.push(ms);
    }
    Ok((accepted, latencies))
}

pub async fn run(database_url: &str, options: Options) -> Result<(), String> {
    if options.partners < 2 || options.rounds == 0 {
        return Err("--partners must be at least 2 and --rounds at least 1".into());
    }
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let (program, partners) = set_up(&mut conn, options.partners, "register").await?;
    let pool = build_pool(database_url, options.pool_size)?;
    // Open the pool's connections before timing.
    round(&pool, program, &partners, |i| format!("warm-{i}.bench.test")).await?;
    let (mut conflict, mut baseline) = (Vec::new(), Vec::new());
    let mut failures = Vec::new();
    for r in 0..options.rounds {
        let (accepted, ms) = round(&pool, program, &partners, |_| format!("conflict-{r}.bench.test")).await?;
        if accepted != 1 {
            failures.push(format!("conflict round {r}: {accepted} accepted"));
        }
        conflict.extend(ms);
        let (accepted, ms) = round(&pool, program, &partners, |i| format!("free-{r}-{i}.bench.test")).await?;
        if accepted != partners.len() {
            failures.push(format!("baseline round {r}: {accepted} of {} accepted", partners.len()));
        }
        baseline.extend(ms);
    }
    for samples in [&mut conflict, &mut baseline] {
        samples.sort_by(f64::total_cmp);
    }
    let (c50, c99, b50, b99) = (
        quantile(&conflict, 0.5),
        quantile(&conflict, 0.99),
        quantile(&baseline, 0.5),
        quantile(&baseline, 0.99),
    );
    println!(
        "{} rounds of {} concurrent registrations, pool of {} connections",
        options.rounds,
        partners.len(),
        options.pool_size
    );
    println!("  one account:        p50 {c50:.2} ms, p99 {c99:.2} ms");
    println!("  different accounts: p50 {b50:.2} ms, p99 {b99:.2} ms");
    for failure in &failures {
        println!("  FAILED {failure}");
    }
    println!(
        "RESULT rounds={} partners={} pool={} conflict_p50_ms={c50:.2} conflict_p99_ms={c99:.2} baseline_p50_ms={b50:.2} baseline_p99_ms={b99:.2} failures={}",
        options.rounds,
        partners.len(),
        options.pool_size,
        failures.len()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}
