//! A terms change as typed in the console, for one partner or a bulk amendment: the plan, the
//! optional per-partner overrides, when it takes effect (UTC) and why. Whether the start lies in
//! the past is the terms flow's check, against the server's clock.

use super::plan_form::decimal;
use super::terms::TermOverrides;
use super::validate::{check_money, check_percent};
use crate::domain::validate::FieldErrors;
use crate::domain::{country, partner_kind::PartnerKind};
use rust_decimal::Decimal;
use time::{OffsetDateTime, PrimitiveDateTime};

/// The form as submitted.
#[derive(Clone, Debug, Default)]
pub struct TermsInput {
    pub plan_id: String,
    pub rate: String,
    pub flat: String,
    pub cap_per_conversion: String,
    pub cap_per_period: String,
    /// A `datetime-local` value, read as UTC; empty means now.
    pub effective_from: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermsValues {
    pub plan_id: i64,
    pub overrides: TermOverrides,
    pub effective_from: OffsetDateTime,
    pub reason: String,
}

/// The longest reason the database takes.
pub const REASON_MAX: usize = 500;

impl TermsInput {
    /// Every field the form has, for filling it again after an error.
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("plan_id", &self.plan_id),
            ("rate", &self.rate),
            ("flat", &self.flat),
            ("cap_per_conversion", &self.cap_per_conversion),
            ("cap_per_period", &self.cap_per_period),
            ("effective_from", &self.effective_from),
            ("reason", &self.reason),
        ]
    }

    pub fn parse(&self, currency: &str, now: OffsetDateTime) -> Result<TermsValues, FieldErrors> {
        let mut errors = FieldErrors::default();
        let plan_id = self.plan_id.trim().parse::<i64>().ok();
        if plan_id.is_none() {
            errors.add("plan_id", "Choose a plan.");
        }
        let rate = errors.check("rate", optional(&self.rate, "The rate", check_percent, true));
        let flat = errors.check(
            "flat",
            optional(&self.flat, "The flat amount", |v| check_money(v, currency), false),
        );
        let cap_per_conversion = errors.check(
            "cap_per_conversion",
            optional(
                &self.cap_per_conversion,
                "The cap per conversion",
                |v| check_money(v, currency),
                false,
            ),
        );
        let cap_per_period = errors.check(
            "cap_per_period",
            optional(
                &self.cap_per_period,
                "The cap per period",
                |v| check_money(v, currency),
                false,
            ),
        );
        let effective_from = errors.check("effective_from", effective(&self.effective_from, now));
        let reason = self.reason.trim();
        if reason.is_empty() {
            errors.add("reason", "Say why the terms change; the partner's history shows it.");
        } else if reason.chars().count() > REASON_MAX {
            errors.add("reason", format!("Keep the reason under {REASON_MAX} characters."));
        }
        match (plan_id, rate, flat, cap_per_conversion, cap_per_period, effective_from) {
            (Some(plan_id), Some(rate), Some(flat), Some(cap_per_conversion), Some(cap_per_period), Some(at))
                if errors.is_empty() =>
            {
                Ok(TermsValues {
                    plan_id,
                    overrides: TermOverrides {
                        rate,
                        flat,
                        cap_per_conversion,
                        cap_per_period,
                    },
                    effective_from: at,
                    reason: reason.to_owned(),
                })
            }
            _ => Err(errors.with_submitted(&self.echo())),
        }
    }
}

fn optional(
    text: &str,
    label: &str,
    check: impl Fn(Decimal) -> Result<(), String>,
    percent: bool,
) -> Result<Option<Decimal>, String> {
    let text = text.trim();
    let text = if percent {
        text.trim_end_matches('%').trim()
    } else {
        text
    };
    if text.is_empty() {
        return Ok(None);
    }
    let value = decimal(text).map_err(|e| format!("{label}: {e}"))?;
    check(value).map_err(|e| format!("{label}: {e}"))?;
    Ok(Some(value))
}

/// `2026-12-01T09:30` (or with seconds) in UTC; empty is `now`.
fn effective(text: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(now);
    }
    let short = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let long = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    PrimitiveDateTime::parse(text, short)
        .or_else(|_| PrimitiveDateTime::parse(text, long))
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|_| "Enter a date and time like 2026-12-01T09:30 (UTC), or leave it empty to start now.".into())
}

/// A bulk amendment's selection: every active partner, or those of one kind and/or country.
pub fn parse_selection(kind_text: &str, country_text: &str) -> Result<(Option<String>, Option<String>), FieldErrors> {
    let mut errors = FieldErrors::default();
    let kind = match kind_text.trim() {
        "" => None,
        value => errors.check(
            "kind",
            PartnerKind::parse(value)
                .map(|k| k.as_str().to_owned())
                .map_err(|_| "Choose a partner kind from the list.".to_owned()),
        ),
    };
    let country_code = match country_text.trim() {
        "" => None,
        value => errors.check("country", country::parse(value)),
    };
    if errors.is_empty() {
        Ok((kind, country_code))
    } else {
        Err(errors.with_submitted(&[("kind", kind_text), ("country", country_text)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn input() -> TermsInput {
        TermsInput {
            plan_id: "3".into(),
            effective_from: "2026-12-01T09:30".into(),
            reason: "New season".into(),
            ..Default::default()
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-11-01 00:00 UTC);

    #[test]
    fn a_change_with_and_without_overrides() {
        let values = input().parse("EUR", NOW).expect("valid");
        assert_eq!(values.effective_from, datetime!(2026-12-01 09:30 UTC));
        assert!(values.overrides.is_empty());
        let with = TermsInput {
            rate: "12.5%".into(),
            cap_per_period: "1000".into(),
            effective_from: String::new(),
            ..input()
        };
        let values = with.parse("EUR", NOW).expect("valid");
        assert_eq!(values.overrides.rate, Some(Decimal::new(125, 1)));
        assert_eq!(values.overrides.cap_per_period, Some(Decimal::from(1000)));
        assert_eq!(values.effective_from, NOW, "empty starts now");
    }

    #[test]
    fn each_bad_field_is_named_and_the_typed_values_come_back() {
        let cases = [
            (
                TermsInput {
                    plan_id: "".into(),
                    ..input()
                },
                "plan_id",
            ),
            (
                TermsInput {
                    rate: "101".into(),
                    ..input()
                },
                "rate",
            ),
            (
                TermsInput {
                    flat: "ten".into(),
                    ..input()
                },
                "flat",
            ),
            (
                TermsInput {
                    cap_per_conversion: "-5".into(),
                    ..input()
                },
                "cap_per_conversion",
            ),
            (
                TermsInput {
                    effective_from: "tomorrow".into(),
                    ..input()
                },
                "effective_from",
            ),
            (
                TermsInput {
                    reason: "  ".into(),
                    ..input()
                },
                "reason",
            ),
            (
                TermsInput {
                    reason: "x".repeat(501),
                    ..input()
                },
                "reason",
            ),
        ];
        for (case, field) in cases {
            let errors = case.parse("EUR", NOW).expect_err(field);
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
            assert_eq!(errors.submitted("effective_from"), Some(case.effective_from.as_str()));
        }
    }

    #[test]
    fn selections_are_a_known_kind_and_country() {
        assert_eq!(parse_selection("", "").unwrap(), (None, None));
        assert_eq!(
            parse_selection("creator", "de").unwrap(),
            (Some("creator".into()), Some("DE".into()))
        );
        assert!(parse_selection("pirate", "").unwrap_err().get("kind").is_some());
        assert!(parse_selection("", "XX").unwrap_err().get("country").is_some());
    }
}
