//! `trellis bench-tiers`: the tier evaluation over many partners (make bench-tiers). It seeds a
//! EUR program with `partners` active partners, daily rollups worth `clicks` clicks over the last
//! 90 days (one row per partner and day) and a four-tier ladder; then it times the first
//! evaluation (every partner placed, the promoted ones emailed), the daily case (nobody moves)
//! and a day on which a tenth of the partners fall short (each warned by email); then segment
//! counts over the same partners (who they are, their window's performance, their activity). Needs
//! TRELLIS_BENCH_ROUTES=true, on a database made for it.

use super::bench_sql::{execute, number};
use app::backend::db;
use app::backend::repos::{segments, tiers};
use app::backend::tiers::evaluate::{evaluate_program, Summary};
use app::domain::segments::filter;
use app::domain::tiers::{Criteria, Ladder, Tier};
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use std::time::Instant;
use time::OffsetDateTime;

pub async fn run(database_url: &str, partners: i64, clicks: i64) -> Result<(), String> {
    let mut conn = db::connect(database_url).await.map_err(|e| e.to_string())?;
    let now = OffsetDateTime::now_utc();
    let started = Instant::now();
    let program = seed(&mut conn, partners, clicks).await?;
    let rows = number(&mut conn, "SELECT count(*) AS n FROM daily_stats").await?;
    let stored = number(&mut conn, "SELECT sum(clicks)::BIGINT AS n FROM daily_stats").await?;
    println!(
        "seeded {partners} partners and {rows} daily rollup rows ({stored} clicks) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (first, placed) = timed(&mut conn, program, now).await?;
    println!("E1 first evaluation: {first:.2} s ({})", placed.describe());
    let (daily, steady) = timed(&mut conn, program, now).await?;
    println!("E2 the daily case: {daily:.2} s ({})", steady.describe());
    // A tenth of the partners lose their revenue: each falls short of its tier and is warned.
    execute(
        &mut conn,
        &format!("UPDATE daily_stats SET revenue = 0 WHERE program_id = {program} AND partner_id % 10 = 0"),
    )
    .await?;
    let (short, warned) = timed(&mut conn, program, now).await?;
    println!("E3 a tenth fall short: {short:.2} s ({})", warned.describe());
    let mut segment_ms = Vec::new();
    for (label, pairs) in SEGMENTS {
        let (ms, members) = segment_count(&mut conn, program, pairs, now.date()).await?;
        println!("S {label}: {members} members, {ms:.1} ms (median of {COUNTS})");
        segment_ms.push(format!("{ms:.1}"));
    }
    println!(
        "RESULT first={first:.2} daily={daily:.2} short={short:.2} partners={} placed={} moved_daily={} warned={} seg_who={} seg_revenue={} seg_activity={}",
        placed.evaluated,
        placed.promoted,
        steady.promoted + steady.demoted + steady.warned + steady.recovered,
        warned.warned,
        segment_ms[0],
        segment_ms[1],
        segment_ms[2]
    );
    Ok(())
}

/// The segment counts timed: who they are only, performance over the 90-day window, activity.
const SEGMENTS: [(&str, &[(&str, &str)]); 3] = [
    ("who (kind, country)", &[("kind", "affiliate"), ("country", "DE")]),
    (
        "revenue and conversions over 90 days",
        &[("min_revenue", "100000"), ("min_conversions", "80")],
    ),
    (
        "active in 14 days, activated",
        &[("active_within_days", "14"), ("onboarding", "activated")],
    ),
];
const COUNTS: usize = 5;

/// The median time of `COUNTS` counts of the segment, in milliseconds, and its members.
async fn segment_count(
    conn: &mut AsyncPgConnection,
    program: i64,
    pairs: &[(&str, &str)],
    today: time::Date,
) -> Result<(f64, i64), String> {
    let fields = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let filter = filter::parse(&fields, &[]).map_err(|e| format!("{e:?}"))?;
    let mut times = Vec::new();
    let mut members = 0;
    for _ in 0..COUNTS {
        let started = Instant::now();
        members = segments::count(conn, program, &filter, today)
            .await
            .map_err(|e| e.to_string())?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((times[COUNTS / 2], members))
}

async fn timed(conn: &mut AsyncPgConnection, program: i64, now: OffsetDateTime) -> Result<(f64, Summary), String> {
    let started = Instant::now();
    let summary = evaluate_program(conn, program, None, None, "", now)
        .await
        .map_err(|e| e.to_string())?;
    Ok((started.elapsed().as_secs_f64(), summary))
}

async fn seed(conn: &mut AsyncPgConnection, partners: i64, clicks: i64) -> Result<i64, String> {
    // A fresh database each run: the bench script drops and makes it.
    execute(conn, "INSERT INTO brands (name, slug) VALUES ('Bench Brand', 'bench')").await?;
    let program = number(
        conn,
        "INSERT INTO programs (brand_id, name, slug, currency, terms)
         SELECT id, 'Bench Tiers', 'bench-tiers', 'EUR', 't' FROM brands WHERE slug = 'bench' RETURNING id AS n",
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
    // Approved between today and 399 days ago, so "days in the program" varies.
    execute(
        conn,
        &format!(
            "INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at, decided_at)
             SELECT id, {program}, 'active', 'bench', now(), now() - (id % 400) * interval '1 day' FROM partners"
        ),
    )
    .await?;
    // One rollup row per partner and day over 90 days; revenue over the window runs from about
    // EUR 4,000 to EUR 184,000 by partner, conversions about 90.
    let per_row = (clicks / (partners * 90)).max(1);
    execute(
        conn,
        &format!(
            "INSERT INTO daily_stats (day, program_id, partner_id, link_id, sub1, clicks, unique_clicks, conversions, revenue)
             SELECT current_date - d, {program}, m.partner_id, 0, '', {per_row}, {per_row}, (m.partner_id + d) % 3,
                    (m.partner_id % 1000) * 2 + d
             FROM program_memberships m, generate_series(0, 89) d WHERE m.program_id = {program}"
        ),
    )
    .await?;
    execute(conn, "ANALYZE").await?;
    let tier = |name: &str, revenue: i64, conversions: i64, days: i64| Tier {
        name: name.into(),
        criteria: Criteria {
            min_revenue: Decimal::from(revenue),
            min_conversions: conversions,
            min_days_in_program: days,
            ..Criteria::default()
        },
        plan_id: None,
        protection_days: None,
        mdf_share: None,
    };
    let ladder = Ladder {
        window_days: 90,
        grace_days: 30,
        tiers: vec![
            tier("Registered", 0, 0, 0),
            tier("Silver", 40_000, 0, 0),
            tier("Gold", 100_000, 80, 0),
            tier("Platinum", 160_000, 80, 180),
        ],
    };
    tiers::replace(conn, program, &ladder)
        .await
        .map_err(|e| e.to_string())?;
    Ok(program)
}
