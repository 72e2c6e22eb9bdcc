//! Setting funds up: a fund's name, period and claim window; allocations to one partner, to
//! every partner of a tier, or as a percent of each partner's revenue in the previous period.

use super::{amount, date};
use crate::domain::money;
use crate::domain::period::months_back;
use crate::domain::validate::{required_text, FieldErrors};
use rust_decimal::Decimal;
use std::str::FromStr;
use time::{Date, Duration};

/// The fund form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FundForm {
    pub name: String,
    pub period_start: String,
    pub period_end: String,
    pub claim_days: String,
}

impl FundForm {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("name", self.name.as_str()),
            ("period_start", self.period_start.as_str()),
            ("period_end", self.period_end.as_str()),
            ("claim_days", self.claim_days.as_str()),
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidFund {
    pub name: String,
    pub period_start: Date,
    pub period_end: Date,
    pub claim_days: i32,
}

pub fn validate_fund(form: &FundForm) -> Result<ValidFund, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", required_text(&form.name, "Name", 120));
    let start = errors.check("period_start", date(&form.period_start, "Period start"));
    let end = errors.check("period_end", date(&form.period_end, "Period end"));
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            errors.add("period_end", "The period must end on or after its start.");
        } else if (e - s).whole_days() + 1 > 366 {
            errors.add("period_end", "A fund's period can be at most a year.");
        }
    }
    let claim_days = errors.check(
        "claim_days",
        form.claim_days
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| "Claim window must be a whole number of days from 1 to 365.".to_owned()),
    );
    match (name, start, end, claim_days) {
        (Some(name), Some(period_start), Some(period_end), Some(claim_days)) if errors.is_empty() => Ok(ValidFund {
            name,
            period_start,
            period_end,
            claim_days,
        }),
        _ => Err(errors),
    }
}

fn is_month_end(date: Date) -> bool {
    (date + Duration::days(1)).day() == 1
}

/// The period before `start..=end`: the same number of whole months when the period is whole
/// months (a quarter's previous quarter), otherwise the same number of days.
pub fn previous_period(start: Date, end: Date) -> (Date, Date) {
    if start.day() == 1 && is_month_end(end) {
        let months = (end.year() * 12 + end.month() as i32) - (start.year() * 12 + start.month() as i32) + 1;
        (months_back(start, months), start - Duration::days(1))
    } else {
        let days = (end - start).whole_days() + 1;
        (start - Duration::days(days), start - Duration::days(1))
    }
}

/// Where a fund stands on `today`: (key, label), and whether requests may still draw on it (its
/// period has not ended and its funds have not expired).
pub fn status(start: Date, end: Date, expired: bool, today: Date) -> (&'static str, &'static str, bool) {
    let open = !expired && end >= today;
    if expired {
        ("expired", "Expired", open)
    } else if !open {
        ("lapsed", "Period over", open)
    } else if start > today {
        ("pending", "Upcoming", open)
    } else {
        ("active", "Open", open)
    }
}

/// A partner's accrued allocation: `percent` of its revenue, rounded half to even to the
/// currency's minor unit.
pub fn accrual(revenue: Decimal, percent: Decimal, currency: &str) -> Decimal {
    money::round(revenue * percent / Decimal::ONE_HUNDRED, currency)
}

/// Each partner's part of an allocation by tier shares: the tier's `share` (percent) of `pool`,
/// split evenly among its `members`, rounded down to the currency's minor unit, so the parts
/// never add up to more than the pool (what rounding leaves stays unallocated).
pub fn tier_share_part(pool: Decimal, share: Decimal, members: usize, currency: &str) -> Decimal {
    if members == 0 {
        return Decimal::ZERO;
    }
    let exact = pool * share / Decimal::ONE_HUNDRED / Decimal::from(members);
    exact.round_dp_with_strategy(money::minor_units(currency), rust_decimal::RoundingStrategy::ToZero)
}

/// "Gold's 30% share of EUR 10,000.00, split among 3 partners"
pub fn describe_tier_share(tier: &str, share: Decimal, pool: Decimal, split_among: i32, currency: &str) -> String {
    format!(
        "{tier}'s {}% share of {}, split among {split_among} partner{}",
        share.normalize(),
        money::format(pool, currency),
        if split_among == 1 { "" } else { "s" }
    )
}

