//! From MDF rows to DTOs, shared by the portal and the console.

use super::*;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::mdf::Act;
use crate::backend::repos::mdf_events::EventLine;
use crate::backend::repos::mdf_funds::{self, BalanceRow, FundRow, PartnerFund};
use crate::backend::repos::mdf_requests::{self, ListRow, RequestRow};
use crate::backend::repos::{mdf_events, mdf_files, partners, programs, users};
use crate::domain::mdf::activity::Activity;
use crate::domain::mdf::decider::Offered;
use crate::domain::mdf::{claim, date_text, upload};
use crate::domain::{format, money};
use diesel_async::AsyncPgConnection;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use time::OffsetDateTime;
use tower_sessions::Session;

pub fn act<'a>(user: Option<&'a AuthUser>, meta: &'a RequestMeta, base_url: &'a str, now: OffsetDateTime) -> Act<'a> {
    Act {
        user,
        meta,
        base_url,
        now,
    }
}

pub fn status_label(status: &str) -> String {
    match status {
        "pending" => "Waiting for a decision",
        "declined" => "Declined",
        "approved" => "Approved: claim due",
        "claimed" => "Claim under review",
        "payable" => "Claim approved: payable",
        "paid" => "Paid",
        "lapsed" => "Lapsed: not claimed in time",
        other => other,
    }
    .to_owned()
}

fn claim_status_label(status: &str) -> String {
    match status {
        "submitted" => "Waiting for review",
        "approved" => "Approved",
        "rejected" => "Rejected",
        other => other,
    }
    .to_owned()
}

fn event_label(kind: &str) -> String {
    match kind {
        "allocated" => "Funds allocated",
        "requested" => "Request sent",
        "approved" => "Request approved",
        "declined" => "Request declined",
        "claimed" => "Claim filed",
        "claim_approved" => "Claim approved",
        "claim_rejected" => "Claim rejected",
        "lapsed" => "Request lapsed",
        "expired" => "Unused funds expired",
        "paid" => "Paid with a payout",
        other => other,
    }
    .to_owned()
}

fn period(start: time::Date, end: time::Date) -> String {
    format!("{} – {}", date_text(start), date_text(end))
}

fn dates(start: time::Date, end: time::Date) -> String {
    if start == end {
        date_text(start)
    } else {
        period(start, end)
    }
}

/// An amount as a plain number for a form field ("400.00").
pub fn plain(amount: Decimal, currency: &str) -> String {
    format!("{:.*}", money::minor_units(currency) as usize, amount)
}

pub fn bar(b: &BalanceRow) -> Vec<BarPart> {
    let share = |part: Decimal| {
        if b.allocated.is_zero() {
            0.0
        } else {
            (part / b.allocated * Decimal::ONE_HUNDRED).to_f64().unwrap_or(0.0)
        }
    };
    let payable = b.committed - b.approved - b.paid;
    [
        ("Paid", "paid", b.paid),
        ("Claims approved", "payable", payable),
        ("Approved", "approved", b.approved),
        ("Available", "available", b.available),
        ("Expired", "expired", b.expired),
    ]
    .into_iter()
    .filter(|(_, _, amount)| *amount > Decimal::ZERO)
    .map(|(label, class, amount)| BarPart {
        label: label.into(),
        class: class.into(),
        percent: share(amount),
    })
    .collect()
}

fn balance_dto(fund: &FundRow, program_name: String, b: &BalanceRow) -> FundBalanceDto {
    let m = |a: Decimal| money::format(a, &fund.currency);
    FundBalanceDto {
        fund_id: fund.id,
        fund_name: fund.name.clone(),
        program_name,
        period: period(fund.period_start, fund.period_end),
        claim_days: fund.claim_days,
        expired: fund.expired_at.is_some(),
        allocated: m(b.allocated),
        requested: m(b.requested),
        approved: m(b.approved),
        claimed: m(b.claimed),
        paid: m(b.paid),
        expired_amount: m(b.expired),
        available: m(b.available),
        bar: bar(b),
    }
}

pub fn partner_fund(f: &PartnerFund) -> FundBalanceDto {
    let fund = FundRow {
        id: f.balance.fund_id,
        program_id: f.program_id,
        name: f.fund_name.clone(),
        period_start: f.period_start,
        period_end: f.period_end,
        claim_days: f.claim_days,
        currency: f.currency.clone(),
        created_at: OffsetDateTime::UNIX_EPOCH,
        expired_at: f.expired_at,
    };
    balance_dto(&fund, f.program_name.clone(), &f.balance)
}

/// The funds a partner can request from now.
pub fn open_funds(funds: &[PartnerFund], now: OffsetDateTime) -> Vec<(String, String)> {
    funds
        .iter()
        .filter(|f| f.expired_at.is_none() && f.period_end >= now.date())
        .map(|f| {
            (
                f.balance.fund_id.to_string(),
                format!(
                    "{} · {} · {} available",
                    f.fund_name,
                    f.program_name,
                    money::format(f.balance.available, &f.currency)
                ),
            )
        })
        .collect()
}

