//! A segment's filter: the form's fields, what they mean, and the same filter as a pure
//! predicate over one partner's facts. The database compiles the filter to SQL
//! (backend/repos/segments.rs); a database test checks both agree on the same data.
//!
//! Ratios are compared by cross-multiplying (`commission >= epc × clicks`), never by dividing,
//! so Rust and PostgreSQL can't round a partner onto different sides of a threshold.

use crate::domain::partner_kind::PartnerKind;
use crate::domain::validate::{whole, FieldErrors};
use crate::domain::{country, money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;
use time::{Date, Duration};

pub type Fields = HashMap<String, String>;

/// Every field a filter has, as the form and the stored filter name them.
pub const FIELDS: [&str; 14] = [
    "kind",
    "tier",
    "country",
    "tag",
    "window_days",
    "min_revenue",
    "min_conversions",
    "min_epc",
    "min_won_deals",
    "max_refund_rate",
    "max_bot_share",
    "active_within_days",
    "inactive_for_days",
    "onboarding",
];

/// The performance window when the form leaves it empty.
pub const DEFAULT_WINDOW_DAYS: i32 = 90;
/// How far back "last activity" looks, so a partner idle for longer counts as never active.
pub const ACTIVITY_LOOKBACK_DAYS: i32 = 365;

/// Where a partner stands in onboarding: activated once it has a click or has registered a deal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Activation {
    Activated,
    NotActivated,
}

impl Activation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Activated => "activated",
            Self::NotActivated => "not_activated",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub kind: Option<PartnerKind>,
    pub tier: Option<String>,
    pub country: Option<String>,
    pub tag: Option<String>,
    pub window_days: i32,
    pub min_revenue: Option<Decimal>,
    pub min_conversions: Option<i64>,
    /// Commission per click, in the program's currency.
    pub min_epc: Option<Decimal>,
    pub min_won_deals: Option<i64>,
    /// Percent of the window's conversions refunded.
    pub max_refund_rate: Option<Decimal>,
    /// Percent of the window's clicks flagged as bots.
    pub max_bot_share: Option<Decimal>,
    pub active_within_days: Option<i32>,
    pub inactive_for_days: Option<i32>,
    pub onboarding: Option<Activation>,
}

impl Default for Filter {
    fn default() -> Self {
        Self {
            kind: None,
            tier: None,
            country: None,
            tag: None,
            window_days: DEFAULT_WINDOW_DAYS,
            min_revenue: None,
            min_conversions: None,
            min_epc: None,
            min_won_deals: None,
            max_refund_rate: None,
            max_bot_share: None,
            active_within_days: None,
            inactive_for_days: None,
            onboarding: None,
        }
    }
}

/// One active partner as a filter sees it; performance counts over the filter's window.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    pub partner_id: i64,
    pub kind: String,
    pub tier: Option<String>,
    pub country: String,
    pub tags: Vec<String>,
    pub revenue: Decimal,
    pub commission: Decimal,
    pub conversions: i64,
    pub clicks: i64,
    pub bot_clicks: i64,
    pub refunded: i64,
    pub won_deals: i64,
    /// The last day with a click, a conversion or a registered deal, within the lookback.
    pub last_active: Option<Date>,
    pub activated: bool,
}

impl Filter {
    /// Whether the partner is in the segment on `today`.
    pub fn admits(&self, f: &Facts, today: Date) -> bool {
        let hundred = Decimal::ONE_HUNDRED;
        let at_least = |min: Option<Decimal>, value: Decimal| min.is_none_or(|m| value >= m);
        let since = |days: i32| today - Duration::days(days.into());
        self.kind.is_none_or(|k| k.as_str() == f.kind)
            && self.tier.as_ref().is_none_or(|t| f.tier.as_ref() == Some(t))
            && self.country.as_ref().is_none_or(|c| *c == f.country)
            && self.tag.as_ref().is_none_or(|t| f.tags.contains(t))
            && at_least(self.min_revenue, f.revenue)
            && self.min_conversions.is_none_or(|m| f.conversions >= m)
            && self
                .min_epc
                .is_none_or(|m| f.clicks > 0 && f.commission >= m * Decimal::from(f.clicks))
            && self.min_won_deals.is_none_or(|m| f.won_deals >= m)
            && self
                .max_refund_rate
                .is_none_or(|m| Decimal::from(f.refunded) * hundred <= m * Decimal::from(f.conversions))
            && self
                .max_bot_share
                .is_none_or(|m| Decimal::from(f.bot_clicks) * hundred <= m * Decimal::from(f.clicks))
            && self
                .active_within_days
                .is_none_or(|d| f.last_active.is_some_and(|day| day > since(d)))
            && self
                .inactive_for_days
                .is_none_or(|d| f.last_active.is_none_or(|day| day <= since(d)))
            && self
                .onboarding
                .is_none_or(|a| (a == Activation::Activated) == f.activated)
    }

