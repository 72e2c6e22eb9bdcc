//! `trellis bench-payouts`: a payout run over many partners and entries (make bench). It seeds
//! (once per database) a EUR program with `partners` partners, each with sealed SEPA details and a
//! W-8BEN, and `entries` payable ledger entries spread over them; then it times the run's
//! creation, its approval by a second person and the SEPA export, and reports the process's
//! peak memory (the run is gathered and attached in the database, so memory stays bounded by
//! the number of partners, not of entries). Needs TRELLIS_BENCH_ROUTES=true.

use super::bench_sql::{execute, number};
use app::api::error::AppError;
use app::backend::auth::AuthUser;
use app::backend::data_key::{self, DataKey};
use app::backend::db;
use app::backend::flows::RequestMeta;
use app::backend::payouts::details::ACCOUNT_CONTEXT;
use app::backend::payouts::runs::{self, RunRequest};
use app::backend::payouts::{files, Finance};
use app::backend::repos::users::{self, Account};
use app::backend::scope::Scope;
use app::domain::access::OperatorRole;
use app::domain::payouts::iban;
use diesel::sql_types::{Array, BigInt, Bytea, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::time::Instant;
use time::OffsetDateTime;

/// The process's peak resident memory, in MiB (Linux).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

pub async fn run(database_url: &str, partners: i64, entries: i64) -> Result<(), String> {
    let mut conn = db::connect(database_url).await.map_err(|e| e.to_string())?;
    let key = DataKey::from_base64(&DataKey::generate()).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let program = seed(&mut conn, &key, partners, entries).await?;
    let seeded = started.elapsed().as_secs_f64();
    println!("seeded {partners} partners and {entries} payable entries in {seeded:.1} s");
    let (maker, checker) = (
        operator(&mut conn, "maker@bench.test").await?,
        operator(&mut conn, "checker@bench.test").await?,
    );
    let scope = Scope::everything(&mut conn).await.map_err(|e| e.to_string())?;
    let meta = RequestMeta::default();
    let fin = |user| Finance {
        user,
        scope: &scope,
        meta: &meta,
        base_url: "",
        now: OffsetDateTime::now_utc(),
    };
    let brand = number(
        &mut conn,
        &format!("SELECT brand_id AS n FROM programs WHERE id = {program}"),
    )
    .await?;
    let request = RunRequest {
        brand_id: Some(brand),
        as_of: OffsetDateTime::now_utc().date(),
    };
    let clock = Instant::now();
    let made = runs::create(&mut conn, &fin(&maker), &request).await.map_err(error)?;
    let create = clock.elapsed().as_secs_f64();
    println!(
        "run #{} made in {create:.1} s: {} items, {} held back, {} entries",
        made.run_id, made.items, made.skips, made.entries
    );
    let clock = Instant::now();
    runs::approve(&mut conn, &fin(&checker), made.run_id)
        .await
        .map_err(error)?;
    let approve = clock.elapsed().as_secs_f64();
    let clock = Instant::now();
    let file = files::sepa_file(&mut conn, &fin(&maker), Some(&key), made.run_id, brand)
        .await
        .map_err(error)?;
    let sepa = clock.elapsed().as_secs_f64();
    let transfers = file.body.matches("<CdtTrfTxInf>").count();
    println!(
        "approved in {approve:.2} s; SEPA file of {transfers} transfers ({} KiB) in {sepa:.1} s",
        file.body.len() / 1024
    );
    let unbalanced = number(
        &mut conn,
        &format!(
            "SELECT count(*) AS n FROM payout_items i WHERE i.run_id = {} AND i.amount <>
                (SELECT sum(e.amount) FROM payout_item_entries e WHERE e.item_id = i.id)",
            made.run_id
        ),
    )
    .await?;
    println!(
        "RESULT partners={partners} entries={} items={} create={create:.2} approve={approve:.3} sepa={sepa:.2} peak_rss_mib={:.0} unbalanced={unbalanced}",
        made.entries,
        made.items,
        peak_rss_mib()
    );
    Ok(())
}

fn error(e: AppError) -> String {
    e.to_string()
}

/// The bench program's id; seeds it the first time.
async fn seed(conn: &mut AsyncPgConnection, key: &DataKey, partners: i64, entries: i64) -> Result<i64, String> {
    // A fresh database each run: the bench script drops and makes it.
    execute(
        conn,
        "INSERT INTO brands (name, slug, legal_name, address, country) VALUES ('Bench Brand', 'bench', 'Bench Brand GmbH', 'Berlin', 'DE')",
    )
    .await?;
    let program = number(
        conn,
        "INSERT INTO programs (brand_id, name, slug, currency, terms)
         SELECT id, 'Bench Payouts', 'bench-payouts', 'EUR', 't' FROM brands WHERE slug = 'bench' RETURNING id AS n",
    )
    .await?;
    for (email, role) in [("maker@bench.test", "finance"), ("checker@bench.test", "finance")] {
        execute(
            conn,
            &format!("INSERT INTO users (email, display_name, kind, operator_role) VALUES ('{email}', '{email}', 'operator', '{role}')"),
        )
        .await?;
    }
    let debtor = iban::with_check_digits("DE", "500105175407324931");
    execute(
        conn,
        &format!("INSERT INTO brand_payout_settings (brand_id, debtor_iban, debtor_bic) SELECT id, '{debtor}', 'INGDDEFFXXX' FROM brands WHERE slug = 'bench'"),
    )
    .await?;
    execute(
        conn,
        &format!(
            "INSERT INTO partners (name, email, kind, country)
             SELECT 'Bench Partner ' || n, 'p' || n || '@bench.test', 'affiliate', 'DE' FROM generate_series(1, {partners}) n"
        ),
    )
    .await?;
    execute(
        conn,
        &format!(
            "INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
             SELECT id, {program}, 'active', 'bench', now() FROM partners WHERE email LIKE '%@bench.test'"
        ),
    )
    .await?;
    seal_details(conn, key).await?;
    execute(
        conn,
        "INSERT INTO tax_profiles (partner_id, form, legal_name, address, country, treaty_article, invoice_name, invoice_address, created_at)
         SELECT id, 'w8ben', name, 'Berlin', 'DE', 'Article 7', name, 'Berlin', now() - interval '60 days' FROM partners WHERE email LIKE '%@bench.test'",
    )
    .await?;
    let admin = number(conn, "SELECT id AS n FROM users WHERE email = 'maker@bench.test'").await?;
    // Adjustments, approved long ago: payable entries without the conversions behind them,
    // which the run never reads. In batches, so the WAL and memory stay small.
    let batch = 200_000;
    let mut done = 0;
    while done < entries {
        let count = batch.min(entries - done);
        execute(
            conn,
            &format!(
                "WITH p AS (SELECT array_agg(id ORDER BY id) AS ids FROM partners WHERE email LIKE '%@bench.test'),
                 e AS (
                    INSERT INTO commissions (program_id, partner_id, kind, amount, currency, explanation, reason, created_by, payable_at, created_at)
                    SELECT {program}, p.ids[1 + (n % cardinality(p.ids))], 'adjustment', (1 + n % 40)::numeric, 'EUR',
                           'adjustment: bench', 'bench', {admin}, now() - interval '40 days', now() - interval '40 days'
                    FROM p, generate_series({done}, {done} + {count} - 1) n
                    RETURNING id)
                 INSERT INTO commission_decisions (commission_id, seq, status, actor_id, reason, created_at)
                 SELECT id, 1, 'approved', {admin}, 'bench', now() - interval '40 days' FROM e"
            ),
        )
        .await?;
        done += count;
    }
    execute(conn, "ANALYZE").await?;
    Ok(program)
}

/// Each partner's SEPA details, sealed as the portal seals them, inserted in batches.
async fn seal_details(conn: &mut AsyncPgConnection, key: &DataKey) -> Result<(), String> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let ids: Vec<Id> = diesel::sql_query("SELECT id FROM partners WHERE email LIKE '%@bench.test' ORDER BY id")
        .load(conn)
        .await
        .map_err(|e| e.to_string())?;
    for chunk in ids.chunks(2_000) {
        let (mut partner_ids, mut sealed, mut last4) = (Vec::new(), Vec::new(), Vec::new());
        for Id { id } in chunk {
            let account = iban::with_check_digits("DE", &format!("37040044{id:010}"));
            sealed.push(key.seal(&account, &data_key::context(*id, ACCOUNT_CONTEXT)));
            last4.push(app::domain::payouts::last4(&account));
            partner_ids.push(*id);
        }
        conn.transaction::<_, diesel::result::Error, _>(async |conn| {
            diesel::sql_query(
                "INSERT INTO payout_methods (partner_id, currency, kind, account_holder, account_sealed, account_last4, bank_code, key_id, created_at)
                 SELECT p, 'EUR', 'sepa', 'Bench Partner ' || p, s, l, 'COBADEFFXXX', $4, now() - interval '60 days'
                 FROM unnest($1::bigint[], $2::bytea[], $3::text[]) AS t(p, s, l)",
            )
            .bind::<Array<BigInt>, _>(&partner_ids)
            .bind::<Array<Bytea>, _>(&sealed)
            .bind::<Array<Text>, _>(&last4)
            .bind::<Text, _>(key.id())
            .execute(conn)
            .await
            .map(drop)
        })
        .await
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

async fn operator(conn: &mut AsyncPgConnection, email: &str) -> Result<AuthUser, String> {
    let user = users::find_by_email(conn, email)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no operator {email}"))?;
    Ok(AuthUser {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        account: Account::Operator(OperatorRole::Finance),
        brand_scoped: false,
    })
}
