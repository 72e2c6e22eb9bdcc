//! The plan form: what an operator typed, field by field, becomes a `Plan`, or errors that each
//! name the rule and the field they belong to. `fields_of` goes the other way and fills the form
//! from a saved plan, so a plan can be copied into a new one (plans are never edited).
//!
//! Field names: `name`, `period`, `cap_per_conversion`, `cap_per_period`, `override_shares`,
//! `override_cap`, then per rule section `r{i}_{field}` with `field` from `RULE_FIELDS`.

use super::plan::{Band, Model, PeriodKind, Plan, Qualification, Recurring, Rule, TierBasis, TierMode, TierPays};
use super::validate::{check_bands, check_money, check_percent, is_event_name};
use crate::domain::country;
use crate::domain::validate::{required_text, FieldErrors};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

pub type Fields = HashMap<String, String>;

/// The most rule sections one form shows.
pub const MAX_RULES: usize = 6;
/// The longest plan name the database takes.
pub const NAME_MAX: usize = 80;
/// The longest recurring period, in months.
pub const MAX_MONTHS: u32 = 120;

/// The fields of one rule section, in form order.
pub const RULE_FIELDS: [&str; 15] = [
    "events",
    "model",
    "rate",
    "flat",
    "basis",
    "mode",
    "pays",
    "bands",
    "carryover",
    "recurring",
    "months",
    "min_amount",
    "first_purchase",
    "countries_allowed",
    "countries_denied",
];

/// The plan-wide fields, in form order.
pub const PLAN_FIELDS: [&str; 6] = [
    "name",
    "period",
    "cap_per_conversion",
    "cap_per_period",
    "override_shares",
    "override_cap",
];

/// Fields that, left empty together with the events, mark a rule section as unused.
const TYPED_FIELDS: [&str; 7] = [
    "rate",
    "flat",
    "bands",
    "months",
    "min_amount",
    "countries_allowed",
    "countries_denied",
];

/// (value, label) choices of the select fields; the parser accepts exactly these values.
pub const PERIODS: [(&str, &str); 2] = [("month", "Calendar month"), ("quarter", "Calendar quarter")];
pub const MODELS: [(&str, &str); 5] = [
    ("percent", "Percent of the amount"),
    ("flat", "Flat amount per event (CPA / CPL)"),
    ("tiered", "Tiered by period volume"),
    ("revshare", "Revenue share of net revenue"),
    ("hybrid", "Flat amount plus revenue share"),
];
pub const BASES: [(&str, &str); 2] = [("revenue", "Revenue"), ("count", "Number of conversions")];
pub const MODES: [(&str, &str); 2] = [("marginal", "Marginal"), ("whole_period", "Whole period")];
pub const PAYS: [(&str, &str); 2] = [("percent", "Percent of the amount"), ("flat", "Flat amount each")];
pub const RECURRING: [(&str, &str); 3] = [
    ("lifetime", "Every purchase of the customer (lifetime)"),
    ("months", "Purchases within N months of the first"),
    ("once", "The first purchase only (once)"),
];

/// A rule section's field name: `r0_model` is rule 1's model.
pub fn rule_key(index: usize, field: &str) -> String {
    format!("r{index}_{field}")
}

/// How many rule sections the fields fill (the highest section present), at least 1.
pub fn sections_in(fields: &Fields) -> usize {
    (0..MAX_RULES)
        .rev()
        .find(|i| RULE_FIELDS.iter().any(|f| fields.contains_key(&rule_key(*i, f))))
        .map_or(1, |i| i + 1)
}