    /// The first day of the performance window.
    pub fn window_start(&self, today: Date) -> Date {
        today - Duration::days((self.window_days - 1).into())
    }

    /// What the filter asks, in a sentence for lists and audit notes.
    pub fn describe(&self, currency: &str) -> String {
        let mut parts = Vec::new();
        if let Some(kind) = self.kind {
            parts.push(kind.label().to_owned());
        }
        if let Some(tier) = &self.tier {
            parts.push(format!("tier {tier}"));
        }
        if let Some(code) = &self.country {
            parts.push(country::name(code).unwrap_or(code).to_owned());
        }
        if let Some(tag) = &self.tag {
            parts.push(format!("tagged {tag}"));
        }
        let window = self.window_days;
        if let Some(m) = self.min_revenue {
            parts.push(format!(
                "at least {} revenue in {window} days",
                money::format(m, currency)
            ));
        }
        if let Some(m) = self.min_conversions {
            parts.push(format!("{m}+ conversions in {window} days"));
        }
        if let Some(m) = self.min_epc {
            parts.push(format!("EPC at least {} {currency}", m.normalize()));
        }
        if let Some(m) = self.min_won_deals {
            parts.push(format!("{m}+ won deals in {window} days"));
        }
        if let Some(m) = self.max_refund_rate {
            parts.push(format!("refunds at most {}%", m.normalize()));
        }
        if let Some(m) = self.max_bot_share {
            parts.push(format!("bot clicks at most {}%", m.normalize()));
        }
        if let Some(d) = self.active_within_days {
            parts.push(format!("active in the last {d} days"));
        }
        if let Some(d) = self.inactive_for_days {
            parts.push(format!("idle for {d}+ days"));
        }
        match self.onboarding {
            Some(Activation::Activated) => parts.push("activated".into()),
            Some(Activation::NotActivated) => parts.push("not activated yet".into()),
            None => {}
        }
        if parts.is_empty() {
            "Every active partner".into()
        } else {
            capitalized(&parts.join(", "))
        }
    }
}

/// The filter the fields describe. `tiers` are the program's tier names. A field the filter
/// doesn't know is refused, so a typo can't silently widen a segment.
pub fn parse(fields: &Fields, tiers: &[String]) -> Result<Filter, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut unknown: Vec<&str> = fields
        .keys()
        .map(String::as_str)
        .filter(|k| !FIELDS.contains(k))
        .collect();
    unknown.sort_unstable();
    if let Some(first) = unknown.first() {
        errors.add(
            "filter",
            format!("A segment can't filter on \"{first}\": that field doesn't exist."),
        );
    }
    let value = |key: &str| fields.get(key).map_or("", |v| v.trim());
    let optional = |key: &str| Some(value(key)).filter(|v| !v.is_empty());
    let mut filter = Filter::default();
    if let Some(text) = optional("kind") {
        filter.kind = errors.check("kind", PartnerKind::parse(text));
    }
    if let Some(text) = optional("tier") {
        let known = tiers.iter().find(|t| t.eq_ignore_ascii_case(text)).cloned();
        filter.tier = errors.check(
            "tier",
            known.ok_or_else(|| "Choose one of this program's tiers.".to_owned()),
        );
    }
    if let Some(text) = optional("country") {
        filter.country = errors.check("country", country::parse(text));
    }
    if let Some(text) = optional("tag") {
        filter.tag = errors.check("tag", super::tags::tag(text));
    }
    if let Some(text) = optional("window_days") {
        if let Some(days) = errors.check("window_days", whole(text, 1, 730, "The window", "days")) {
            filter.window_days = days;
        }
    }
    filter.min_revenue =
        optional("min_revenue").and_then(|t| errors.check("min_revenue", decimal(t, 2, None, "Revenue")));
    filter.min_conversions =
        optional("min_conversions").and_then(|t| errors.check("min_conversions", count(t, "Conversions")));
    filter.min_epc = optional("min_epc").and_then(|t| errors.check("min_epc", decimal(t, 4, None, "EPC")));
    filter.min_won_deals = optional("min_won_deals").and_then(|t| errors.check("min_won_deals", count(t, "Won deals")));
    let hundred = Some(Decimal::ONE_HUNDRED);
    filter.max_refund_rate = optional("max_refund_rate")
        .and_then(|t| errors.check("max_refund_rate", decimal(t, 2, hundred, "The refund rate")));
    filter.max_bot_share =
        optional("max_bot_share").and_then(|t| errors.check("max_bot_share", decimal(t, 2, hundred, "The bot share")));
    let lookback = ACTIVITY_LOOKBACK_DAYS;
    filter.active_within_days = optional("active_within_days")
        .and_then(|t| errors.check("active_within_days", whole(t, 1, lookback, "Active within", "days")));
    filter.inactive_for_days = optional("inactive_for_days")
        .and_then(|t| errors.check("inactive_for_days", whole(t, 1, lookback, "Idle for", "days")));
    if let (Some(within), Some(idle)) = (filter.active_within_days, filter.inactive_for_days) {
        if within <= idle {
            errors.add(
                "inactive_for_days",
                format!(
                    "Nobody can be active in the last {within} days and idle for {idle}: make the idle days fewer."
                ),
            );
        }
    }
    filter.onboarding = match optional("onboarding") {
        None => None,
        Some("activated") => Some(Activation::Activated),
        Some("not_activated") => Some(Activation::NotActivated),
        Some(_) => errors.check(
            "onboarding",
            Err("Choose an onboarding state from the list.".to_owned()),
        ),
    };
    if errors.is_empty() {
        Ok(filter)
    } else {
        let echo: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Err(errors.with_submitted(&echo))
    }
}

