//! `trellis bench-deals near-matches`: deal registration with many open deals in the program.
//! A program is filled with open registrations (pending and approved, "Prospect N" at
//! prospectN.com), then registrations are timed one after another through the partner's
//! registration flow, each for a new domain but a stored company's name, so that each gets a
//! near-match warning (the same name, and names one letter away): first with 1,000 open deals,
//! then with `--open-deals`, in the same run.

use super::quantile;
use super::register::{form, register, set_up, Racer};
use app::backend::db::build_pool;
use diesel::sql_types::BigInt;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::time::Instant;

pub struct Options {
    pub open_deals: i64,
    pub registrations: usize,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Open deals `first..=last` in the program, spread over the partners.
async fn add_open_deals(
    conn: &mut AsyncPgConnection,
    program: i64,
    partners: &[Racer],
    first: i64,
    last: i64,
) -> Result<(), String> {
    let ids: Vec<i64> = partners.iter().map(|p| p.partner_id).collect();
    let mut next = first;
    while next <= last {
        let end = (next + 19_999).min(last);
        diesel::sql_query(
            "INSERT INTO deals (program_id, partner_id, company, domain, country, contact_name, contact_email,
                                value, currency, expected_close, status, stage, protected_until, submitted_at, decided_at)
             SELECT $1, ($2::bigint[])[1 + i % cardinality($2::bigint[])], 'Prospect ' || i, 'prospect' || i || '.com',
                    'US', 'Pat Buyer', 'pat@prospect.test', 1000 + i % 9000, 'USD', current_date + 60,
                    s.status, 'registered', CASE WHEN s.status = 'approved' THEN now() + interval '90 days' END,
                    now() - interval '1 day', CASE WHEN s.status = 'approved' THEN now() END
             FROM generate_series($3::bigint, $4::bigint) i,
                  LATERAL (SELECT CASE WHEN i % 2 = 0 THEN 'pending' ELSE 'approved' END AS status) s",
        )
        .bind::<BigInt, _>(program)
        .bind::<diesel::sql_types::Array<BigInt>, _>(&ids)
        .bind::<BigInt, _>(next)
        .bind::<BigInt, _>(end)
        .execute(conn)
        .await
        .map_err(|e| format!("adding open deals failed: {e}"))?;
        next = end + 1;
    }
    app::backend::repos::deals::fill_match_keys(conn)
        .await
        .map_err(|e| format!("filling the match keys failed: {e}"))?;
    diesel::sql_query("VACUUM (ANALYZE) deals")
        .execute(conn)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Times `count` registrations one after another; returns sorted latencies in ms.
async fn time_registrations(
    pool: &app::backend::db::DbPool,
    program: i64,
    partners: &[Racer],
    open: i64,
    label: &str,
    count: usize,
) -> Result<Vec<f64>, String> {
    let mut latencies = Vec::with_capacity(count);
    for i in 0..count {
        let racer = &partners[i % partners.len()];
        // A stored company's name under a new domain: a near match, not a conflict.
        let form = form(
            &format!("Prospect {}", 1 + (i as i64 * 7919) % open),
            format!("new{label}{i}.org"),
        );
        let started = Instant::now();
        if !register(pool, program, racer, &form).await? {
            return Err(format!("registration {i} was refused as a conflict"));
        }
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    Ok(latencies)
}

pub async fn run(database_url: &str, options: Options) -> Result<(), String> {
    if options.open_deals < 1_000 || options.registrations == 0 {
        return Err("--open-deals must be at least 1000 and --registrations at least 1".into());
    }
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let (program, partners) = set_up(&mut conn, 20, "near-matches").await?;
    let pool = build_pool(database_url, 2)?;
    let mut rows = Vec::new();
    let mut open_before = 0;
    for (label, open) in [("small", 1_000), ("large", options.open_deals)] {
        add_open_deals(&mut conn, program, &partners, open_before + 1, open).await?;
        open_before = open;
        // Warm up the pool's connections and plans, then time.
        time_registrations(&pool, program, &partners, open, &format!("warm{label}"), 5).await?;
        let ms = time_registrations(&pool, program, &partners, open, label, options.registrations).await?;
        let warned: Count = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM deals WHERE program_id = {program} AND domain LIKE 'new{label}%' \
             AND EXISTS (SELECT 1 FROM unnest(warnings) w WHERE w LIKE 'Near match:%')"
        ))
        .get_result(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
        rows.push((open, quantile(&ms, 0.5), quantile(&ms, 0.99), warned.n));
    }
    for (open, p50, p99, warned) in &rows {
        println!(
            "  {open} open deals: p50 {p50:.2} ms, p99 {p99:.2} ms, {warned} of {} registrations warned of a near match",
            options.registrations
        );
    }
    let [(small, s50, s99, s_warned), (large, l50, l99, l_warned)] = rows[..] else {
        unreachable!("two sizes")
    };
    println!(
        "RESULT registrations={} small={small} small_p50_ms={s50:.2} small_p99_ms={s99:.2} small_warned={s_warned} \
         large={large} large_p50_ms={l50:.2} large_p99_ms={l99:.2} large_warned={l_warned}",
        options.registrations
    );
    Ok(())
}