/// Who an allocation goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Partner {
        partner_id: i64,
        amount: Decimal,
    },
    Tier {
        tier: String,
        amount: Decimal,
    },
    Segment {
        segment_id: i64,
        amount: Decimal,
    },
    Revenue {
        percent: Decimal,
    },
    /// `pool` split by the program's tier ladder: each tier's MDF share of it, evenly among the
    /// tier's active partners.
    TierShares {
        pool: Decimal,
    },
}

/// The allocation form as typed: `target` is "partner", "tier" or "revenue".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllocationForm {
    pub target: String,
    pub partner_id: String,
    pub tier: String,
    pub segment_id: String,
    pub amount: String,
    pub percent: String,
}

impl AllocationForm {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("target", self.target.as_str()),
            ("partner_id", self.partner_id.as_str()),
            ("tier", self.tier.as_str()),
            ("segment_id", self.segment_id.as_str()),
            ("amount", self.amount.as_str()),
            ("percent", self.percent.as_str()),
        ]
    }
}

/// A tier name as operators type it: letters, digits, spaces, `-` and `_`, up to 40 characters.
pub fn tier(text: &str) -> Result<String, String> {
    let text = text.trim();
    let ok = !text.is_empty()
        && text.chars().count() <= 40
        && text.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_'));
    if ok {
        Ok(text.to_owned())
    } else {
        Err("A tier is a short name like Gold or Tier 2 (letters, digits, spaces, - and _).".into())
    }
}

