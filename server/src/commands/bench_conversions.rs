//! Benchmark data for conversion ingest (B4), written into the demo's database by `make bench`:
//! - `partners`: active partners with the program's default plan, each with the coupon
//!   PREFIX1..PREFIXn that the load generator reports conversions with;
//! - `backfill`: conversions already stored in one partner's current month (attributed, as
//!   earlier sales of that partner would be), so that ingest can be timed with a full month behind
//!   it. The running month totals are rebuilt afterwards.

use app::api::error::AppError;
use app::backend::repos::partners::{self, NewPartner};
use app::backend::repos::terms::{self, NewTerms};
use app::backend::repos::{coupons, memberships, month_totals, plans, programs};
use diesel::sql_types::{BigInt, Text, Timestamptz};
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

async fn connect(database_url: &str) -> Result<AsyncPgConnection, String> {
    app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

async fn program_id(conn: &mut AsyncPgConnection, slug: &str) -> Result<i64, AppError> {
    let (program, _) = programs::find_by_slug(conn, slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no program with the slug \"{slug}\"")))?;
    Ok(program.id)
}

/// Adds `count` active partners holding the coupons `{prefix}1..={prefix}{count}`.
pub async fn partners(database_url: &str, slug: &str, prefix: &str, count: usize) -> Result<(), String> {
    let mut conn = connect(database_url).await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let program = program_id(conn, slug).await?;
        let plan = plans::default_plan_id(conn, program)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("program \"{slug}\" has no default plan")))?;
        let operator: Id = diesel::sql_query("SELECT id FROM users WHERE kind = 'operator' ORDER BY id LIMIT 1")
            .get_result(conn)
            .await?;
        let now = OffsetDateTime::now_utc();
        for i in 1..=count {
            let code = format!("{prefix}{i}");
            let partner = partners::insert(
                conn,
                &NewPartner {
                    name: &format!("Load partner {code}"),
                    email: &format!("{}@bench.trellis.invalid", code.to_lowercase()),
                    kind: "affiliate",
                    country: "DE",
                    website: None,
                },
            )
            .await?;
            let membership =
                memberships::insert_application(conn, partner.id, program, "Partner for the ingest benchmark.", now)
                    .await?;
            memberships::set_status(conn, membership.id, "active", None, operator.id, now).await?;
            coupons::insert(conn, program, partner.id, &code, now).await?;
            let terms = NewTerms {
                program_id: program,
                partner_id: partner.id,
                plan_id: plan,
                overrides: serde_json::json!({}),
                effective_from: now - time::Duration::days(400),
                author_id: Some(operator.id),
                reason: "Benchmark terms",
            };
            terms::insert(conn, &terms, now).await?;
        }
        Ok(())
    })
    .await
    .map_err(|e| e.to_string())
}

/// Stores `count` sales of the coupon holder's in the current month, then rebuilds the totals.
pub async fn backfill(database_url: &str, slug: &str, coupon: &str, count: i64) -> Result<(), String> {
    let mut conn = connect(database_url).await?;
    let program = program_id(&mut conn, slug).await.map_err(|e| e.to_string())?;
    let partner = coupons::holder(&conn, program, coupon)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("nobody holds the coupon {coupon}"))?;
    let now = OffsetDateTime::now_utc();
    let month = month_totals::month_of(now).midnight().assume_utc();
    // Spread over the month so far; each is a coupon sale with its canonical request.
    diesel::sql_query(
        "INSERT INTO conversions (program_id, order_id, event, amount, currency, coupon, occurred_at,
                                  received_at, partner_id, attribution, request)
         SELECT $1, 'backfill-' || $3 || '-' || n, 'sale', 10 + n % 90, 'EUR', $3,
                $4 + ($5 - $4) * (n::float8 / $6), $5, $2, 'coupon',
                jsonb_build_object('order_id', 'backfill-' || $3 || '-' || n, 'event', 'sale')
         FROM generate_series(1, $6) AS n",
    )
    .bind::<BigInt, _>(program)
    .bind::<BigInt, _>(partner)
    .bind::<Text, _>(coupon)
    .bind::<Timestamptz, _>(month)
    .bind::<Timestamptz, _>(now)
    .bind::<BigInt, _>(count)
    .execute(&mut conn)
    .await
    .map_err(|e| format!("storing the conversions failed: {e}"))?;
    month_totals::rebuild(&mut conn)
        .await
        .map_err(|e| format!("rebuilding the month totals failed: {e}"))
}
