//! Money amounts: how many decimals a currency has, checking amounts against that, and showing
//! them. Amounts are `Decimal`, never floats.

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places of a currency's minor unit (ISO 4217). Most have 2.
pub fn minor_units(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND"
        | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// Active ISO 4217 codes.
const CURRENCIES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL";

pub fn is_known_currency(code: &str) -> bool {
    code.len() == 3 && CURRENCIES.split(' ').any(|c| c == code)
}

/// Checks a positive amount in `currency`: more decimals than the currency has is an error, not
/// something to round away.
pub fn positive_amount(amount: Decimal, currency: &str) -> Result<Decimal, String> {
    if amount <= Decimal::ZERO {
        return Err("amount must be greater than zero".into());
    }
    let units = minor_units(currency);
    if amount.normalize().scale() > units {
        return Err(format!(
            "amount has more than {units} decimal places, the most {currency} allows"
        ));
    }
    if amount > Decimal::new(9_999_999_999, 0) {
        return Err("amount is too large".into());
    }
    Ok(amount.round_dp(units))
}

/// Rounds to the currency's minor unit, half to even (banker's rounding), so that rounding
/// errors over many commissions cancel out instead of drifting one way.
pub fn round(amount: Decimal, currency: &str) -> Decimal {
    amount.round_dp_with_strategy(minor_units(currency), RoundingStrategy::MidpointNearestEven)
}

/// "EUR 1,234.50" and "-EUR 3.00": the code first, so it reads the same in every locale.
pub fn format(amount: Decimal, currency: &str) -> String {
    let rounded = amount.round_dp(minor_units(currency));
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.*}", minor_units(currency) as usize, rounded.abs());
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if negative { "-" } else { "" };
    match fraction {
        Some(f) => format!("{sign}{currency} {grouped}.{f}"),
        None => format!("{sign}{currency} {grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn amounts_are_checked_against_the_currency() {
        assert_eq!(positive_amount(d("12.50"), "EUR"), Ok(d("12.50")));
        assert_eq!(
            positive_amount(d("12.500"), "EUR"),
            Ok(d("12.50")),
            "trailing zeros are fine"
        );
        assert!(positive_amount(d("12.505"), "EUR")
            .unwrap_err()
            .contains("2 decimal places"));
        assert!(positive_amount(d("1.5"), "JPY")
            .unwrap_err()
            .contains("0 decimal places"));
        assert!(positive_amount(d("1.555"), "KWD").is_ok());
        assert!(positive_amount(d("0"), "EUR").is_err());
        assert!(positive_amount(d("-3"), "EUR").is_err());
    }

    #[test]
    fn formatting_groups_thousands_and_keeps_the_sign() {
        assert_eq!(format(d("1234.5"), "EUR"), "EUR 1,234.50");
        assert_eq!(format(d("-3"), "USD"), "-USD 3.00");
        assert_eq!(format(d("1000000"), "JPY"), "JPY 1,000,000");
        assert_eq!(format(d("0"), "EUR"), "EUR 0.00");
        assert_eq!(format(d("999.999"), "EUR"), "EUR 1,000.00");
    }

    #[test]
    fn rounding_is_half_to_even() {
        assert_eq!(round(d("0.125"), "EUR"), d("0.12"));
        assert_eq!(round(d("0.135"), "EUR"), d("0.14"));
    }

    proptest! {
        #[test]
        fn accepted_amounts_keep_their_value(cents in 1i64..10_000_000_000) {
            let amount = Decimal::new(cents, 2);
            prop_assert_eq!(positive_amount(amount, "EUR").unwrap(), amount);
        }
    }
}
