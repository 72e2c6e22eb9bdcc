//! Moving an approved deal through the sales stages. The partner does it while the deal is
//! protected; an operator can correct it (with a note). Winning books the deal as a conversion
//! and accrues its commission through the commission engine with the partner's terms; winning or
//! losing closes the deal and releases its protection.

use super::notify::DealNames;
use super::{lock, record, status, Acting, Happened};
use crate::api::error::AppError;
use crate::backend::commissions::accrue::{self, Context};
use crate::backend::repos::conversions::{self, NewConversion};
use crate::backend::repos::deals::{self, DealRow};
use crate::backend::repos::stats::{self, Delta, StatKey};
use crate::backend::repos::{commission_settings, deal_catalogue, memberships};
use crate::backend::scope::Whose;
use crate::domain::deals::emails as deal_emails;
use crate::domain::deals::forecast::Stage;
use crate::domain::deals::lifecycle::{self, Status};
use crate::domain::deals::registration::{close_date, deal_value};
use crate::domain::money;
use crate::domain::validate::{self, FieldErrors};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rust_decimal::Decimal;

/// The event type a won deal is booked under; plans pay on it like on any other event.
pub const WON_EVENT: &str = "deal_won";

/// A stage change as typed.
#[derive(Clone, Debug, Default)]
pub struct StageForm {
    pub stage: String,
    pub value: String,
    /// Empty keeps the current date.
    pub expected_close: String,
    /// Required when an operator corrects a deal.
    pub note: String,
}

/// What the change did.
#[derive(Clone, Debug)]
pub struct Moved {
    pub deal: DealRow,
    /// The won deal's commission, when its terms pay one.
    pub commission: Option<Decimal>,
}

/// Moves a deal. `mover` is its partner (only their own deals, while protected) or an operator
/// correcting a deal of their scope; any other deal is not found.
pub async fn change_stage(
    conn: &mut AsyncPgConnection,
    acting: &Acting<'_>,
    mover: Whose<'_>,
    deal_id: i64,
    form: &StageForm,
) -> Result<Moved, AppError> {
    conn.transaction(async |conn| {
        let deal = lock(conn, deal_id, mover).await?;
        let (stage, value, expected_close, note) = checked(&deal, form, mover, acting)?;
        let to = lifecycle::status_after(stage);
        let conversion = match to {
            Status::Won => Some(book_won_deal(conn, &deal, value, acting).await?),
            _ => None,
        };
        let closed_at = matches!(to, Status::Won | Status::Lost).then_some(acting.now);
        let progress = deals::Progress {
            status: to.as_str(),
            stage: stage.as_str(),
            value,
            expected_close,
            closed_at,
            conversion_id: conversion.map(|(id, _)| id),
        };
        deals::set_progress(conn, deal.id, &progress).await?;
        if to == Status::Won {
            deal_catalogue::import_customers(conn, deal.program_id, std::slice::from_ref(&deal.domain), "won_deal", acting.now)
                .await?;
        }
        let kind = match mover {
            Whose::Partner(_) => "stage",
            Whose::Operator(_) => "corrected",
        };
        record(
            conn,
            acting,
            deal.id,
            Happened {
                kind,
                stage: Some(stage.as_str()),
                value: Some(value),
                note: note.as_deref(),
                details: serde_json::json!({
                    "from": {"stage": deal.stage, "value": deal.value.to_string(), "expected_close": deal.expected_close.to_string()},
                    "to": {"stage": stage.as_str(), "value": value.to_string(), "expected_close": expected_close.to_string()},
                    "note": note, "conversion_id": conversion.map(|(id, _)| id),
                }),
            },
        )
        .await?;
        let commission = conversion.and_then(|(_, amount)| amount);
        let deal = lock(conn, deal.id, mover).await?;
        if to == Status::Won {
            let names = DealNames::load(conn, &deal, acting.base_url).await?;
            let earned = commission.map(|amount| money::format(amount, &deal.currency));
            let content = deal_emails::deal_won(
                &names.for_partner(&deal),
                &money::format(value, &deal.currency),
                earned.as_deref(),
            );
            names.tell_partner(conn, &content).await?;
        }
        Ok(Moved { deal, commission })
    })
    .await
}

