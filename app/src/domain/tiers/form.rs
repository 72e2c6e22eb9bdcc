//! The tier ladder form: a row of fields per tier (`t0_name`, `t0_min_revenue`, …, lowest tier
//! first) plus the window and grace period. The same fields travel in the preview's query string
//! and in the save, so what is previewed is what is saved.

use super::ladder::{Criteria, Criterion, Ladder, Tier};
use crate::domain::validate::{whole, FieldErrors};
use rust_decimal::Decimal;
use std::collections::HashMap;

pub type Fields = HashMap<String, String>;

/// The most tiers a ladder has.
pub const MAX_TIERS: usize = 6;

/// A tier row's fields, after `name`.
pub const TIER_FIELDS: [&str; 11] = [
    "name",
    "min_revenue",
    "min_conversions",
    "min_won_value",
    "min_won_deals",
    "min_certified_people",
    "min_documents",
    "min_days_in_program",
    "plan_id",
    "protection_days",
    "mdf_share",
];

/// A tier row's field name: `t0_name` is the lowest tier's name.
pub fn tier_key(row: usize, field: &str) -> String {
    format!("t{row}_{field}")
}

/// The ladder the fields describe. `plan_ids` are the program's plans (a tier may pay one of
/// them); rows left blank are skipped, so a ladder can have fewer than `MAX_TIERS` tiers.
pub fn parse(fields: &Fields, currency: &str, plan_ids: &[i64]) -> Result<Ladder, FieldErrors> {
    let value = |key: &str| fields.get(key).map_or("", |v| v.trim());
    let mut errors = FieldErrors::default();
    let window_days = errors.check("window_days", whole(value("window_days"), 7, 730, "The window", "days"));
    let grace_days = errors.check(
        "grace_days",
        whole(value("grace_days"), 0, 365, "The grace period", "days"),
    );
    let mut tiers = Vec::new();
    let mut rows = Vec::new();
    for row in 0..MAX_TIERS {
        let cell = |field: &str| value(&tier_key(row, field));
        if TIER_FIELDS.iter().all(|f| cell(f).is_empty()) {
            continue;
        }
        let key = |field: &str| tier_key(row, field);
        let name = errors.check(&key("name"), crate::domain::mdf::fund::tier(cell("name")));
        let mut criteria = Criteria::default();
        for c in Criterion::ALL {
            let label = format!("Minimum {}", c.noun());
            if c.is_money() {
                let amount = errors.check(&key(c.field()), money(cell(c.field()), currency, &label));
                set_money(&mut criteria, c, amount.unwrap_or_default());
            } else {
                let count = errors.check(&key(c.field()), count(cell(c.field()), &label));
                set_count(&mut criteria, c, count.unwrap_or_default());
            }
        }
        let plan_id = match cell("plan_id") {
            "" => None,
            text => errors.check(
                &key("plan_id"),
                text.parse::<i64>()
                    .ok()
                    .filter(|id| plan_ids.contains(id))
                    .ok_or_else(|| "Choose one of this program's plans, or the default plan.".to_owned()),
            ),
        };
        let protection_days = match cell("protection_days") {
            "" => None,
            text => errors.check(&key("protection_days"), whole(text, 1, 730, "Deal protection", "days")),
        };
        let mdf_share = match cell("mdf_share") {
            "" => None,
            text => errors.check(&key("mdf_share"), share(text)),
        };
        rows.push(row);
        tiers.push(Tier {
            name: name.unwrap_or_default(),
            criteria,
            plan_id,
            protection_days,
            mdf_share,
        });
    }
    let ladder = Ladder {
        window_days: window_days.unwrap_or_default(),
        grace_days: grace_days.unwrap_or_default(),
        tiers,
    };
    if errors.is_empty() {
        for (place, field, message) in ladder.disorder() {
            errors.add(&tier_key(rows[place], field), message);
        }
        let total = ladder.mdf_shares_total();
        if total > Decimal::ONE_HUNDRED {
            // Said beside the last share, the one that took the total over.
            let last = ladder
                .tiers
                .iter()
                .rposition(|t| t.mdf_share.is_some())
                .unwrap_or_default();
            errors.add(
                &tier_key(rows[last], "mdf_share"),
                format!(
                    "The tiers' MDF shares add up to {}%: together they can be at most 100%.",
                    total.normalize()
                ),
            );
        }
    }
    if errors.is_empty() {
        Ok(ladder)
    } else {
        let echo: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Err(errors.with_submitted(&echo))
    }
}

/// The fields that show `ladder` in the form.
pub fn fields_of(ladder: &Ladder) -> Fields {
    let mut fields = Fields::new();
    fields.insert("window_days".into(), ladder.window_days.to_string());
    fields.insert("grace_days".into(), ladder.grace_days.to_string());
    for (row, tier) in ladder.tiers.iter().enumerate() {
        fields.insert(tier_key(row, "name"), tier.name.clone());
        for c in Criterion::ALL {
            let threshold = c.threshold(&tier.criteria);
            if !threshold.is_zero() {
                fields.insert(tier_key(row, c.field()), threshold.normalize().to_string());
            }
        }
        if let Some(plan) = tier.plan_id {
            fields.insert(tier_key(row, "plan_id"), plan.to_string());
        }
        if let Some(days) = tier.protection_days {
            fields.insert(tier_key(row, "protection_days"), days.to_string());
        }
        if let Some(share) = tier.mdf_share {
            fields.insert(tier_key(row, "mdf_share"), share.normalize().to_string());
        }
    }
    fields
}

