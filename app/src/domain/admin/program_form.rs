//! A new program as the console's wizard and the setup page submit it, and what archiving a
//! program means for its links.

use super::brand_form::currency;
use super::slug;
use crate::domain::commission::plan::{Model, PeriodKind, Plan, Qualification, Recurring, Rule};
use crate::domain::partner_kind::PartnerKind;
use crate::domain::validate::{self, FieldErrors};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// What a program is for; it picks the settings pages the wizard walks through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgramKind {
    Affiliate,
    Reseller,
    Referral,
    Mixed,
}

impl ProgramKind {
    pub const ALL: [ProgramKind; 4] = [Self::Affiliate, Self::Reseller, Self::Referral, Self::Mixed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Affiliate => "affiliate",
            Self::Reseller => "reseller",
            Self::Referral => "referral",
            Self::Mixed => "mixed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Affiliate => "Affiliate: tracked links, coupons and commission",
            Self::Reseller => "Reseller: deal registration, MDF and tiers",
            Self::Referral => "Referral: partners refer customers and earn commission",
            Self::Mixed => "Mixed: affiliates and resellers in one program",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or_else(|| "Choose what kind of program this is.".to_owned())
    }

    /// The partner kinds a new program of this kind accepts unless the operator says otherwise.
    pub fn default_partner_kinds(self) -> Vec<PartnerKind> {
        use PartnerKind::*;
        match self {
            Self::Affiliate => vec![Affiliate, Creator, Publisher],
            Self::Reseller => vec![Reseller, Si, Msp, Isv],
            Self::Referral => vec![Referral, Affiliate, Creator],
            Self::Mixed => PartnerKind::ALL.to_vec(),
        }
    }
}

/// What the operator typed, as it arrived.
#[derive(Clone, Debug, Default)]
pub struct ProgramInput {
    pub name: String,
    pub slug: String,
    pub kind: String,
    pub currency: String,
    /// "public" or "invite".
    pub access: String,
    pub partner_kinds: Vec<String>,
    pub description: String,
    pub terms: String,
}

impl ProgramInput {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("name", &self.name),
            ("slug", &self.slug),
            ("kind", &self.kind),
            ("currency", &self.currency),
            ("access", &self.access),
            ("description", &self.description),
            ("terms", &self.terms),
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProgram {
    pub name: String,
    pub slug: String,
    pub kind: ProgramKind,
    pub currency: String,
    pub public: bool,
    pub partner_kinds: Vec<PartnerKind>,
    pub description: String,
    pub terms: String,
}

/// The terms a program starts with when the operator writes none; they can edit them later.
pub fn default_terms(program: &str, brand: &str) -> String {
    format!(
        "By joining {program} you agree to promote {brand} honestly, to follow the law and the \
         platforms' rules where you promote, not to bid on {brand}'s brand terms without written \
         consent, and not to use spam, cookie stuffing or misleading claims. Commission is paid \
         on approved conversions under the terms shown in your portal. {brand} may end the \
         partnership at any time; earned, approved commission is still paid."
    )
}

pub fn validate(input: &ProgramInput, brand_name: &str) -> Result<NewProgram, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", validate::required_text(&input.name, "Program name", 120));
    let slug = errors.check("slug", slug::validate(&input.slug));
    let kind = errors.check("kind", ProgramKind::parse(&input.kind));
    let currency = errors.check("currency", currency(&input.currency));
    let public = errors.check(
        "access",
        match input.access.as_str() {
            "public" => Ok(true),
            "invite" => Ok(false),
            _ => Err("Choose who may apply: anyone, or only people you invite.".to_owned()),
        },
    );
    let mut partner_kinds = Vec::new();
    for value in &input.partner_kinds {
        match PartnerKind::parse(value) {
            Ok(kind) if !partner_kinds.contains(&kind) => partner_kinds.push(kind),
            Ok(_) => {}
            Err(_) => errors.add("partner_kinds", format!("\"{value}\" is not a partner kind.")),
        }
    }
    let description = errors.check(
        "description",
        validate::optional_text(&input.description, "Description", 2000),
    );
    let terms = errors.check("terms", validate::optional_text(&input.terms, "Terms", 20_000));
    match (name, slug, kind, currency, public, description, terms) {
        (Some(name), Some(slug), Some(kind), Some(currency), Some(public), Some(description), Some(terms))
            if errors.is_empty() =>
        {
            if partner_kinds.is_empty() {
                partner_kinds = kind.default_partner_kinds();
            }
            let terms = terms.unwrap_or_else(|| default_terms(&name, brand_name));
            Ok(NewProgram {
                name,
                slug,
                kind,
                currency,
                public,
                partner_kinds,
                description: description.unwrap_or_default(),
                terms,
            })
        }
        _ => Err(errors.with_submitted(&input.echo())),
    }
}

