//! A program's commission settings as typed in the console: routing thresholds in the program's
//! currency, the lock period and the approval SLA, checked field by field before the database
//! sees them (its CHECKs would otherwise answer with an error page), and the review threshold
//! for manual adjustments.

use super::plan_form::decimal;
use super::validate::check_money;
use crate::domain::validate::{whole, FieldErrors};
use rust_decimal::Decimal;

/// The form as submitted.
#[derive(Clone, Debug, Default)]
pub struct SettingsInput {
    pub auto_approve_below: String,
    pub finance_above: String,
    pub lock_days: String,
    pub sla_remind_hours: String,
    pub sla_escalate_hours: String,
    pub sub_partner_invites: bool,
}

/// The checked settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsValues {
    pub auto_approve_below: Option<Decimal>,
    pub finance_above: Option<Decimal>,
    pub lock_days: i32,
    pub sla_remind_hours: i32,
    pub sla_escalate_hours: i32,
    pub sub_partner_invites: bool,
}

/// The longest lock period and SLA the database takes.
pub const MAX_LOCK_DAYS: i32 = 365;
pub const MAX_SLA_HOURS: i32 = 8760;

impl SettingsInput {
    pub fn parse(&self, currency: &str) -> Result<SettingsValues, FieldErrors> {
        let mut errors = FieldErrors::default();
        let auto = errors
            .check(
                "auto_approve_below",
                amount(&self.auto_approve_below, currency, "The auto-approve amount"),
            )
            .flatten();
        let finance = errors
            .check(
                "finance_above",
                amount(&self.finance_above, currency, "The finance amount"),
            )
            .flatten();
        if let (Some(auto), Some(finance)) = (auto, finance) {
            if finance < auto {
                errors.add(
                    "finance_above",
                    "The finance amount can't be below the auto-approve amount: commissions that are approved automatically never reach finance.",
                );
            }
        }
        let lock_days = errors.check(
            "lock_days",
            whole(&self.lock_days, 0, MAX_LOCK_DAYS, "The lock period", "days"),
        );
        let remind = errors.check(
            "sla_remind_hours",
            whole(&self.sla_remind_hours, 1, MAX_SLA_HOURS, "The reminder", "hours"),
        );
        let escalate = errors.check(
            "sla_escalate_hours",
            whole(&self.sla_escalate_hours, 1, MAX_SLA_HOURS, "The escalation", "hours"),
        );
        if let (Some(remind), Some(escalate)) = (remind, escalate) {
            if escalate <= remind {
                errors.add(
                    "sla_escalate_hours",
                    format!("Escalate later than the reminder: more than {remind} hours."),
                );
            }
        }
        match (lock_days, remind, escalate) {
            (Some(lock_days), Some(sla_remind_hours), Some(sla_escalate_hours)) if errors.is_empty() => {
                Ok(SettingsValues {
                    auto_approve_below: auto,
                    finance_above: finance,
                    lock_days,
                    sla_remind_hours,
                    sla_escalate_hours,
                    sub_partner_invites: self.sub_partner_invites,
                })
            }
            _ => Err(errors.with_submitted(&[
                ("auto_approve_below", &self.auto_approve_below),
                ("finance_above", &self.finance_above),
                ("lock_days", &self.lock_days),
                ("sla_remind_hours", &self.sla_remind_hours),
                ("sla_escalate_hours", &self.sla_escalate_hours),
                ("sub_partner_invites", if self.sub_partner_invites { "yes" } else { "" }),
            ])),
        }
    }
}

/// An optional amount: empty means "no threshold".
fn amount(text: &str, currency: &str, label: &str) -> Result<Option<Decimal>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let value = decimal(text).map_err(|e| format!("{label}: {e}"))?;
    check_money(value, currency).map_err(|e| format!("{label}: {e}"))?;
    Ok(Some(value))
}

/// The review threshold for manual adjustments: adjustments above it (either sign) wait for
/// finance. Required, since "no threshold" would be ambiguous: 0 means every adjustment waits.
pub fn adjustment_review_above(text: &str, currency: &str) -> Result<Decimal, String> {
    let label = "The adjustment review amount";
    amount(text, currency, label)?
        .ok_or_else(|| format!("{label}: enter an amount; 0 sends every adjustment to finance."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SettingsInput {
        SettingsInput {
            auto_approve_below: "25".into(),
            finance_above: "500".into(),
            lock_days: "30".into(),
            sla_remind_hours: "48".into(),
            sla_escalate_hours: "96".into(),
            sub_partner_invites: true,
        }
    }

    #[test]
    fn good_settings_pass_and_empty_thresholds_mean_none() {
        let values = input().parse("EUR").expect("valid");
        assert_eq!(values.auto_approve_below, Some(Decimal::from(25)));
        assert_eq!(values.lock_days, 30);
        let none = SettingsInput {
            auto_approve_below: " ".into(),
            finance_above: String::new(),
            lock_days: "0".into(),
            ..input()
        };
        let values = none.parse("EUR").expect("valid");
        assert_eq!((values.auto_approve_below, values.finance_above), (None, None));
    }

    #[test]
    fn the_adjustment_review_amount_is_required_and_checked_like_the_others() {
        assert_eq!(adjustment_review_above(" 0 ", "EUR"), Ok(Decimal::ZERO));
        assert_eq!(adjustment_review_above("250.50", "EUR"), Ok(Decimal::new(25050, 2)));
        assert!(adjustment_review_above("", "EUR")
            .unwrap_err()
            .contains("0 sends every adjustment"));
        assert!(adjustment_review_above("-1", "EUR").unwrap_err().contains("negative"));
        assert!(adjustment_review_above("1.5", "JPY").unwrap_err().contains("decimals"));
        assert!(adjustment_review_above("1,000", "EUR")
            .unwrap_err()
            .contains("separators"));
    }

    #[test]
    fn what_the_database_would_refuse_is_a_field_error() {
        let cases = [
            (
                SettingsInput {
                    finance_above: "10".into(),
                    ..input()
                },
                "finance_above",
            ),
            (
                SettingsInput {
                    sla_escalate_hours: "48".into(),
                    ..input()
                },
                "sla_escalate_hours",
            ),
            (
                SettingsInput {
                    lock_days: "366".into(),
                    ..input()
                },
                "lock_days",
            ),
            (
                SettingsInput {
                    sla_remind_hours: "0".into(),
                    ..input()
                },
                "sla_remind_hours",
            ),
            (
                SettingsInput {
                    auto_approve_below: "-1".into(),
                    ..input()
                },
                "auto_approve_below",
            ),
            (
                SettingsInput {
                    auto_approve_below: "1.005".into(),
                    ..input()
                },
                "auto_approve_below",
            ),
            (
                SettingsInput {
                    lock_days: "ten".into(),
                    ..input()
                },
                "lock_days",
            ),
        ];
        for (case, field) in cases {
            let errors = case.parse("EUR").expect_err(field);
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
            assert!(errors.submitted(field).is_some(), "typed values come back");
        }
    }
}