type Checked = (Stage, Decimal, time::Date, Option<String>);

fn checked(deal: &DealRow, form: &StageForm, mover: Whose<'_>, acting: &Acting<'_>) -> Result<Checked, AppError> {
    let mut errors = FieldErrors::default();
    let stage = errors.check(
        "stage",
        Stage::parse(form.stage.trim()).ok_or_else(|| "Choose a stage from the list.".to_string()),
    );
    if let Some(stage) = stage {
        // A state problem, not a typing one: the form can't fix it.
        lifecycle::check_stage_change(status(deal), deal.protected_until, stage, acting.now)
            .map_err(AppError::Conflict)?;
    }
    let value = errors.check("value", deal_value(&form.value, &deal.currency));
    let expected_close = if form.expected_close.trim().is_empty() {
        Some(deal.expected_close)
    } else {
        errors.check("expected_close", close_date(&form.expected_close, acting.now.date()))
    };
    let note = errors.check("note", validate::optional_text(&form.note, "Note", 1000));
    if matches!(mover, Whose::Operator(_)) && note.as_ref().is_some_and(Option::is_none) {
        errors.add("note", "Say why you correct the deal; the note goes into its history.");
    }
    match (stage, value, expected_close, note) {
        (Some(stage), Some(value), Some(close), Some(note)) if errors.is_empty() => Ok((stage, value, close, note)),
        _ => Err(AppError::Invalid(errors.with_submitted(&[
            ("stage", &form.stage),
            ("value", &form.value),
            ("expected_close", &form.expected_close),
            ("note", &form.note),
        ]))),
    }
}

/// Books the won deal as the partner's conversion and runs the commission engine on it, like an
/// attributed sale: the terms in force now decide the commission, and its approval follows the
/// program's routing. Returns the conversion and the commission, if the terms pay one.
async fn book_won_deal(
    conn: &mut AsyncPgConnection,
    deal: &DealRow,
    value: Decimal,
    acting: &Acting<'_>,
) -> Result<(i64, Option<Decimal>), AppError> {
    let request = serde_json::json!({"deal_id": deal.id, "value": value.to_string(), "currency": deal.currency});
    let new = NewConversion {
        program_id: deal.program_id,
        order_id: format!("deal-{}", deal.id),
        event: WON_EVENT.into(),
        amount: Some(value),
        currency: Some(deal.currency.clone()),
        click_id: None,
        coupon: None,
        customer_id: Some(deal.domain.clone()),
        customer_email: None,
        occurred_at: acting.now,
        received_at: acting.now,
        metadata: None,
        partner_id: Some(deal.partner_id),
        link_id: None,
        attribution: "deal".into(),
        attribution_note: Some(format!("won deal #{} ({})", deal.id, deal.company)),
        request,
        deductions: Decimal::ZERO,
        country: Some(deal.country.clone()),
        sub1: None,
        creative_id: None,
    };
    let row = conversions::insert_new(conn, &new)
        .await?
        .ok_or_else(|| AppError::Conflict("This deal was already booked as won.".into()))?;
    let flag = memberships::flag(conn, deal.program_id, deal.partner_id)
        .await?
        .map(|reason| format!("the partner is flagged ({reason})"));
    let context = Context {
        country: Some(deal.country.clone()),
        customer_since: None,
        flag,
    };
    let settings = commission_settings::get(conn, deal.program_id).await?;
    let accrued = accrue::accrue(conn, &row, deal.partner_id, context, &settings, acting.now).await?;
    let commission = accrued.as_ref().map(|a| a.entry.amount);
    let key = StatKey::new(deal.program_id, Some(deal.partner_id), acting.now, None, None);
    let delta = Delta {
        conversions: 1,
        revenue: value,
        commission: commission.unwrap_or_default(),
        ..Delta::default()
    };
    stats::add(conn, &[(key, delta)]).await?;
    Ok((row.id, commission))
}