/// The name and plan the fields describe, in the program's currency.
pub fn parse(fields: &Fields, currency: &str) -> Result<(String, Plan), FieldErrors> {
    let mut form = Form {
        fields,
        errors: FieldErrors::default(),
        currency,
    };
    let name = form.check("name", required_text(form.get("name"), "Plan name", NAME_MAX));
    let period = match PeriodKind::parse(form.get("period")) {
        Some(period) => period,
        None => {
            form.errors
                .add("period", "Choose the period: calendar month or quarter.");
            PeriodKind::Month
        }
    };
    let cap_per_conversion = form.money("cap_per_conversion", "Cap per conversion", false);
    let cap_per_period = form.money("cap_per_period", "Cap per period", false);
    let override_shares = form.override_shares();
    let override_cap = form.percent("override_cap", "Override cap", false);
    if override_cap.is_some() && override_shares.is_empty() {
        form.errors.add(
            "override_cap",
            "Override cap: set override shares first, or leave the cap empty.",
        );
    }
    let mut rules = Vec::new();
    let mut sections = Vec::new();
    for index in 0..MAX_RULES {
        if let Some(rule) = form.rule(index, &rules, &sections) {
            rules.push(rule);
            sections.push(index);
        }
    }
    // Only when no section was refused: a refused section already says what is wrong.
    if rules.is_empty() && form.errors.is_empty() {
        form.errors.add(
            &rule_key(0, "events"),
            "Rule 1 events: name at least one event type, like sale. A plan needs at least one rule.",
        );
    }
    let plan = Plan {
        currency: currency.to_owned(),
        period,
        rules,
        cap_per_conversion,
        cap_per_period,
        override_shares,
        override_cap,
    };
    if !form.errors.is_empty() {
        return Err(form.errors);
    }
    // Every field was checked above; this catches what only the whole plan shows.
    if let Err(reason) = plan.validate() {
        let (field, message) = field_of_plan_error(&reason, &sections);
        form.errors.add(&field, message);
        return Err(form.errors);
    }
    Ok((name.unwrap_or_default(), plan))
}

struct Form<'a> {
    fields: &'a Fields,
    errors: FieldErrors,
    currency: &'a str,
}