/// The fields that show `filter` in the form (and that a segment stores).
pub fn fields_of(filter: &Filter) -> Fields {
    let mut fields = Fields::new();
    let mut put = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            fields.insert(key.to_owned(), value);
        }
    };
    let text = |d: Option<Decimal>| d.map(|d| d.normalize().to_string());
    put("kind", filter.kind.map(|k| k.as_str().to_owned()));
    put("tier", filter.tier.clone());
    put("country", filter.country.clone());
    put("tag", filter.tag.clone());
    put("window_days", Some(filter.window_days.to_string()));
    put("min_revenue", text(filter.min_revenue));
    put("min_conversions", filter.min_conversions.map(|n| n.to_string()));
    put("min_epc", text(filter.min_epc));
    put("min_won_deals", filter.min_won_deals.map(|n| n.to_string()));
    put("max_refund_rate", text(filter.max_refund_rate));
    put("max_bot_share", text(filter.max_bot_share));
    put("active_within_days", filter.active_within_days.map(|n| n.to_string()));
    put("inactive_for_days", filter.inactive_for_days.map(|n| n.to_string()));
    put("onboarding", filter.onboarding.map(|a| a.as_str().to_owned()));
    fields
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn count(text: &str, label: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(n) if (0..=1_000_000_000).contains(&n) => Ok(n),
        _ => Err(format!("{label}: enter a whole number, 0 or more.")),
    }
}

