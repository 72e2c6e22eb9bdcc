//! Full or partial refunds of a conversion, idempotent on the merchant's refund id. Each refund
//! adds a reversal row for its share of the commission; nothing is edited.

use super::conversions::amount_text;
use super::ApiError;
use crate::backend::commissions::reverse;
use crate::backend::repos::conversions::{self, RefundRow};
use crate::backend::repos::ledger;
use crate::backend::repos::stats::{self, Delta, StatKey};
use crate::backend::repos::tracking_settings;
use crate::domain::money;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use std::str::FromStr;
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq)]
pub struct RefundInput {
    pub refund_id: String,
    /// `None` refunds whatever is left.
    pub amount: Option<Decimal>,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RefundResult {
    pub refund_id: String,
    pub order_id: String,
    pub amount: String,
    pub currency: String,
    pub refunded_total: String,
    pub remaining: String,
    pub commission_reversal: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Refunded {
    pub created: bool,
    pub result: RefundResult,
}

pub fn parse(body: &[u8]) -> Result<RefundInput, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::on_field(400, "body", format!("the body is not valid JSON: {e}")))?;
    let object = value
        .as_object()
        .ok_or_else(|| ApiError::on_field(400, "body", "the body must be a JSON object"))?;
    if let Some(unknown) = object
        .keys()
        .find(|k| !["refund_id", "amount", "reason"].contains(&k.as_str()))
    {
        return Err(ApiError::on_field(
            400,
            unknown,
            format!("unknown field \"{unknown}\"; expected refund_id, amount, reason"),
        ));
    }
    let refund_id = match object.get("refund_id") {
        Some(Value::String(s)) if !s.trim().is_empty() && s.len() <= 200 => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => return Err(ApiError::on_field(422, "refund_id", "refund_id is required")),
        _ => {
            return Err(ApiError::on_field(
                400,
                "refund_id",
                "refund_id must be a string of at most 200 characters",
            ))
        }
    };
    let amount = match object.get("amount") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(ApiError::on_field(
                400,
                "amount",
                "amount must be a number or a decimal string",
            ))
        }
    }
    .map(|text| {
        Decimal::from_str(text.trim())
            .or_else(|_| Decimal::from_scientific(text.trim()))
            .map_err(|_| ApiError::on_field(400, "amount", format!("amount \"{text}\" is not a number")))
    })
    .transpose()?;
    let reason = match object.get("reason") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.len() <= 500 => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Some(_) => {
            return Err(ApiError::on_field(
                400,
                "reason",
                "reason must be a string of at most 500 characters",
            ))
        }
    };
    Ok(RefundInput {
        refund_id,
        amount,
        reason,
    })
}

pub async fn refund(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    order_id: &str,
    input: &RefundInput,
    now: OffsetDateTime,
) -> Result<Refunded, ApiError> {
    let program = tracking_settings::get(conn, program_id).await?;
    let currency = program.currency.clone();
    if let Some(amount) = input.amount {
        money::positive_amount(amount, &currency).map_err(|m| ApiError::on_field(422, "amount", m))?;
    }
    conn.transaction::<_, ApiError, _>(async |conn| {
        let conversion = conversions::lock_by_order(conn, program_id, order_id)
            .await?
            .ok_or_else(|| ApiError::new(404, "not_found", format!("no conversion with order_id {order_id}")))?;
        let earlier = conversions::refunds_of(conn, conversion.id).await?;
        let refunded_before: Decimal = earlier.iter().map(|r| r.amount).sum();
        let sale = conversion.amount.unwrap_or_default();
        if let Some(existing) = conversions::find_refund(conn, program_id, &input.refund_id).await? {
            let same = existing.conversion_id == conversion.id && input.amount.is_none_or(|a| a == existing.amount);
            if !same {
                return Err(ApiError {
                    differing_fields: vec![if existing.conversion_id == conversion.id {
                        "amount"
                    } else {
                        "order_id"
                    }
                    .into()],
                    ..ApiError::new(
                        409,
                        "refund_conflict",
                        format!("refund_id {} was already used with different data", input.refund_id),
                    )
                });
            }
            let result = result_for(conn, &conversion.order_id, &existing, sale, &earlier, &currency).await?;
            return Ok(Refunded { created: false, result });
        }
        let left = sale - refunded_before;
        if sale.is_zero() {
            return Err(ApiError::on_field(
                422,
                "amount",
                "this conversion has no amount to refund",
            ));
        }
        let amount = input.amount.unwrap_or(left);
        if left <= Decimal::ZERO {
            return Err(ApiError::on_field(
                422,
                "amount",
                "this conversion is already fully refunded",
            ));
        }
        if amount > left {
            return Err(ApiError::on_field(
                422,
                "amount",
                format!(
                    "the refund of {} is larger than the {} left to refund",
                    amount_text(amount, &currency),
                    amount_text(left, &currency)
                ),
            ));
        }
        let refund = conversions::insert_refund(
            conn,
            &conversion,
            &input.refund_id,
            amount,
            input.reason.as_deref(),
            now,
        )
        .await?;
        let reversal_amount = reverse::reverse_for_refund(conn, &conversion, &refund, refunded_before, now).await?;
        let key = StatKey::new(
            program_id,
            conversion.partner_id,
            now,
            conversion.link_id,
            conversion.sub1.as_deref(),
        )
        .with_creative(conversion.creative_id);
        let delta = Delta {
            revenue: -amount,
            commission: reversal_amount,
            ..Delta::default()
        };
        stats::add(conn, &[(key, delta)]).await?;
        let mut all = earlier;
        all.push(refund.clone());
        let result = result_for(conn, &conversion.order_id, &refund, sale, &all, &currency).await?;
        Ok(Refunded { created: true, result })
    })
    .await
}

async fn result_for(
    conn: &mut AsyncPgConnection,
    order_id: &str,
    refund: &RefundRow,
    sale: Decimal,
    all_refunds: &[RefundRow],
    currency: &str,
) -> Result<RefundResult, ApiError> {
    let total: Decimal = all_refunds.iter().map(|r| r.amount).sum();
    let reversal = ledger::of_conversion(conn, refund.conversion_id)
        .await?
        .into_iter()
        .find(|c| c.refund_id == Some(refund.id) && c.source_id.is_some() && c.level.is_none())
        .map(|c| amount_text(c.amount, &c.currency));
    Ok(RefundResult {
        refund_id: refund.refund_id.clone(),
        order_id: order_id.to_owned(),
        amount: amount_text(refund.amount, currency),
        currency: currency.to_owned(),
        refunded_total: amount_text(total, currency),
        remaining: amount_text(sale - total, currency),
        commission_reversal: reversal,
    })
}