impl Form<'_> {
    fn get(&self, key: &str) -> &str {
        self.fields.get(key).map_or("", |v| v.trim())
    }

    fn ticked(&self, key: &str) -> bool {
        !self.get(key).is_empty()
    }

    fn check<T>(&mut self, key: &str, result: Result<T, String>) -> Option<T> {
        self.errors.check(key, result)
    }

    /// A number, `None` when empty (an error when `required`) or not a number. Percentages may
    /// end in `%`.
    fn number(&mut self, key: &str, label: &str, required: bool, percent: bool) -> Option<Decimal> {
        let text = self.get(key);
        let text = if percent {
            text.trim_end_matches('%').trim()
        } else {
            text
        }
        .to_owned();
        if text.is_empty() {
            if required {
                self.errors.add(key, format!("{label}: enter a number."));
            }
            return None;
        }
        self.check(key, decimal(&text).map_err(|e| format!("{label}: {e}")))
    }

    fn money(&mut self, key: &str, label: &str, required: bool) -> Option<Decimal> {
        let value = self.number(key, label, required, false)?;
        let checked = check_money(value, self.currency).map_err(|e| format!("{label}: {e}"));
        self.check(key, checked).map(|_| value)
    }

    fn percent(&mut self, key: &str, label: &str, required: bool) -> Option<Decimal> {
        let value = self.number(key, label, required, true)?;
        let checked = check_percent(value).map_err(|e| format!("{label}: {e}"));
        self.check(key, checked).map(|_| value)
    }

    fn override_shares(&mut self) -> Vec<Decimal> {
        let text = self.get("override_shares").to_owned();
        let mut shares = Vec::new();
        for (level, part) in list(&text).into_iter().enumerate() {
            let label = format!("Override shares, level {}", level + 1);
            let parsed = decimal(part.trim_end_matches('%'))
                .and_then(|share| check_percent(share).map(|_| share))
                .map_err(|e| format!("{label}: {e}"));
            match self.check("override_shares", parsed) {
                Some(share) => shares.push(share),
                None => return Vec::new(),
            }
        }
        if shares.len() > 5 {
            self.errors
                .add("override_shares", "Override shares: at most 5 levels deep.");
        }
        shares
    }

    /// Rule section `index`: `None` when it is not in the form, left blank, or has errors.
    fn rule(&mut self, index: usize, earlier: &[Rule], sections: &[usize]) -> Option<Rule> {
        let key = |field: &str| rule_key(index, field);
        let present = RULE_FIELDS.iter().any(|f| self.fields.contains_key(&key(f)));
        let blank = self.get(&key("events")).is_empty() && TYPED_FIELDS.iter().all(|f| self.get(&key(f)).is_empty());
        if !present || blank {
            return None;
        }
        let name = format!("Rule {}", index + 1);
        let before = self.errors.errors.len();
        let events = self.events(index, &name, earlier, sections);
        let model = self.model(index, &name);
        let recurring = self.recurring(index, &name);
        let min_amount = self.money(&key("min_amount"), &format!("{name} minimum amount"), false);
        let allowed = self.countries(&key("countries_allowed"), &format!("{name} allowed countries"));
        let denied = self.countries(&key("countries_denied"), &format!("{name} denied countries"));
        if let Some(both) = denied.iter().find(|c| allowed.contains(c)) {
            self.errors.add(
                &key("countries_denied"),
                format!("{name} denied countries: {both} is also in the allowed countries."),
            );
        }
        let has_errors = self.errors.errors.len() > before;
        let rule = Rule {
            events,
            model: model?,
            recurring,
            qualify: Qualification {
                min_amount,
                first_purchase_only: self.ticked(&key("first_purchase")),
                countries_allowed: allowed,
                countries_denied: denied,
            },
        };
        (!has_errors).then_some(rule)
    }

    fn events(&mut self, index: usize, name: &str, earlier: &[Rule], sections: &[usize]) -> Vec<String> {
        let key = rule_key(index, "events");
        let text = self.get(&key).to_ascii_lowercase();
        let mut events: Vec<String> = Vec::new();
        for event in list(&text) {
            if !is_event_name(event) {
                self.errors.add(
                    &key,
                    format!("{name} events: \"{event}\" is not an event type (lowercase letters, digits, _ . -, like sale)."),
                );
            } else if let Some(other) = earlier.iter().position(|r| r.events.iter().any(|e| e == event)) {
                self.errors.add(
                    &key,
                    format!(
                        "{name} events: \"{event}\" already has a rule (rule {}); one rule per event type.",
                        sections[other] + 1
                    ),
                );
            } else if !events.iter().any(|e| e == event) {
                events.push(event.to_owned());
            }
        }
        if text.trim().is_empty() {
            self.errors.add(
                &key,
                format!("{name} events: name the event types this rule pays for, like sale, or clear the whole rule."),
            );
        }
        events
    }

    fn model(&mut self, index: usize, name: &str) -> Option<Model> {
        let key = |field: &str| rule_key(index, field);
        let rate_label = format!("{name} rate");
        let flat_label = format!("{name} flat amount");
        let carryover = self.ticked(&key("carryover"));
        match self.get(&key("model")) {
            "percent" => Some(Model::Percent {
                rate: self.percent(&key("rate"), &rate_label, true)?,
            }),
            "flat" => Some(Model::Flat {
                amount: self.money(&key("flat"), &flat_label, true)?,
            }),
            "revshare" => Some(Model::RevShare {
                rate: self.percent(&key("rate"), &rate_label, true)?,
                carryover,
            }),
            "hybrid" => {
                let amount = self.money(&key("flat"), &flat_label, true);
                let rate = self.percent(&key("rate"), &rate_label, true);
                Some(Model::Hybrid {
                    amount: amount?,
                    rate: rate?,
                    carryover,
                })
            }
            "tiered" => self.tiered(index, name),
            _ => {
                self.errors.add(
                    &key("model"),
                    format!("{name} model: choose how the rule pays (percent, flat, tiered, RevShare or hybrid)."),
                );
                None
            }
        }
    }

    fn tiered(&mut self, index: usize, name: &str) -> Option<Model> {
        let key = |field: &str| rule_key(index, field);
        let basis = match self.get(&key("basis")) {
            "count" => Some(TierBasis::Count),
            "revenue" => Some(TierBasis::Revenue),
            _ => None,
        };
        let mode = match self.get(&key("mode")) {
            "marginal" => Some(TierMode::Marginal),
            "whole_period" => Some(TierMode::WholePeriod),
            _ => None,
        };
        let pays = match self.get(&key("pays")) {
            "percent" => Some(TierPays::Percent),
            "flat" => Some(TierPays::Flat),
            _ => None,
        };
        if basis.is_none() {
            self.errors.add(
                &key("basis"),
                format!("{name} tier basis: choose revenue or number of conversions."),
            );
        }
        if mode.is_none() {
            self.errors.add(
                &key("mode"),
                format!("{name} tier mode: choose marginal or whole period."),
            );
        }
        if pays.is_none() {
            self.errors.add(
                &key("pays"),
                format!("{name} tiers pay: choose a percent or a flat amount."),
            );
        }
        let (basis, mode, pays) = (basis?, mode?, pays?);
        let bands_key = key("bands");
        let label = format!("{name} bands");
        let bands = self.check(
            &bands_key,
            parse_bands(self.get(&bands_key)).map_err(|e| format!("{label}: {e}")),
        )?;
        self.check(
            &bands_key,
            check_bands(&bands, basis).map_err(|e| format!("{label}: {e}")),
        )?;
        for (i, band) in bands.iter().enumerate() {
            let checked = match pays {
                TierPays::Percent => check_percent(band.value),
                TierPays::Flat => check_money(band.value, self.currency),
            };
            self.check(&bands_key, checked.map_err(|e| format!("{label}: band {}: {e}", i + 1)))?;
        }
        Some(Model::Tiered {
            basis,
            mode,
            pays,
            bands,
        })
    }

    fn recurring(&mut self, index: usize, name: &str) -> Recurring {
        let key = |field: &str| rule_key(index, field);
        match self.get(&key("recurring")) {
            "once" => Recurring::Once,
            "lifetime" | "" => Recurring::Lifetime,
            "months" => {
                let text = self.get(&key("months")).to_owned();
                match text.parse::<u32>() {
                    Ok(months) if (1..=MAX_MONTHS).contains(&months) => Recurring::Months { months },
                    _ => {
                        self.errors.add(
                            &key("months"),
                            format!("{name} months: enter a whole number of months from 1 to {MAX_MONTHS}."),
                        );
                        Recurring::Lifetime
                    }
                }
            }
            _ => {
                self.errors.add(
                    &key("recurring"),
                    format!("{name} recurring: choose once, a number of months or lifetime."),
                );
                Recurring::Lifetime
            }
        }
    }

    fn countries(&mut self, key: &str, label: &str) -> Vec<String> {
        let text = self.get(key).to_ascii_uppercase();
        let mut codes: Vec<String> = Vec::new();
        for code in list(&text) {
            if country::name(code).is_none() {
                self.errors.add(
                    key,
                    format!("{label}: \"{code}\" is not a two-letter country code, like DE or US."),
                );
            } else if !codes.iter().any(|c| c == code) {
                codes.push(code.to_owned());
            }
        }
        codes
    }
}