/// A number of 0 or more with at most `places` decimals, up to `max` when given.
fn decimal(text: &str, places: u32, max: Option<Decimal>, label: &str) -> Result<Decimal, String> {
    let cleaned = text.replace(',', "");
    let value = Decimal::from_str(&cleaned)
        .ok()
        .filter(|v| !cleaned.contains(['e', 'E']) && *v >= Decimal::ZERO && v.scale() <= places)
        .ok_or_else(|| format!("{label}: enter a number, 0 or more, with at most {places} decimals."))?;
    match max {
        Some(max) if value > max => Err(format!("{label}: enter at most {max}.")),
        _ => Ok(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 30);

    fn form(pairs: &[(&str, &str)]) -> Fields {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn facts() -> Facts {
        Facts {
            partner_id: 1,
            kind: "creator".into(),
            tier: Some("Gold".into()),
            country: "DE".into(),
            tags: vec!["news".into()],
            revenue: Decimal::new(150_000, 2),
            commission: Decimal::new(10_00, 2),
            conversions: 10,
            clicks: 100,
            bot_clicks: 5,
            refunded: 1,
            won_deals: 0,
            last_active: Some(date!(2026 - 06 - 20)),
            activated: true,
        }
    }

    #[test]
    fn a_filter_round_trips_through_its_fields() {
        let fields = form(&[
            ("kind", "creator"),
            ("tier", "gold"),
            ("country", "de"),
            ("tag", "News"),
            ("window_days", "30"),
            ("min_revenue", "1,000"),
            ("min_epc", "0.05"),
            ("max_refund_rate", "12.5"),
            ("active_within_days", "14"),
            ("onboarding", "activated"),
        ]);
        let filter = parse(&fields, &["Silver".into(), "Gold".into()]).unwrap();
        assert_eq!(filter.tier.as_deref(), Some("Gold"), "the program's spelling");
        assert_eq!(filter.country.as_deref(), Some("DE"));
        assert_eq!(parse(&fields_of(&filter), &["Gold".into()]), Ok(filter.clone()));
        assert!(filter.admits(&facts(), TODAY));
        assert_eq!(
            filter.describe("EUR"),
            "Creator / influencer, tier Gold, Germany, tagged news, at least EUR 1,000.00 revenue in 30 days, EPC at least 0.05 EUR, refunds at most 12.5%, active in the last 14 days, activated"
        );
    }

    #[test]
    fn unknown_fields_and_bad_values_are_refused_with_the_field() {
        let errors = parse(&form(&[("favourite_colour", "red"), ("min_revenue", "lots")]), &[]).unwrap_err();
        assert!(errors.get("filter").unwrap().contains("\"favourite_colour\""));
        assert!(errors.get("min_revenue").is_some());
        assert_eq!(
            errors.submitted("min_revenue"),
            Some("lots"),
            "what was typed comes back"
        );
        for (field, text) in [
            ("kind", "pirate"),
            ("tier", "Platinum"),
            ("country", "XX"),
            ("tag", "two words"),
            ("window_days", "0"),
            ("min_epc", "0.00001"),
            ("max_refund_rate", "101"),
            ("max_bot_share", "-1"),
            ("active_within_days", "400"),
            ("onboarding", "halfway"),
        ] {
            let errors = parse(&form(&[(field, text)]), &["Gold".into()]).unwrap_err();
            assert!(errors.get(field).is_some(), "{field}={text} is refused");
        }
        let both = parse(&form(&[("active_within_days", "7"), ("inactive_for_days", "30")]), &[]).unwrap_err();
        assert!(both.get("inactive_for_days").unwrap().contains("fewer"));
    }

    #[test]
    fn an_empty_filter_is_every_active_partner() {
        let filter = parse(&Fields::new(), &[]).unwrap();
        assert_eq!(filter, Filter::default());
        assert!(filter.admits(&facts(), TODAY));
        assert_eq!(filter.describe("EUR"), "Every active partner");
    }

    #[test]
    fn ratios_and_activity_have_exact_edges() {
        let f = facts();
        let with = |pairs: &[(&str, &str)]| parse(&form(pairs), &[]).unwrap().admits(&f, TODAY);
        // EPC is 10.00 / 100 = 0.10 exactly; refunds 10%; bots 5%.
        assert!(with(&[("min_epc", "0.1")]) && !with(&[("min_epc", "0.1001")]));
        assert!(with(&[("max_refund_rate", "10")]) && !with(&[("max_refund_rate", "9.99")]));
        assert!(with(&[("max_bot_share", "5")]) && !with(&[("max_bot_share", "4.99")]));
        // Last active 10 days ago: within 11 days, not within 10; idle for 10, not for 11.
        assert!(with(&[("active_within_days", "11")]) && !with(&[("active_within_days", "10")]));
        assert!(with(&[("inactive_for_days", "10")]) && !with(&[("inactive_for_days", "11")]));
        let no_clicks = Facts {
            clicks: 0,
            bot_clicks: 0,
            commission: Decimal::ZERO,
            ..facts()
        };
        let epc = parse(&form(&[("min_epc", "0")]), &[]).unwrap();
        assert!(!epc.admits(&no_clicks, TODAY), "no clicks, no EPC to meet");
    }

    proptest! {
        /// Adding a condition never lets more partners in.
        #[test]
        fn a_narrower_filter_admits_a_subset(revenue in 0i64..5_000, clicks in 0i64..500, bots in 0i64..50, min in 0i64..5_000) {
            let f = Facts { revenue: Decimal::from(revenue), clicks, bot_clicks: bots.min(clicks), ..facts() };
            let wide = parse(&form(&[("country", "DE")]), &[]).unwrap();
            let narrow = Filter { min_revenue: Some(Decimal::from(min)), max_bot_share: Some(Decimal::TEN), ..wide.clone() };
            prop_assert!(!narrow.admits(&f, TODAY) || wide.admits(&f, TODAY));
        }
    }
}