/// The event a won registered deal reports to the commission engine.
pub const DEAL_WON_EVENT: &str = "deal_won";

/// The plan a new program starts with, so it pays from day one: 10% of sales for programs
/// with affiliates or referrals, 10% of won deals for programs that resell. Operators add
/// their own plans on the Plans tab and choose which one new partners get.
pub fn starter_plan(kind: ProgramKind, currency: &str) -> (&'static str, Plan) {
    let ten = Decimal::from(10);
    let rule = |event: &str| Rule {
        events: vec![event.to_owned()],
        model: Model::Percent { rate: ten },
        recurring: Recurring::default(),
        qualify: Qualification::default(),
    };
    let rules = match kind {
        ProgramKind::Affiliate | ProgramKind::Referral => vec![rule("sale")],
        ProgramKind::Reseller => vec![rule(DEAL_WON_EVENT)],
        ProgramKind::Mixed => vec![rule("sale"), rule(DEAL_WON_EVENT)],
    };
    let plan = Plan {
        currency: currency.to_owned(),
        period: PeriodKind::Month,
        rules,
        cap_per_conversion: None,
        cap_per_period: None,
        override_shares: vec![],
        override_cap: None,
    };
    ("Standard 10%", plan)
}

/// Whether an archived program's links have stopped redirecting: from the day the operator
/// chose (only archived programs have one), they answer "program ended".
pub fn links_ended(links_end_at: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    links_end_at.is_some_and(|end| now >= end)
}

/// The day an archived program's links stop redirecting ("2027-01-31", from the start of that
/// day, UTC): today or later.
pub fn links_end(text: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let day = crate::domain::mdf::date(text, "The last day of redirects")?;
    if day < now.date() {
        Err("Choose today or a later date for the links to stop.".into())
    } else {
        Ok(day.midnight().assume_utc())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn input() -> ProgramInput {
        ProgramInput {
            name: "Globex Partners".into(),
            slug: "globex-partners".into(),
            kind: "affiliate".into(),
            currency: "usd".into(),
            access: "public".into(),
            partner_kinds: vec![],
            description: String::new(),
            terms: String::new(),
        }
    }

    #[test]
    fn defaults_fill_what_the_operator_left_out() {
        let program = validate(&input(), "Globex").unwrap();
        assert_eq!(program.currency, "USD");
        assert!(program.public);
        assert_eq!(program.partner_kinds, ProgramKind::Affiliate.default_partner_kinds());
        assert!(program.terms.contains("Globex Partners") && program.terms.contains("promote Globex"));
        let chosen = ProgramInput {
            partner_kinds: vec!["reseller".into(), "si".into(), "reseller".into()],
            access: "invite".into(),
            ..input()
        };
        let program = validate(&chosen, "Globex").unwrap();
        assert_eq!(program.partner_kinds, vec![PartnerKind::Reseller, PartnerKind::Si]);
        assert!(!program.public);
    }

    #[test]
    fn bad_input_names_each_field() {
        let bad = ProgramInput {
            slug: "console".into(),
            kind: "pyramid".into(),
            currency: "ABC".into(),
            access: "maybe".into(),
            partner_kinds: vec!["alien".into()],
            ..input()
        };
        let errors = validate(&bad, "Globex").unwrap_err();
        assert!(errors.get("slug").unwrap().contains("reserved"));
        assert!(errors.get("currency").unwrap().contains("ABC"));
        for field in ["kind", "access", "partner_kinds"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert_eq!(errors.submitted("slug"), Some("console"));
    }

    #[test]
    fn starter_plans_pay_for_what_the_program_is_for() {
        let events = |kind| -> Vec<String> {
            starter_plan(kind, "EUR")
                .1
                .rules
                .into_iter()
                .flat_map(|r| r.events)
                .collect()
        };
        assert_eq!(events(ProgramKind::Affiliate), ["sale"]);
        assert_eq!(events(ProgramKind::Reseller), [DEAL_WON_EVENT]);
        assert_eq!(events(ProgramKind::Mixed), ["sale", DEAL_WON_EVENT]);
        assert_eq!(starter_plan(ProgramKind::Referral, "USD").1.currency, "USD");
    }

    #[test]
    fn archived_links_redirect_until_their_end_date() {
        let end = Some(datetime!(2026-12-31 00:00 UTC));
        let before = datetime!(2026-12-30 23:59 UTC);
        let after = datetime!(2026-12-31 00:00 UTC);
        assert!(!links_ended(None, after));
        assert!(!links_ended(end, before));
        assert!(links_ended(end, after));
        assert!(links_end("2026-11-30", before)
            .unwrap_err()
            .contains("today or a later"));
        assert_eq!(links_end("2026-12-31", before), Ok(after));
        assert!(links_end("next week", before).is_err());
    }
}