/// Items separated by commas, spaces or line breaks.
fn list(text: &str) -> Vec<&str> {
    text.split([',', ' ', '\n', '\r', '\t', ';'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect()
}

/// A plain decimal number: a dot for decimals, no thousands separators.
pub(super) fn decimal(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let plain = !text.is_empty()
        && text
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'));
    if text.contains(',') {
        return Err(format!(
            "\"{text}\" is not a number: leave out thousands separators and use a dot for decimals, like 1500.50."
        ));
    }
    match Decimal::from_str(text) {
        Ok(value) if plain => Ok(value),
        _ => Err(format!("\"{text}\" is not a number, like 12.5.")),
    }
}

/// Bands, one per line: `from-to value` or `from+ value`, like `0-5000 15` then `5000+ 20`.
pub fn parse_bands(text: &str) -> Result<Vec<Band>, String> {
    let mut bands = Vec::new();
    for (i, line) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let shape = || {
            format!(
                "line {} (\"{line}\"): write a band as from-to value, like 0-5000 15, or from+ value for the last band, like 5000+ 20.",
                i + 1
            )
        };
        let mut words: Vec<&str> = line.split_whitespace().collect();
        let value = words.pop().filter(|_| !words.is_empty()).ok_or_else(shape)?;
        let range: String = words.concat().replace('–', "-");
        let value = decimal(value.trim_end_matches('%')).map_err(|e| format!("line {}: {e}", i + 1))?;
        let number = |text: &str| decimal(text).map_err(|e| format!("line {}: {e}", i + 1));
        let band = if let Some(from) = range.strip_suffix('+') {
            Band {
                from: number(from)?,
                to: None,
                value,
            }
        } else {
            let (from, to) = range.split_once('-').ok_or_else(shape)?;
            Band {
                from: number(from)?,
                to: Some(number(to)?),
                value,
            }
        };
        bands.push(band);
    }
    if bands.is_empty() {
        return Err("enter at least one band, like 0-5000 15 and then 5000+ 20.".into());
    }
    Ok(bands)
}

/// Where an error found only by `Plan::validate` belongs, and its message with the rule named as
/// the form numbers it (`sections[i]` is the form section of plan rule `i`).
fn field_of_plan_error(reason: &str, sections: &[usize]) -> (String, String) {
    let rule = reason
        .strip_prefix("Rule ")
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<usize>().ok())
        .and_then(|n| sections.get(n.checked_sub(1)?).map(|section| (n, *section)));
    let lower = reason.to_ascii_lowercase();
    if let Some((n, section)) = rule {
        let message = reason.replacen(&format!("Rule {n}"), &format!("Rule {}", section + 1), 1);
        let field = [
            ("band", "bands"),
            ("country", "countries_allowed"),
            ("minimum", "min_amount"),
            ("month", "months"),
            ("event", "events"),
        ]
        .iter()
        .find(|(word, _)| lower.contains(word))
        .map_or("model", |(_, field)| field);
        return (rule_key(section, field), message);
    }
    let field = [
        ("override cap", "override_cap"),
        ("override", "override_shares"),
        ("cap per conversion", "cap_per_conversion"),
        ("cap per period", "cap_per_period"),
        ("rule", "r0_events"),
    ]
    .iter()
    .find(|(words, _)| lower.contains(words))
    .map_or("plan", |(_, field)| field);
    (field.to_owned(), reason.to_owned())
}