/// A threshold amount: empty or 0 asks for nothing.
fn money(text: &str, currency: &str, label: &str) -> Result<Decimal, String> {
    if text.is_empty() || text.replace(['0', '.', ','], "").is_empty() {
        return Ok(Decimal::ZERO);
    }
    crate::domain::mdf::amount(text, currency, label)
}

/// A tier's MDF share in percent, "30" or "12.5%".
fn share(text: &str) -> Result<Decimal, String> {
    text.trim_end_matches('%')
        .trim()
        .parse::<Decimal>()
        .ok()
        .filter(|p| *p > Decimal::ZERO && *p <= Decimal::ONE_HUNDRED && p.scale() <= 2)
        .ok_or_else(|| "An MDF share is a percent above 0 and at most 100, like 30 or 12.5.".to_owned())
}

/// A threshold count: empty asks for nothing.
fn count(text: &str, label: &str) -> Result<i64, String> {
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<i64>() {
        Ok(n) if (0..=1_000_000_000).contains(&n) => Ok(n),
        _ => Err(format!("{label}: enter a whole number, 0 or more.")),
    }
}

fn set_money(criteria: &mut Criteria, criterion: Criterion, amount: Decimal) {
    match criterion {
        Criterion::Revenue => criteria.min_revenue = amount,
        Criterion::WonValue => criteria.min_won_value = amount,
        _ => unreachable!("only revenue and won value are money"),
    }
}

fn set_count(criteria: &mut Criteria, criterion: Criterion, count: i64) {
    match criterion {
        Criterion::Conversions => criteria.min_conversions = count,
        Criterion::WonDeals => criteria.min_won_deals = count,
        Criterion::CertifiedPeople => criteria.min_certified_people = count,
        Criterion::Documents => criteria.min_documents = count,
        Criterion::DaysInProgram => criteria.min_days_in_program = count,
        _ => unreachable!("revenue and won value are money"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Fields {
        let mut fields: Fields = [("window_days", "90"), ("grace_days", "30")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        fields.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        fields
    }

    #[test]
    fn a_ladder_round_trips_through_its_fields() {
        let fields = form(&[
            ("t0_name", "Registered"),
            ("t1_name", "Silver"),
            ("t1_min_revenue", "1,000"),
            ("t1_plan_id", "7"),
            ("t3_name", "Gold"),
            ("t3_min_revenue", "5000.50"),
            ("t3_min_won_deals", "2"),
            ("t3_protection_days", "120"),
            ("t1_mdf_share", "25%"),
            ("t3_mdf_share", "62.5"),
        ]);
        let ladder = parse(&fields, "EUR", &[7]).unwrap();
        assert_eq!(ladder.tiers.len(), 3, "blank rows are skipped");
        assert_eq!(ladder.tiers[2].criteria.min_won_deals, 2);
        assert_eq!(ladder.tiers[1].plan_id, Some(7));
        assert_eq!(ladder.tiers[2].protection_days, Some(120));
        assert_eq!(ladder.tiers[1].mdf_share, Some(Decimal::from(25)));
        assert_eq!(ladder.tiers[2].mdf_share, Some(Decimal::new(625, 1)));
        assert_eq!(parse(&fields_of(&ladder), "EUR", &[7]).unwrap(), ladder);
    }

    #[test]
    fn bad_rows_say_which_field_and_keep_what_was_typed() {
        let errors = parse(
            &form(&[
                ("t0_name", "Silver"),
                ("t0_min_revenue", "1000"),
                ("t1_name", "Gold"),
                ("t1_min_revenue", "800"),
            ]),
            "EUR",
            &[],
        )
        .unwrap_err();
        assert!(errors
            .get("t1_min_revenue")
            .unwrap()
            .contains("Gold needs less revenue than Silver"));
        assert_eq!(errors.submitted("t1_min_revenue"), Some("800"));

        let errors = parse(
            &form(&[
                ("window_days", "3"),
                ("t0_min_revenue", "12"),
                ("t1_name", "Gold"),
                ("t1_min_conversions", "-1"),
                ("t1_plan_id", "99"),
                ("t1_min_won_value", "10.001"),
            ]),
            "EUR",
            &[7],
        )
        .unwrap_err();
        for field in [
            "window_days",
            "t0_name",
            "t1_min_conversions",
            "t1_plan_id",
            "t1_min_won_value",
        ] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn mdf_shares_are_percents_that_add_up_to_at_most_a_hundred() {
        for bad in ["0", "-5", "101", "abc", "12.345"] {
            let errors = parse(&form(&[("t0_name", "Gold"), ("t0_mdf_share", bad)]), "EUR", &[]).unwrap_err();
            assert!(
                errors.get("t0_mdf_share").unwrap().contains("MDF share is a percent"),
                "{bad}"
            );
            assert_eq!(errors.submitted("t0_mdf_share"), Some(bad));
        }
        let too_much = form(&[
            ("t0_name", "Silver"),
            ("t0_mdf_share", "40"),
            ("t1_name", "Gold"),
            ("t1_min_revenue", "1000"),
            ("t1_mdf_share", "70"),
        ]);
        let errors = parse(&too_much, "EUR", &[]).unwrap_err();
        assert!(
            errors.get("t1_mdf_share").unwrap().contains("add up to 110%"),
            "{errors:?}"
        );
        assert!(errors.get("t0_mdf_share").is_none());
        let mut exactly = too_much.clone();
        exactly.insert("t1_mdf_share".into(), "60".into());
        assert_eq!(
            parse(&exactly, "EUR", &[]).unwrap().mdf_shares_total(),
            Decimal::ONE_HUNDRED
        );
    }
}
