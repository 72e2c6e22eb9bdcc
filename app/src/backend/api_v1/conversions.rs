//! Conversion ingestion: authenticate, check, attribute, and store the conversion with its
//! commission, customer binding and rollup deltas in one transaction. Idempotent on
//! (program, order_id): a replay returns the stored result, a replay with different data is a 409.

use super::ApiError;
use crate::backend::commissions::accrue::{self, Context};
use crate::backend::repos::clicks::{self, ClickForAttribution};
use crate::backend::repos::conversions::{self, ConversionRow, NewConversion};
use crate::backend::repos::coupons;
use crate::backend::repos::ledger::{self, EntryRow};
use crate::backend::repos::memberships;
use crate::backend::repos::stats::{self, Delta, StatKey};
use crate::backend::repos::tracking_settings::TrackingSettings;
use crate::backend::tracking::program_cache::ProgramSettings;
use crate::domain::attribution::{self, Candidates, ClickLookup, CouponLookup, Method, Rules};
use crate::domain::commission::approval::State;
use crate::domain::conversion_input::{self, ConversionInput};
use crate::domain::money;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rust_decimal::Decimal;
use serde::Serialize;
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConversionResult {
    pub id: i64,
    pub order_id: String,
    /// The commission's approval state ("pending", "on_hold", "approved", "rejected"),
    /// "no_terms" when the partner had no terms in force, "unattributed" when nobody earns it.
    pub status: String,
    pub partner: Option<PartnerRef>,
    pub attribution: AttributionOut,
    pub commission: Option<CommissionOut>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartnerRef {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttributionOut {
    pub method: Method,
    pub click_id: Option<String>,
    pub coupon: Option<String>,
    /// Why a click id or coupon was not used, or why nobody was credited.
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommissionOut {
    pub amount: String,
    pub currency: String,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ingested {
    /// False when this was a replay of a stored conversion.
    pub created: bool,
    pub result: ConversionResult,
}

/// Shows an amount with exactly the currency's decimals: "4.90".
pub fn amount_text(amount: Decimal, currency: &str) -> String {
    format!("{:.*}", money::minor_units(currency) as usize, amount)
}

/// Refuses a conversion that names another program or another currency than the key's program.
pub fn check(settings: &ProgramSettings, input: &ConversionInput) -> Result<(), ApiError> {
    let program = &settings.tracking;
    if let Some(named) = input.program.as_deref().filter(|named| *named != program.slug) {
        return Err(ApiError::new(
            403,
            "forbidden",
            format!("this API key belongs to program \"{}\", not \"{named}\"", program.slug),
        ));
    }
    if let Some(currency) = input.currency.as_deref().filter(|c| *c != program.currency) {
        return Err(ApiError::on_field(
            422,
            "currency",
            format!(
                "currency {currency} differs from the program's currency {}",
                program.currency
            ),
        ));
    }
    Ok(())
}

/// Ingests one conversion for the API key's program, whose settings the caller read (from the
/// instance's cache, on the hot path).
pub async fn ingest(
    conn: &mut AsyncPgConnection,
    settings: &ProgramSettings,
    input: &ConversionInput,
    now: OffsetDateTime,
) -> Result<Ingested, ApiError> {
    check(settings, input)?;
    let program = &settings.tracking;
    let canonical = input.canonical();
    conn.transaction::<_, ApiError, _>(async |conn| {
        // The replay check and the attribution lookups go out together (pipelined); a replay
        // wastes the lookups, a new order (most of them) saves the round trips.
        let occurred_at = input.occurred_at.unwrap_or(now);
        let (existing, (decided, click)) = tokio::try_join!(
            async { Ok(conversions::find_by_order(conn, program.id, &input.order_id).await?) },
            attribute(conn, program, input, occurred_at),
        )?;
        if let Some(existing) = existing {
            return replay(conn, existing, &canonical).await;
        }
        let new = new_conversion(program, input, &decided, occurred_at, now, &canonical);
        let Some(row) = conversions::insert_new(conn, &new).await? else {
            // Another request stored this order between our check and our insert.
            let existing = conversions::find_by_order(conn, program.id, &input.order_id)
                .await?
                .ok_or_else(|| ApiError::internal("conversion vanished after a conflict"))?;
            return replay(conn, existing, &canonical).await;
        };
        let (mut partner, mut commission) = (None, None);
        let mut commission_amount = Decimal::ZERO;
        if let Some(partner_id) = row.partner_id {
            let (context, name) = context(conn, &row, click, partner_id, &customer_keys(input)).await?;
            if let Some(accrued) = accrue::accrue(conn, &row, partner_id, context, &settings.commission, now).await? {
                commission_amount = accrued.entry.amount;
                commission = Some(commission_out(&accrued.entry, Some(accrued.state)));
            }
            partner = Some(PartnerRef { id: partner_id, name });
        }
        let bind = async {
            match row.partner_id {
                Some(partner_id) => {
                    conversions::bind_customer(conn, &row, partner_id, &customer_keys(input), now).await
                }
                None => Ok(()),
            }
        };
        let deltas = [stat_delta(&row, commission_amount)];
        tokio::try_join!(bind, stats::add(conn, &deltas))?;
        Ok(Ingested {
            created: true,
            result: conversion_result(&row, partner, commission),
        })
    })
    .await
}

/// The row to store for a new order, with its attribution decided.
pub(super) fn new_conversion(
    program: &TrackingSettings,
    input: &ConversionInput,
    decided: &attribution::Attribution,
    occurred_at: OffsetDateTime,
    now: OffsetDateTime,
    canonical: &serde_json::Value,
) -> NewConversion {
    NewConversion {
        program_id: program.id,
        order_id: input.order_id.clone(),
        event: input.event.clone(),
        amount: input.amount,
        currency: input.currency.clone(),
        click_id: input.click_id.clone(),
        coupon: input.coupon.clone(),
        customer_id: input.customer_id.clone(),
        customer_email: input.customer_email.clone(),
        occurred_at,
        received_at: now,
        metadata: input.metadata.clone(),
        partner_id: decided.partner_id,
        link_id: decided.link_id,
        attribution: decided.method.as_str().to_owned(),
        attribution_note: decided.note.clone(),
        request: canonical.clone(),
        deductions: input.deductions,
        country: input.country.clone(),
        sub1: decided.sub1.clone(),
        creative_id: decided.creative_id,
    }
}

/// What a new conversion adds to the daily rollups, with the commission it earned.
pub(super) fn stat_delta(row: &ConversionRow, commission: Decimal) -> (StatKey, Delta) {
    let key = StatKey::new(
        row.program_id,
        row.partner_id,
        row.occurred_at,
        row.link_id,
        row.sub1.as_deref(),
    )
    .with_creative(row.creative_id);
    let delta = Delta {
        conversions: 1,
        revenue: row.amount.unwrap_or_default(),
        commission,
        ..Delta::default()
    };
    (key, delta)
}

async fn replay(
    conn: &mut AsyncPgConnection,
    existing: ConversionRow,
    canonical: &serde_json::Value,
) -> Result<Ingested, ApiError> {
    let differing = conversion_input::differences(&existing.request, canonical);
    if !differing.is_empty() {
        return Err(ApiError {
            differing_fields: differing.clone(),
            ..ApiError::new(
                409,
                "order_conflict",
                format!(
                    "order_id {} was already reported with different data: {} differ",
                    existing.order_id,
                    differing.join(", ")
                ),
            )
        });
    }
    Ok(Ingested {
        created: false,
        result: result_for(conn, &existing).await?,
    })
}

/// The attribution decision, and the click it looked at (its country and flag feed the
/// commission engine, so it is read once).
async fn attribute(
    conn: &AsyncPgConnection,
    program: &TrackingSettings,
    input: &ConversionInput,
    occurred_at: OffsetDateTime,
) -> Result<(attribution::Attribution, Option<ClickForAttribution>), ApiError> {
    // Three independent reads, pipelined.
    let keys = customer_keys(input);
    let click_read = async {
        match input.click_id.as_deref() {
            None => Ok(None),
            Some(id) => clicks::for_attribution(conn, id).await,
        }
    };
    let coupon_read = async {
        match input.coupon.as_deref() {
            None => Ok(None),
            Some(code) => coupons::holder(conn, program.id, code)
                .await
                .map(|held| Some((code, held))),
        }
    };
    let (found, coupon, bound_partner) = tokio::try_join!(
        click_read,
        coupon_read,
        conversions::bound_partner(conn, program.id, &keys)
    )?;
    let decided = decide(program, input, found.as_ref(), coupon, bound_partner, occurred_at);
    Ok((decided, found))
}

/// The attribution of a conversion from what was read about its click id, coupon (the code
/// and its holder) and customer.
pub(super) fn decide(
    program: &TrackingSettings,
    input: &ConversionInput,
    found: Option<&ClickForAttribution>,
    coupon: Option<(&str, Option<i64>)>,
    bound_partner: Option<i64>,
    occurred_at: OffsetDateTime,
) -> attribution::Attribution {
    let click = match (&input.click_id, found) {
        (None, _) => ClickLookup::NotGiven,
        (Some(_), None) => ClickLookup::Unknown,
        (Some(_), Some(c)) if c.program_id != program.id => ClickLookup::OtherProgram,
        (Some(_), Some(c)) => ClickLookup::Found {
            partner_id: c.partner_id,
            link_id: c.link_id,
            clicked_at: c.clicked_at,
            sub1: c.sub1.clone(),
            creative_id: c.creative_id,
        },
    };
    let coupon = coupon.map(|(code, held)| match held {
        Some(partner_id) => CouponLookup::Held { partner_id },
        None => CouponLookup::Unknown(code.to_owned()),
    });
    let rules = Rules {
        cookie_days: program.cookie_days,
        coupons_override: program.coupons_override,
    };
    let candidates = Candidates {
        click,
        coupon,
        bound_partner,
    };
    attribution::decide(&candidates, &rules, occurred_at)
}

/// What the engine needs to know besides the conversion row: the country (the conversion's
/// or its click's), whether the customer was already bound, and any flag that holds it; and the
/// partner's name for the answer, read with the flag.
async fn context(
    conn: &AsyncPgConnection,
    row: &ConversionRow,
    click: Option<ClickForAttribution>,
    partner_id: i64,
    keys: &[String],
) -> Result<(Context, String), ApiError> {
    let (member, customer_since) = tokio::try_join!(
        memberships::name_and_flag(conn, row.program_id, partner_id),
        conversions::customer_since(conn, row, partner_id, keys),
    )?;
    let (name, flag) = match member {
        Some(found) => found,
        None => (conversions::partner_name(conn, partner_id).await?, None),
    };
    Ok((engine_context(row, click, flag, customer_since), name))
}

/// The engine's context from the conversion, the click it looked at, the partner's flag in the
/// program and when the customer was bound.
pub(super) fn engine_context(
    row: &ConversionRow,
    click: Option<ClickForAttribution>,
    partner_flag: Option<String>,
    customer_since: Option<OffsetDateTime>,
) -> Context {
    // Only the click that won the attribution counts.
    let click = click.filter(|_| row.attribution == "click");
    let click_flag = click
        .as_ref()
        .and_then(|c| c.flag.as_deref())
        .filter(|flag| *flag == "bot")
        .map(|_| "the click came from a bot or link previewer".to_string());
    let partner_flag = partner_flag.map(|reason| format!("the partner is flagged ({reason})"));
    Context {
        country: row.country.clone().or_else(|| click.and_then(|c| c.country)),
        customer_since,
        flag: partner_flag.or(click_flag),
    }
}

pub(super) fn customer_keys(input: &ConversionInput) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(id) = &input.customer_id {
        keys.push(format!("id:{id}"));
    }
    if let Some(email) = &input.customer_email {
        keys.push(format!("email:{email}"));
    }
    keys
}

/// The answer for a stored conversion (a replay), read back from its rows.
pub async fn result_for(conn: &mut AsyncPgConnection, row: &ConversionRow) -> Result<ConversionResult, ApiError> {
    let partner = match row.partner_id {
        Some(id) => Some(PartnerRef {
            id,
            name: conversions::partner_name(conn, id).await?,
        }),
        None => None,
    };
    let accrual = ledger::of_conversion(conn, row.id)
        .await?
        .into_iter()
        .find(|c| c.kind == "commission");
    let commission = match accrual {
        Some(entry) => {
            let state = ledger::decisions(conn, entry.id).await?.pop().and_then(|d| d.state());
            Some(commission_out(&entry, state))
        }
        None => None,
    };
    Ok(conversion_result(row, partner, commission))
}

pub(super) fn commission_out(entry: &EntryRow, state: Option<State>) -> CommissionOut {
    CommissionOut {
        amount: amount_text(entry.amount, &entry.currency),
        currency: entry.currency.clone(),
        status: state.map_or("pending", |s| s.columns().0).to_owned(),
    }
}

/// The same answer whether the conversion was just stored or is replayed.
pub(super) fn conversion_result(
    row: &ConversionRow,
    partner: Option<PartnerRef>,
    commission: Option<CommissionOut>,
) -> ConversionResult {
    let method = Method::parse(&row.attribution);
    ConversionResult {
        id: row.id,
        order_id: row.order_id.clone(),
        status: match (&partner, &commission) {
            (None, _) => "unattributed".into(),
            (Some(_), None) => "no_terms".into(),
            (Some(_), Some(c)) => c.status.clone(),
        },
        partner,
        attribution: AttributionOut {
            method,
            click_id: row.click_id.clone().filter(|_| method == Method::Click),
            coupon: row.coupon.clone().filter(|_| method == Method::Coupon),
            note: row.attribution_note.clone(),
        },
        commission,
    }
}
