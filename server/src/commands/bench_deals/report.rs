//! `trellis bench-deals report`: the server time of the pipeline report's data, which is what
//! the page's server function does after checking the operator: every query of every table,
//! the tables sorted and paged, the cards and charts (`api::deal_reports::build::report`).
//! Measured unfiltered (the heaviest) and for one program's last 90 days.

use super::{quantile, BRAND};
use app::api::deal_reports::build;
use app::backend::repos::deal_reports::Filter;
use diesel::sql_types::BigInt;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::time::Instant;
use time::{Duration, OffsetDateTime};

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// (p50, min, max) in milliseconds of `rounds` builds after two unmeasured ones.
async fn time(conn: &mut AsyncPgConnection, filter: &Filter, rounds: usize) -> Result<(f64, f64, f64), String> {
    let mut samples = Vec::new();
    let scope = app::backend::scope::Scope::everything(conn)
        .await
        .map_err(|e| e.to_string())?;
    for round in 0..rounds + 2 {
        let started = Instant::now();
        let report = build::report(conn, filter.clone(), "", OffsetDateTime::now_utc(), true, &scope)
            .await
            .map_err(|e| e.to_string())?;
        std::hint::black_box(report);
        if round >= 2 {
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    samples.sort_by(f64::total_cmp);
    Ok((quantile(&samples, 0.5), samples[0], samples[samples.len() - 1]))
}

pub async fn run(database_url: &str, rounds: usize) -> Result<(), String> {
    let rounds = rounds.max(1);
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let deals = diesel::sql_query("SELECT count(*) AS n FROM deals")
        .get_result::<N>(&mut conn)
        .await
        .map_err(|e| e.to_string())?
        .n;
    let program = diesel::sql_query(format!(
        "SELECT min(g.id) AS n FROM programs g JOIN brands b ON b.id = g.brand_id WHERE b.slug = '{BRAND}'"
    ))
    .get_result::<N>(&mut conn)
    .await
    .map_err(|e| format!("seed the deals first (trellis bench-deals seed): {e}"))?
    .n;
    let today = OffsetDateTime::now_utc().date();
    // An operator who sees every brand, as the bench's worst case.
    let everything = Filter {
        in_scope: app::backend::scope::Scope::everything(&mut conn)
            .await
            .map_err(|e| e.to_string())?
            .programs,
        ..Filter::default()
    };
    let (all_p50, all_min, all_max) = time(&mut conn, &everything, rounds).await?;
    let one = Filter {
        program_id: Some(program),
        from: Some(today - Duration::days(89)),
        to: Some(today),
        ..everything.clone()
    };
    let (one_p50, one_min, one_max) = time(&mut conn, &one, rounds).await?;
    println!("report data over {deals} deals, {rounds} rounds each");
    println!("  every program, all dates:   p50 {all_p50:.1} ms (min {all_min:.1}, max {all_max:.1})");
    println!("  one program, last 90 days:  p50 {one_p50:.1} ms (min {one_min:.1}, max {one_max:.1})");
    println!("RESULT deals={deals} rounds={rounds} all_p50_ms={all_p50:.1} all_max_ms={all_max:.1} one_p50_ms={one_p50:.1} one_max_ms={one_max:.1}");
    Ok(())
}
