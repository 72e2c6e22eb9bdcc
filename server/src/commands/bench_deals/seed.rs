//! `trellis bench-deals seed --deals N`: fills the benchmark's programs with deals until they
//! hold N, with INSERT … SELECT over generate_series: six programs (four in USD, two in EUR),
//! partners of five kinds who are members of every program, and deals spread over a year of
//! registration weeks in every status and stage. Running it again with a larger N adds the
//! difference, so one database serves the baseline (1,000 deals) and then the full size.

use super::BRAND;
use diesel::sql_types::BigInt;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::time::Instant;

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn number(conn: &mut AsyncPgConnection, sql: &str) -> Result<i64, String> {
    diesel::sql_query(sql)
        .get_result::<N>(conn)
        .await
        .map(|r| r.n)
        .map_err(|e| e.to_string())
}

async fn execute(conn: &mut AsyncPgConnection, sql: &str) -> Result<(), String> {
    diesel::sql_query(sql)
        .execute(conn)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

const PROGRAMS: [(&str, &str); 6] = [
    ("Resellers Americas", "USD"),
    ("Resellers EMEA", "EUR"),
    ("Systems integrators", "USD"),
    ("Managed services", "USD"),
    ("Referral partners", "EUR"),
    ("Marketplace", "USD"),
];

async fn set_up(conn: &mut AsyncPgConnection, partners: usize) -> Result<(), String> {
    execute(
        conn,
        &format!("INSERT INTO brands (name, slug) VALUES ('Bench deals', '{BRAND}')"),
    )
    .await?;
    for (i, (name, currency)) in PROGRAMS.iter().enumerate() {
        execute(
            conn,
            &format!(
                "INSERT INTO programs (brand_id, name, slug, currency, terms, deal_sla_hours)
                 SELECT id, '{name}', '{BRAND}-{i}', '{currency}', 'Register before you quote.', {} FROM brands WHERE slug = '{BRAND}'",
                24 * (1 + i % 3)
            ),
        )
        .await?;
    }
    execute(
        conn,
        &format!(
            "INSERT INTO partners (name, email, kind, country)
             SELECT 'Partner ' || i, 'partner' || i || '@{BRAND}.test',
                    (ARRAY['reseller', 'si', 'msp', 'referral', 'isv'])[1 + i % 5], 'US'
             FROM generate_series(1, {partners}) i"
        ),
    )
    .await?;
    execute(
        conn,
        &format!(
            "INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
             SELECT p.id, g.id, 'active', 'resale', now()
             FROM partners p CROSS JOIN programs g JOIN brands b ON b.id = g.brand_id
             WHERE b.slug = '{BRAND}' AND p.email LIKE '%@{BRAND}.test'"
        ),
    )
    .await
}

/// Deals `first` to `last` (their numbers pick program, partner, status, stage and dates).
fn deals_sql(first: i64, last: i64) -> String {
    format!(
        "WITH g AS (SELECT array_agg(g.id ORDER BY g.id) AS ids, array_agg(g.currency ORDER BY g.id) AS currencies
                    FROM programs g JOIN brands b ON b.id = g.brand_id WHERE b.slug = '{BRAND}'),
              p AS (SELECT array_agg(id ORDER BY id) AS ids FROM partners WHERE email LIKE '%@{BRAND}.test')
         INSERT INTO deals (program_id, partner_id, company, domain, country, contact_name, contact_email, value,
                            currency, expected_close, status, stage, protected_until, submitted_at, decided_at, closed_at)
         SELECT g.ids[1 + i % cardinality(g.ids)], p.ids[1 + (i * 7) % cardinality(p.ids)], 'Prospect ' || i,
                'd' || i || '.bench.test', 'US', 'Pat Buyer', 'pat@prospect.test', 1000 + (i * 7919) % 99000,
                g.currencies[1 + i % cardinality(g.ids)], (s.submitted + (30 + i % 90) * interval '1 day')::date,
                s.status,
                CASE s.status WHEN 'pending' THEN 'registered' WHEN 'rejected' THEN 'registered'
                              WHEN 'won' THEN 'won' WHEN 'lost' THEN 'lost'
                              ELSE (ARRAY['registered', 'qualified', 'proposal', 'negotiation'])[1 + (i / 10) % 4] END,
                CASE WHEN s.status = 'approved' THEN now() + interval '90 days' END,
                s.submitted,
                CASE WHEN s.status <> 'pending' THEN s.submitted + (i % 96) * interval '1 hour' END,
                CASE WHEN s.status IN ('won', 'lost') THEN LEAST(now(), s.submitted + (20 + i % 60) * interval '1 day') END
         FROM generate_series({first}::bigint, {last}::bigint) i, g, p,
              LATERAL (SELECT now() - (i % 365) * interval '1 day' - (i % 24) * interval '1 hour' AS submitted,
                              (ARRAY['pending', 'pending', 'approved', 'approved', 'approved', 'won', 'lost',
                                     'rejected', 'expired', 'approved'])[1 + i % 10] AS status) s"
    )
}

/// Returns (deals now held, deals added, seconds).
pub async fn run(database_url: &str, deals: i64, partners: usize) -> Result<(i64, i64, f64), String> {
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let started = Instant::now();
    if number(
        &mut conn,
        &format!("SELECT count(*) AS n FROM brands WHERE slug = '{BRAND}'"),
    )
    .await?
        == 0
    {
        set_up(&mut conn, partners.max(1)).await?;
    }
    let held = number(
        &mut conn,
        &format!("SELECT count(*) AS n FROM deals d JOIN programs g ON g.id = d.program_id JOIN brands b ON b.id = g.brand_id WHERE b.slug = '{BRAND}'"),
    )
    .await?;
    // 20,000 deals per statement keeps each transaction's memory small.
    let mut next = held + 1;
    while next <= deals {
        let last = (next + 19_999).min(deals);
        execute(&mut conn, &deals_sql(next, last)).await?;
        next = last + 1;
    }
    app::backend::repos::deals::fill_match_keys(&mut conn)
        .await
        .map_err(|e| format!("filling the match keys failed: {e}"))?;
    // What autovacuum would soon do on a table this size: statistics and the visibility map.
    execute(&mut conn, "VACUUM (ANALYZE) deals, partners, programs").await?;
    Ok((deals.max(held), (deals - held).max(0), started.elapsed().as_secs_f64()))
}
