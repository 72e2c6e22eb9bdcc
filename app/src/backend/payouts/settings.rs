//! Payout settings in the console: a brand's account to pay from (IBAN and BIC, checked as a
//! partner's are) and its self-billing invoice numbering; a program's minimum payout and the
//! days payouts wait after a partner changes its details. Finance and admins only; audited.

use super::Finance;
use crate::api::error::AppError;
use crate::backend::repos::{payout_runs, payout_settings, programs};
use crate::domain::payouts::{bank_codes, iban};
use crate::domain::validate::FieldErrors;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;

pub struct BrandInput {
    pub brand_id: i64,
    pub debtor_iban: String,
    pub debtor_bic: String,
    pub self_billing: bool,
    pub invoice_prefix: String,
}

pub async fn save_brand(conn: &mut AsyncPgConnection, fin: &Finance<'_>, input: &BrandInput) -> Result<(), AppError> {
    fin.allowed()?;
    if !fin.scope.has_brand(input.brand_id) {
        return Err(AppError::NotFound("That brand doesn't exist.".into()));
    }
    let mut errors = FieldErrors::default();
    let debtor_iban = optional(&input.debtor_iban).and_then(|v| errors.check("debtor_iban", iban::parse(v)));
    let debtor_bic = optional(&input.debtor_bic).and_then(|v| errors.check("debtor_bic", bank_codes::parse_bic(v)));
    let prefix = input.invoice_prefix.trim();
    if prefix.len() > 12 || !prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errors.add(
            "invoice_prefix",
            "Use up to 12 letters, digits or dashes, like SB-2027-.",
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors.with_submitted(&[
            ("debtor_iban", input.debtor_iban.as_str()),
            ("debtor_bic", input.debtor_bic.as_str()),
            ("invoice_prefix", input.invoice_prefix.as_str()),
        ])));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        payout_runs::save_brand_settings(
            conn,
            input.brand_id,
            (debtor_iban.as_deref(), debtor_bic.as_deref()),
            input.self_billing,
            prefix,
        )
        .await?;
        fin.audit(
            conn,
            "brand.payout_settings_saved",
            ("brand", input.brand_id),
            json!({
                "debtor_iban": debtor_iban, "debtor_bic": debtor_bic,
                "self_billing": input.self_billing, "invoice_prefix": prefix,
            }),
        )
        .await
    })
    .await
}

fn optional(value: &str) -> Option<&str> {
    Some(value.trim()).filter(|v| !v.is_empty())
}

pub async fn save_program(
    conn: &mut AsyncPgConnection,
    fin: &Finance<'_>,
    program_id: i64,
    (minimum, review_days): (&str, &str),
) -> Result<(), AppError> {
    fin.allowed()?;
    if !fin.scope.has_program(program_id) {
        return Err(AppError::NotFound(crate::backend::ctx::NO_SUCH_PROGRAM.into()));
    }
    let currency = programs::get(conn, program_id).await?.currency;
    let mut errors = FieldErrors::default();
    let minimum_value = errors.check(
        "minimum_payout",
        Decimal::from_str(minimum.trim())
            .ok()
            .filter(|m| {
                *m >= Decimal::ZERO
                    && m.scale() <= crate::domain::money::minor_units(&currency)
                    && *m < Decimal::from(1_000_000)
            })
            .ok_or_else(|| format!("Write an amount in {currency}, like 50 or 25.00 (0 pays any balance).")),
    );
    let days = errors.check(
        "review_days",
        review_days
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|d| (0..=90).contains(d))
            .ok_or_else(|| "Write a number of days from 0 to 90.".to_owned()),
    );
    let (Some(minimum_value), Some(days)) = (minimum_value, days) else {
        return Err(AppError::Invalid(
            errors.with_submitted(&[("minimum_payout", minimum), ("review_days", review_days)]),
        ));
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        payout_settings::save_program(conn, program_id, minimum_value, days).await?;
        fin.audit(
            conn,
            "program.payout_settings_saved",
            ("program", program_id),
            json!({ "minimum_payout": minimum_value.normalize().to_string(), "review_days": days }),
        )
        .await
    })
    .await
}
