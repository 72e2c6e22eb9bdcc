//! Demo market development funds: a fund for the current quarter in the resellers' program,
//! with USD 10,000 allocated to Northwind Systems (tier Gold), so the MDF pages show something
//! real. Added once; an installation that has MDF funds in the program is left as it is.

use app::api::error::AppError;
use app::backend::repos::mdf_events::{self, NewEvent};
use app::backend::repos::mdf_funds::{self, NewAllocation, NewFund};
use app::backend::repos::{memberships, partners, programs};
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::{Date, Month, OffsetDateTime};

/// The first and last day of the quarter `now` falls in.
fn quarter(now: OffsetDateTime) -> (Date, Date, String) {
    let q = (now.month() as u8 - 1) / 3;
    let start_month = Month::try_from(q * 3 + 1).unwrap_or(Month::January);
    let start = Date::from_calendar_date(now.year(), start_month, 1).unwrap_or(now.date());
    let next = if q == 3 {
        Date::from_calendar_date(now.year() + 1, Month::January, 1)
    } else {
        Date::from_calendar_date(now.year(), Month::try_from(q * 3 + 4).unwrap_or(Month::January), 1)
    }
    .unwrap_or(now.date());
    (
        start,
        next.previous_day().unwrap_or(next),
        format!("Q{} {}", q + 1, now.year()),
    )
}

pub async fn seed(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> Result<(), AppError> {
    let Some((program, _)) = programs::find_by_slug(conn, "acme-resellers").await? else {
        return Ok(());
    };
    if !mdf_funds::funds_of_program(conn, program.id).await?.is_empty() {
        return Ok(());
    }
    let Some(partner) = partners::find_by_email(conn, "ops@northwind.test").await? else {
        return Ok(());
    };
    let membership = memberships::find(conn, partner.id, program.id).await?;
    if membership.is_none_or(|m| m.status != "active") {
        return Ok(());
    }
    memberships::set_tier(conn, program.id, partner.id, Some("Gold")).await?;
    let (start, end, name) = quarter(now);
    let fund = mdf_funds::insert_fund(
        conn,
        &NewFund {
            program_id: program.id,
            name,
            period_start: start,
            period_end: end,
            claim_days: 45,
            currency: program.currency.clone(),
            created_by: None,
            created_at: now,
        },
    )
    .await?;
    let amount = Decimal::from(10_000);
    mdf_funds::allocate(
        conn,
        &NewAllocation {
            fund_id: fund.id,
            program_id: program.id,
            partner_id: partner.id,
            amount,
            source: "tier".into(),
            tier: Some("Gold".into()),
            percent: None,
            revenue: None,
            revenue_from: None,
            revenue_to: None,
            segment_name: None,
            tier_share: None,
            pool: None,
            split_among: None,
            created_by: None,
            created_at: now,
        },
    )
    .await?;
    mdf_events::record(
        conn,
        &NewEvent {
            fund_id: fund.id,
            partner_id: partner.id,
            request_id: None,
            kind: "allocated",
            amount: Some(amount),
            actor_id: None,
            note: Some("every partner of tier Gold"),
            occurred_at: now,
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    #[test]
    fn quarters_run_from_their_first_to_their_last_day() {
        assert_eq!(
            super::quarter(datetime!(2026-05-17 10:00 UTC)),
            (date!(2026 - 04 - 01), date!(2026 - 06 - 30), "Q2 2026".into())
        );
        assert_eq!(
            super::quarter(datetime!(2026-12-31 23:00 UTC)),
            (date!(2026 - 10 - 01), date!(2026 - 12 - 31), "Q4 2026".into())
        );
    }
}