pub fn line(r: ListRow) -> RequestLineDto {
    let m = |a: Decimal| money::format(a, &r.currency);
    RequestLineDto {
        id: r.id,
        partner_name: r.partner_name,
        program_name: r.program_name,
        fund_name: r.fund_name,
        activity: Activity::label_of(&r.activity),
        description: r.description,
        dates: dates(r.starts_on, r.ends_on),
        requested: m(r.amount),
        requested_plain: plain(r.amount, &r.currency),
        claimed_plain: r.claimed_amount.map(|a| plain(a, &r.currency)),
        approved: r.approved_amount.map(m).unwrap_or_else(|| "—".into()),
        claimed: r.claimed_amount.map(m).unwrap_or_else(|| "—".into()),
        status_label: status_label(&r.status),
        status: r.status,
        claim_by: claim::last_day_text(r.claim_deadline),
        currency: r.currency.clone(),
        waiting_since: format::datetime(r.waiting_since),
        available: m(r.available),
        files: r.files,
        offered: Offered::default(),
    }
}

pub fn event(e: EventLine) -> EventDto {
    EventDto {
        at: format::datetime(e.occurred_at),
        request_id: e.request_id,
        label: event_label(&e.kind),
        amount: e.amount.map(|a| money::format(a, &e.currency)),
        by: e.actor.unwrap_or_else(|| "Trellis".into()),
        note: e.note,
        fund_name: e.fund_name,
    }
}

/// One request's whole story for its page, with the decision forms its reader may use.
pub async fn detail(
    conn: &mut AsyncPgConnection,
    r: RequestRow,
    offered: Offered,
    now: OffsetDateTime,
) -> Result<RequestDetailDto, AppError> {
    let fund = mdf_funds::get_fund(conn, r.fund_id)
        .await?
        .ok_or_else(|| crate::backend::errors::internal("a request without its fund"))?;
    let program_name = programs::get(conn, fund.program_id).await?.name;
    let balance = mdf_funds::balance(conn, fund.id, r.partner_id)
        .await?
        .unwrap_or_default();
    let claims = mdf_requests::claims_of(conn, r.id).await?;
    let ids: Vec<i64> = claims.iter().map(|c| c.id).collect();
    let files = mdf_files::of_claims(conn, &ids).await?;
    let cur = fund.currency.clone();
    let m = |a: Decimal| money::format(a, &cur);
    let decision = match (r.decided_at, r.decided_by) {
        (Some(at), Some(by)) => Some(format!(
            "{} on {}",
            users::get(conn, by).await?.display_name,
            format::datetime(at)
        )),
        (Some(at), None) => Some(format!("Trellis on {}", format::datetime(at))),
        _ => None,
    };
    let claim_waiting = claims
        .iter()
        .find(|c| c.status == "submitted")
        .map(|c| plain(c.amount, &fund.currency));
    Ok(RequestDetailDto {
        id: r.id,
        status_label: status_label(&r.status),
        partner_name: partners::get(conn, r.partner_id).await?.name,
        program_name: program_name.clone(),
        fund_name: fund.name.clone(),
        currency: fund.currency.clone(),
        activity: Activity::label_of(&r.activity),
        description: r.description.clone(),
        dates: dates(r.starts_on, r.ends_on),
        requested: m(r.amount),
        requested_plain: plain(r.amount, &fund.currency),
        approved: r.approved_amount.map(m),
        approved_plain: r.approved_amount.map(|a| plain(a, &fund.currency)),
        expected_outcome: r.expected_outcome.clone(),
        submitted_at: format::datetime(r.submitted_at),
        decision,
        decision_reason: r.decision_reason.clone(),
        claim_by: claim::last_day_text(r.claim_deadline),
        can_claim: r.status == "approved" && now < r.claim_deadline,
        claim_waiting: claim_waiting.filter(|_| r.status == "claimed"),
        claims: claims
            .iter()
            .map(|c| ClaimDto {
                id: c.id,
                status: c.status.clone(),
                status_label: claim_status_label(&c.status),
                amount: m(c.amount),
                actual_cost: m(c.actual_cost),
                leads: c.leads,
                attendees: c.attendees,
                notes: c.notes.clone(),
                approved_amount: c.approved_amount.map(m),
                reason: c.decision_reason.clone(),
                submitted_at: format::datetime(c.submitted_at),
                decided_at: c.decided_at.map(format::datetime),
                files: files
                    .iter()
                    .filter(|f| f.claim_id == c.id)
                    .map(|f| FileDto {
                        id: f.id,
                        filename: f.filename.clone(),
                        size: upload::size_text(i64::from(f.size_bytes)),
                        kind: f.content_type.clone(),
                        digest: hex::encode(&f.sha256)[..12].to_owned(),
                        href: format!("/mdf/files/{}", f.id),
                    })
                    .collect(),
            })
            .collect(),
        history: mdf_events::for_request(conn, r.id)
            .await?
            .into_iter()
            .map(event)
            .collect(),
        balance: balance_dto(&fund, program_name, &balance),
        offered,
        status: r.status,
    })
}

/// The session key of a claim form's refusal for one request.
pub fn refusal_key(id: i64) -> String {
    format!("mdf_claim_refusal:{id}")
}

pub async fn take_refusal(session: &Session, id: i64) -> Result<Option<AppError>, AppError> {
    session
        .remove::<AppError>(&refusal_key(id))
        .await
        .map_err(crate::backend::errors::internal)
}