/// The form's fields for a saved plan (to copy it under a new name).
pub fn fields_of(name: &str, plan: &Plan) -> Fields {
    let text = |d: Decimal| d.normalize().to_string();
    let opt = |d: Option<Decimal>| d.map(text).unwrap_or_default();
    let mut fields = Fields::new();
    let mut put = |key: String, value: String| {
        fields.insert(key, value);
    };
    put("name".into(), name.to_owned());
    put("period".into(), plan.period.as_str().into());
    put("cap_per_conversion".into(), opt(plan.cap_per_conversion));
    put("cap_per_period".into(), opt(plan.cap_per_period));
    let shares: Vec<String> = plan.override_shares.iter().map(|s| text(*s)).collect();
    put("override_shares".into(), shares.join(", "));
    put("override_cap".into(), opt(plan.override_cap));
    for (i, rule) in plan.rules.iter().enumerate().take(MAX_RULES) {
        let key = |field: &str| rule_key(i, field);
        put(key("events"), rule.events.join(", "));
        let (model, rate, flat, carryover) = match &rule.model {
            Model::Percent { rate } => ("percent", Some(*rate), None, false),
            Model::Flat { amount } => ("flat", None, Some(*amount), false),
            Model::RevShare { rate, carryover } => ("revshare", Some(*rate), None, *carryover),
            Model::Hybrid {
                amount,
                rate,
                carryover,
            } => ("hybrid", Some(*rate), Some(*amount), *carryover),
            Model::Tiered { .. } => ("tiered", None, None, false),
        };
        put(key("model"), model.into());
        put(key("rate"), opt(rate));
        put(key("flat"), opt(flat));
        put(key("carryover"), if carryover { "yes" } else { "" }.into());
        if let Model::Tiered {
            basis,
            mode,
            pays,
            bands,
        } = &rule.model
        {
            put(
                key("basis"),
                match basis {
                    TierBasis::Count => "count",
                    TierBasis::Revenue => "revenue",
                }
                .into(),
            );
            put(
                key("mode"),
                match mode {
                    TierMode::Marginal => "marginal",
                    TierMode::WholePeriod => "whole_period",
                }
                .into(),
            );
            put(
                key("pays"),
                match pays {
                    TierPays::Percent => "percent",
                    TierPays::Flat => "flat",
                }
                .into(),
            );
            let lines: Vec<String> = bands
                .iter()
                .map(|b| match b.to {
                    Some(to) => format!("{}-{} {}", text(b.from), text(to), text(b.value)),
                    None => format!("{}+ {}", text(b.from), text(b.value)),
                })
                .collect();
            put(key("bands"), lines.join("\n"));
        }
        let (recurring, months) = match rule.recurring {
            Recurring::Once => ("once", String::new()),
            Recurring::Months { months } => ("months", months.to_string()),
            Recurring::Lifetime => ("lifetime", String::new()),
        };
        put(key("recurring"), recurring.into());
        put(key("months"), months);
        let q = &rule.qualify;
        put(key("min_amount"), opt(q.min_amount));
        put(
            key("first_purchase"),
            if q.first_purchase_only { "yes" } else { "" }.into(),
        );
        put(key("countries_allowed"), q.countries_allowed.join(", "));
        put(key("countries_denied"), q.countries_denied.join(", "));
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Fields {
        let mut fields: Fields = [("name", "Spring"), ("period", "month")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for (k, v) in pairs {
            fields.insert(k.to_string(), v.to_string());
        }
        fields
    }

    fn refused(pairs: &[(&str, &str)]) -> FieldErrors {
        parse(&form(pairs), "EUR").expect_err("the form should be refused")
    }

    fn d(v: i64) -> Decimal {
        Decimal::from(v)
    }

    #[test]
    fn a_tiered_rule_and_a_flat_rule_make_a_plan() {
        let (name, plan) = parse(
            &form(&[
                ("cap_per_period", "2500"),
                ("override_shares", "10, 5%"),
                ("override_cap", "12.5"),
                ("r0_events", "Sale"),
                ("r0_model", "tiered"),
                ("r0_basis", "revenue"),
                ("r0_mode", "marginal"),
                ("r0_pays", "percent"),
                ("r0_bands", "0-5000 15\n5000+ 20%"),
                ("r0_recurring", "months"),
                ("r0_months", "12"),
                ("r0_countries_denied", "ru, by"),
                ("r1_events", "lead, signup"),
                ("r1_model", "flat"),
                ("r1_flat", "5"),
                ("r1_recurring", "once"),
                ("r1_first_purchase", "yes"),
            ]),
            "EUR",
        )
        .expect("a valid plan");
        assert_eq!(name, "Spring");
        assert_eq!(plan.rules.len(), 2);
        assert_eq!(plan.rules[0].events, ["sale"]);
        assert_eq!(
            plan.rules[0].model,
            Model::Tiered {
                basis: TierBasis::Revenue,
                mode: TierMode::Marginal,
                pays: TierPays::Percent,
                bands: vec![
                    Band {
                        from: d(0),
                        to: Some(d(5000)),
                        value: d(15)
                    },
                    Band {
                        from: d(5000),
                        to: None,
                        value: d(20)
                    },
                ],
            }
        );
        assert_eq!(plan.rules[0].recurring, Recurring::Months { months: 12 });
        assert_eq!(plan.rules[0].qualify.countries_denied, ["RU", "BY"]);
        assert_eq!(plan.rules[1].events, ["lead", "signup"]);
        assert!(plan.rules[1].qualify.first_purchase_only);
        assert_eq!(plan.override_shares, [d(10), d(5)]);
        assert_eq!(plan.cap_per_period, Some(d(2500)));
        assert!(plan.validate().is_ok());
    }

    #[test]
    fn every_error_names_the_rule_and_the_field_it_sits_on() {
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
        let cases: &[Case] = &[
            (
                &[("r0_events", "sale"), ("r0_model", "percent"), ("r0_rate", "")],
                "r0_rate",
                "Rule 1 rate",
            ),
            (
                &[("r0_events", "sale"), ("r0_model", "percent"), ("r0_rate", "120")],
                "r0_rate",
                "Rule 1 rate: a percentage can be at most 100",
            ),
            (
                &[("r0_events", "sale"), ("r0_model", "percent"), ("r0_rate", "ten")],
                "r0_rate",
                "Rule 1 rate: \"ten\" is not a number",
            ),
            (
                &[("r0_events", "sale"), ("r0_model", "flat"), ("r0_flat", "1,500")],
                "r0_flat",
                "Rule 1 flat amount: \"1,500\" is not a number",
            ),
            (
                &[("r0_events", "sale"), ("r0_model", "flat"), ("r0_flat", "2.505")],
                "r0_flat",
                "Rule 1 flat amount: use at most 2 decimals",
            ),
            (
                &[("r0_events", "Sale!"), ("r0_model", "flat"), ("r0_flat", "5")],
                "r0_events",
                "Rule 1 events: \"sale!\" is not an event type",
            ),
            (
                &[("r0_events", ""), ("r0_model", "flat"), ("r0_flat", "5")],
                "r0_events",
                "Rule 1 events",
            ),
            (
                &[("r0_events", "sale"), ("r0_model", "bogus"), ("r0_rate", "5")],
                "r0_model",
                "Rule 1 model",
            ),
            (
                &[
                    ("r0_events", "sale"),
                    ("r0_model", "tiered"),
                    ("r0_basis", "revenue"),
                    ("r0_mode", "marginal"),
                    ("r0_pays", "percent"),
                    ("r0_bands", "0-1000 5\n800+ 7"),
                ],
                "r0_bands",
                "Rule 1 bands: band 2 (800+) overlaps band 1",
            ),
            (
                &[
                    ("r0_events", "sale"),
                    ("r0_model", "tiered"),
                    ("r0_basis", "count"),
                    ("r0_mode", "whole_period"),
                    ("r0_pays", "flat"),
                    ("r0_bands", "0-10 5\n10-20"),
                ],
                "r0_bands",
                "Rule 1 bands: line 2",
            ),
            (
                &[
                    ("r0_events", "sale"),
                    ("r0_model", "tiered"),
                    ("r0_basis", ""),
                    ("r0_mode", "marginal"),
                    ("r0_pays", "percent"),
                    ("r0_bands", "0+ 5"),
                ],
                "r0_basis",
                "Rule 1 tier basis",
            ),
            (
                &[
                    ("r0_events", "sale"),
                    ("r0_model", "percent"),
                    ("r0_rate", "5"),
                    ("r0_recurring", "months"),
                    ("r0_months", "0"),
                ],
                "r0_months",
                "Rule 1 months",
            ),
            (
                &[
                    ("r0_events", "sale"),
                    ("r0_model", "percent"),
                    ("r0_rate", "5"),
                    ("r0_countries_allowed", "DE, Germany"),
                ],
                "r0_countries_allowed",
                "Rule 1 allowed countries: \"GERMANY\"",
            ),
            (
                &[
                    ("r0_events", "sale"),
                    ("r0_model", "percent"),
                    ("r0_rate", "5"),
                    ("r0_countries_allowed", "DE"),
                    ("r0_countries_denied", "de"),
                ],
                "r0_countries_denied",
                "Rule 1 denied countries: DE",
            ),
            (
                &[
                    ("r0_events", "sale"),
                    ("r0_model", "percent"),
                    ("r0_rate", "5"),
                    ("r0_min_amount", "-1"),
                ],
                "r0_min_amount",
                "Rule 1 minimum amount",
            ),
            (
                &[
                    ("r0_events", "sale"),
                    ("r0_model", "percent"),
                    ("r0_rate", "5"),
                    ("r2_events", "lead, sale"),
                    ("r2_model", "flat"),
                    ("r2_flat", "5"),
                ],
                "r2_events",
                "Rule 3 events: \"sale\" already has a rule (rule 1)",
            ),
            (
                &[("r1_events", "sale"), ("r1_model", "hybrid"), ("r1_flat", "5")],
                "r1_rate",
                "Rule 2 rate",
            ),
        ];
        for (pairs, field, start) in cases {
            let errors = refused(pairs);
            let message = errors
                .get(field)
                .unwrap_or_else(|| panic!("no error on {field}: {errors:?}"));
            assert!(message.starts_with(start), "{field}: {message}");
        }
    }

    #[test]
    fn plan_wide_fields_are_checked_too() {
        let rule = [("r0_events", "sale"), ("r0_model", "percent"), ("r0_rate", "5")];
        let with = |extra: (&'static str, &'static str)| {
            let mut pairs = rule.to_vec();
            pairs.push(extra);
            refused(&pairs)
        };
        assert!(with(("name", " ")).get("name").is_some());
        assert!(with(("period", "week")).get("period").is_some());
        assert!(with(("cap_per_conversion", "abc")).get("cap_per_conversion").is_some());
        assert!(with(("override_shares", "10, 200"))
            .get("override_shares")
            .is_some_and(|m| m.contains("level 2")));
        assert!(with(("override_shares", "1,1,1,1,1,1"))
            .get("override_shares")
            .is_some_and(|m| m.contains("5 levels")));
        assert!(with(("override_cap", "10")).get("override_cap").is_some());
        assert!(refused(&[]).get("r0_events").is_some(), "a plan needs a rule");
    }

    #[test]
    fn a_refused_rule_is_not_also_reported_as_missing() {
        let errors = refused(&[("r0_events", "sale"), ("r0_model", "percent"), ("r0_rate", "abc")]);
        assert!(errors.get("r0_rate").is_some());
        assert_eq!(errors.get("r0_events"), None, "{errors:?}");
    }

    #[test]
    fn blank_rule_sections_are_skipped() {
        let (_, plan) = parse(
            &form(&[
                ("r0_events", ""),
                ("r0_model", "percent"),
                ("r1_events", "sale"),
                ("r1_model", "percent"),
                ("r1_rate", "7.5"),
                ("r2_model", "flat"),
                ("r2_recurring", "lifetime"),
            ]),
            "EUR",
        )
        .expect("one rule");
        assert_eq!(plan.rules.len(), 1);
        assert_eq!(
            plan.rules[0].model,
            Model::Percent {
                rate: Decimal::new(75, 1)
            }
        );
    }

    #[test]
    fn a_saved_plan_fills_the_form_it_came_from() {
        let fields = form(&[
            ("cap_per_conversion", "100"),
            ("override_shares", "10, 5"),
            ("r0_events", "sale"),
            ("r0_model", "tiered"),
            ("r0_basis", "count"),
            ("r0_mode", "whole_period"),
            ("r0_pays", "flat"),
            ("r0_bands", "0-10 5\n10+ 8.5"),
            ("r0_countries_allowed", "DE AT"),
            ("r1_events", "lead"),
            ("r1_model", "hybrid"),
            ("r1_flat", "2"),
            ("r1_rate", "3"),
            ("r1_carryover", "yes"),
            ("r1_recurring", "months"),
            ("r1_months", "6"),
            ("r1_min_amount", "10"),
        ]);
        let (_, plan) = parse(&fields, "EUR").expect("valid");
        let copied = fields_of("Copy", &plan);
        assert_eq!(sections_in(&copied), 2);
        let (name, again) = parse(&copied, "EUR").expect("the copy parses");
        assert_eq!(name, "Copy");
        assert_eq!(again, plan);
        assert_eq!(copied["r0_bands"], "0-10 5\n10+ 8.5");
    }

    #[test]
    fn bands_accept_spaces_and_dashes_but_not_other_shapes() {
        let bands = parse_bands("0 – 1000 5\n 1000 + 7.5 ").expect("bands");
        assert_eq!(bands[0].to, Some(d(1000)));
        assert_eq!(bands[1].to, None);
        assert!(parse_bands("").is_err());
        assert!(parse_bands("0-1000").unwrap_err().contains("line 1"));
        assert!(parse_bands("a-b 5").unwrap_err().contains("not a number"));
        assert!(parse_bands("1e3+ 5").is_err());
    }
}
