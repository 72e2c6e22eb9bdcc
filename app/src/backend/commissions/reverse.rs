//! A refund takes back its share of the accrual and of every override on it, as new negative
//! entries. Each reversal follows its source's approval state, so a refund of a rejected
//! commission takes nothing, and a refund after payout leaves a negative payable balance.

use crate::backend::repos::conversions::{ConversionRow, RefundRow};
use crate::backend::repos::ledger::{self, NewEntry};
use crate::domain::commission::ledger::EntryKind;
use crate::domain::commission::reversal_for_refund;
use diesel::result::Error as DieselError;
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::OffsetDateTime;

/// Returns the reversal of the partner's own accrual (zero when there was none).
pub async fn reverse_for_refund(
    conn: &mut AsyncPgConnection,
    conversion: &ConversionRow,
    refund: &RefundRow,
    refunded_before: Decimal,
    now: OffsetDateTime,
) -> Result<Decimal, DieselError> {
    let entries = ledger::of_conversion(conn, conversion.id).await?;
    let sale = conversion.amount.unwrap_or_default();
    let mut own = Decimal::ZERO;
    let sources = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Accrual.as_str() || e.kind == EntryKind::Override.as_str());
    for source in sources {
        let reversed: Decimal = entries
            .iter()
            .filter(|e| e.kind == EntryKind::Reversal.as_str() && e.source_id == Some(source.id))
            .map(|e| e.amount)
            .sum();
        let amount = reversal_for_refund(
            source.amount,
            reversed,
            sale,
            refunded_before,
            refund.amount,
            &source.currency,
        );
        if source.kind == EntryKind::Accrual.as_str() {
            own = amount;
        }
        if amount.is_zero() && source.kind != EntryKind::Accrual.as_str() {
            continue;
        }
        ledger::insert(
            conn,
            &NewEntry {
                conversion_id: Some(conversion.id),
                program_id: conversion.program_id,
                partner_id: source.partner_id,
                kind: EntryKind::Reversal.as_str().into(),
                amount,
                currency: source.currency.clone(),
                refund_id: Some(refund.id),
                explanation: format!("reversal for refund {}", refund.refund_id),
                terms_version_id: None,
                inputs: None,
                source_id: Some(source.id),
                level: source.level,
                reason: None,
                created_by: None,
                payable_at: source.payable_at,
                created_at: now,
            },
        )
        .await?;
    }
    Ok(own)
}
