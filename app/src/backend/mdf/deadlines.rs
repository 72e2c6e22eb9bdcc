//! The deadline job: funds whose period is over expire (requests still waiting are declined and
//! unused funds expire), and approved requests that were not claimed by their deadline lapse
//! (their funds return, or expire when the period is over). Each partner gets an email.
//!
//! Work is claimed with `FOR UPDATE SKIP LOCKED` and every change is conditional on the state
//! it finds, so any number of instances can run it as often as they like.

use super::{apply_step, known, notify, record, Act};
use crate::api::error::AppError;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::mdf_funds::{self, FundRow};
use crate::backend::repos::mdf_requests;
use crate::backend::repos::{partners, programs};
use crate::domain::mdf::balance::{step, Step};
use crate::domain::mdf::{claim, emails};
use crate::domain::money;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use time::OffsetDateTime;

const BATCH: i64 = 20;
pub const PERIOD_ENDED: &str = "The fund's period ended before a decision was made.";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Done {
    pub funds_expired: usize,
    pub requests_lapsed: usize,
}

/// Runs until nothing is due; returns what it did.
pub async fn run(conn: &mut AsyncPgConnection, base_url: &str, now: OffsetDateTime) -> Result<Done, AppError> {
    let meta = RequestMeta::default();
    let act = Act {
        user: None,
        meta: &meta,
        base_url,
        now,
    };
    let mut done = Done::default();
    loop {
        let expired = conn
            .transaction::<_, AppError, _>(async |conn| {
                let due = mdf_funds::claim_due_expiries(conn, now.date(), BATCH).await?;
                for fund in &due {
                    expire_fund(conn, &act, fund).await?;
                }
                Ok(due.len())
            })
            .await?;
        let lapsed = conn
            .transaction::<_, AppError, _>(async |conn| {
                let due = mdf_requests::claim_due_lapses(conn, now, BATCH).await?;
                for request in &due {
                    lapse(conn, &act, request).await?;
                }
                Ok(due.len())
            })
            .await?;
        done.funds_expired += expired;
        done.requests_lapsed += lapsed;
        if expired == 0 && lapsed == 0 {
            return Ok(done);
        }
    }
}

async fn expire_fund(conn: &mut AsyncPgConnection, act: &Act<'_>, fund: &FundRow) -> Result<(), AppError> {
    let mut declined: BTreeMap<i64, usize> = BTreeMap::new();
    for request in mdf_requests::pending_in_fund(conn, fund.id).await? {
        let before = known(mdf_requests::state(&request, None))?;
        let after = step(before, Step::Decline).map_err(AppError::Conflict)?;
        apply_step(conn, fund, request.partner_id, before, after, act.now).await?;
        mdf_requests::decide(conn, request.id, "declined", None, Some(PERIOD_ENDED), None, act.now).await?;
        record(
            conn,
            act,
            fund.id,
            request.partner_id,
            Some(request.id),
            "declined",
            None,
            Some(PERIOD_ENDED),
            None,
        )
        .await?;
        *declined.entry(request.partner_id).or_default() += 1;
    }
    let program = programs::get(conn, fund.program_id).await?;
    let url = format!("{}/portal/mdf", act.base_url);
    for (partner_id, amount) in mdf_funds::expire(conn, fund.id, act.now).await? {
        let closed = declined.get(&partner_id).copied().unwrap_or(0);
        if amount > Decimal::ZERO {
            record(
                conn,
                act,
                fund.id,
                partner_id,
                None,
                "expired",
                Some(amount),
                None,
                None,
            )
            .await?;
        }
        if amount > Decimal::ZERO || closed > 0 {
            let partner = partners::get(conn, partner_id).await?;
            let content = emails::expired(
                &partner.name,
                &program.name,
                &fund.name,
                &money::format(amount, &fund.currency),
                closed,
                &url,
            );
            notify::to_partner(conn, partner_id, &content).await?;
        }
    }
    Ok(())
}

async fn lapse(
    conn: &mut AsyncPgConnection,
    act: &Act<'_>,
    request: &mdf_requests::RequestRow,
) -> Result<(), AppError> {
    let fund = mdf_funds::get_fund(conn, request.fund_id)
        .await?
        .ok_or_else(|| crate::backend::errors::internal("a request without its fund"))?;
    let before = known(mdf_requests::state(request, None))?;
    let after = step(before, Step::Lapse).map_err(AppError::Conflict)?;
    let approved = request.approved_amount.unwrap_or_default();
    apply_step(conn, &fund, request.partner_id, before, after, act.now).await?;
    mdf_requests::set_status(conn, request.id, after.status()).await?;
    let deadline = claim::last_day_text(request.claim_deadline);
    let note = format!("not claimed by {deadline}");
    record(
        conn,
        act,
        fund.id,
        request.partner_id,
        Some(request.id),
        "lapsed",
        Some(approved),
        Some(&note),
        None,
    )
    .await?;
    let names = notify::names(conn, request, &fund, act.base_url, false).await?;
    let content = emails::lapsed(&names.about(), &money::format(approved, &fund.currency), &deadline);
    notify::to_partner(conn, request.partner_id, &content).await
}