pub fn validate_allocation(form: &AllocationForm, currency: &str) -> Result<Target, FieldErrors> {
    let mut errors = FieldErrors::default();
    let target = match form.target.as_str() {
        "partner" => {
            let partner = errors.check(
                "partner_id",
                form.partner_id
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| "Choose a partner.".to_owned()),
            );
            let amount = errors.check("amount", amount(&form.amount, currency, "Amount"));
            partner
                .zip(amount)
                .map(|(partner_id, amount)| Target::Partner { partner_id, amount })
        }
        "tier" => {
            let tier = errors.check("tier", tier(&form.tier));
            let amount = errors.check("amount", amount(&form.amount, currency, "Amount per partner"));
            tier.zip(amount).map(|(tier, amount)| Target::Tier { tier, amount })
        }
        "segment" => {
            let segment = errors.check(
                "segment_id",
                form.segment_id
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| "Choose a segment.".to_owned()),
            );
            let amount = errors.check("amount", amount(&form.amount, currency, "Amount per partner"));
            segment
                .zip(amount)
                .map(|(segment_id, amount)| Target::Segment { segment_id, amount })
        }
        "tier_shares" => errors
            .check("amount", amount(&form.amount, currency, "The amount to split"))
            .map(|pool| Target::TierShares { pool }),
        "revenue" => {
            let cleaned = form.percent.trim().trim_end_matches('%').trim();
            let percent = errors.check(
                "percent",
                Decimal::from_str(cleaned)
                    .ok()
                    .filter(|p| *p > Decimal::ZERO && *p <= Decimal::ONE_HUNDRED && p.scale() <= 4)
                    .ok_or_else(|| "Percent must be a number above 0 and at most 100, like 5 or 2.5.".to_owned()),
            );
            percent.map(|percent| Target::Revenue { percent })
        }
        _ => {
            errors.add("target", "Choose who gets the funds.");
            None
        }
    };
    match target {
        Some(target) if errors.is_empty() => Ok(target),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn tier_share_parts_round_down_and_never_exceed_the_pool() {
        // 30% of EUR 1,000 among 3 partners: EUR 100 each.
        assert_eq!(
            tier_share_part(Decimal::from(1000), Decimal::from(30), 3, "EUR"),
            Decimal::from(100)
        );
        // 10% of EUR 100 among 3: EUR 3.33 each, a cent left over.
        assert_eq!(
            tier_share_part(Decimal::from(100), Decimal::from(10), 3, "EUR"),
            Decimal::new(333, 2)
        );
        // Yen have no minor unit.
        assert_eq!(
            tier_share_part(Decimal::from(1000), Decimal::from(50), 3, "JPY"),
            Decimal::from(166)
        );
        assert_eq!(
            tier_share_part(Decimal::from(1000), Decimal::from(50), 0, "EUR"),
            Decimal::ZERO
        );
    }

    proptest::proptest! {
        #[test]
        fn the_parts_of_every_tier_add_up_to_at_most_the_pool(
            cents in 1i64..100_000_000,
            shares in proptest::collection::vec((1u32..=33, 1usize..50), 1..4),
        ) {
            let pool = Decimal::new(cents, 2);
            let total: Decimal = shares
                .iter()
                .map(|(share, members)| tier_share_part(pool, Decimal::from(*share), *members, "EUR") * Decimal::from(*members))
                .sum();
            proptest::prop_assert!(total <= pool);
        }
    }

    #[test]
    fn the_previous_period_of_a_quarter_is_the_quarter_before() {
        assert_eq!(
            previous_period(date!(2026 - 04 - 01), date!(2026 - 06 - 30)),
            (date!(2026 - 01 - 01), date!(2026 - 03 - 31))
        );
        assert_eq!(
            previous_period(date!(2026 - 01 - 01), date!(2026 - 03 - 31)),
            (date!(2025 - 10 - 01), date!(2025 - 12 - 31))
        );
        assert_eq!(
            previous_period(date!(2026 - 03 - 01), date!(2026 - 03 - 31)),
            (date!(2026 - 02 - 01), date!(2026 - 02 - 28))
        );
        assert_eq!(
            previous_period(date!(2026 - 05 - 10), date!(2026 - 05 - 19)),
            (date!(2026 - 04 - 30), date!(2026 - 05 - 09)),
            "ten days before ten days"
        );
    }

    #[test]
    fn a_fund_is_upcoming_open_over_or_expired() {
        let (start, end) = (date!(2026 - 04 - 01), date!(2026 - 06 - 30));
        assert_eq!(
            status(start, end, false, date!(2026 - 03 - 31)),
            ("pending", "Upcoming", true)
        );
        assert_eq!(
            status(start, end, false, date!(2026 - 06 - 30)),
            ("active", "Open", true)
        );
        assert_eq!(
            status(start, end, false, date!(2026 - 07 - 01)),
            ("lapsed", "Period over", false)
        );
        assert_eq!(
            status(start, end, true, date!(2026 - 05 - 01)),
            ("expired", "Expired", false)
        );
    }

    #[test]
    fn accruals_round_half_to_even() {
        let revenue = Decimal::new(123_450, 2); // 1,234.50
        assert_eq!(accrual(revenue, Decimal::from(5), "USD"), Decimal::new(6172, 2)); // 61.725 → 61.72
        assert_eq!(accrual(revenue, Decimal::from(10), "JPY"), Decimal::from(123));
    }

    #[test]
    fn funds_and_allocations_are_checked() {
        let fund = FundForm {
            name: "Q2 2026".into(),
            period_start: "2026-04-01".into(),
            period_end: "2026-06-30".into(),
            claim_days: "45".into(),
        };
        assert_eq!(validate_fund(&fund).unwrap().claim_days, 45);
        let reversed = FundForm {
            period_end: "2026-03-01".into(),
            claim_days: "0".into(),
            ..fund.clone()
        };
        let errors = validate_fund(&reversed).unwrap_err();
        assert_eq!(
            errors.get("period_end"),
            Some("The period must end on or after its start.")
        );
        assert!(errors.get("claim_days").is_some());

        let to_partner = AllocationForm {
            target: "partner".into(),
            partner_id: "7".into(),
            amount: "5000".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_allocation(&to_partner, "USD"),
            Ok(Target::Partner {
                partner_id: 7,
                amount: Decimal::from(5000)
            })
        );
        let to_tier = AllocationForm {
            target: "tier".into(),
            tier: "Gold!".into(),
            amount: "0".into(),
            ..Default::default()
        };
        let errors = validate_allocation(&to_tier, "USD").unwrap_err();
        assert!(errors.get("tier").is_some() && errors.get("amount").is_some());
        let accrued = AllocationForm {
            target: "revenue".into(),
            percent: "2.5%".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_allocation(&accrued, "USD"),
            Ok(Target::Revenue {
                percent: Decimal::new(25, 1)
            })
        );
        let too_much = AllocationForm {
            percent: "150".into(),
            ..accrued
        };
        assert!(validate_allocation(&too_much, "USD").is_err());
        let to_segment = AllocationForm {
            target: "segment".into(),
            segment_id: "3".into(),
            amount: "250".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_allocation(&to_segment, "USD"),
            Ok(Target::Segment {
                segment_id: 3,
                amount: Decimal::from(250)
            })
        );
        let no_segment = AllocationForm {
            segment_id: "".into(),
            ..to_segment
        };
        assert!(validate_allocation(&no_segment, "USD")
            .unwrap_err()
            .get("segment_id")
            .is_some());
        assert_eq!(tier(" Gold "), Ok("Gold".into()));
    }
}
