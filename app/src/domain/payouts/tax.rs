//! A partner's tax details: a W-9 for US persons, W-8BEN (individuals) or W-8BEN-E (entities)
//! for everyone else, an optional EU VAT id for self-billing, and the name and address every
//! invoice carries. The TIN and the VAT id are the secret parts; the caller encrypts them.

use super::vat;
use crate::domain::country;
use crate::domain::validate::{self, FieldErrors};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxForm {
    W9,
    W8Ben,
    W8BenE,
}

impl TaxForm {
    pub const ALL: [Self; 3] = [Self::W9, Self::W8Ben, Self::W8BenE];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::W9 => "w9",
            Self::W8Ben => "w8ben",
            Self::W8BenE => "w8bene",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::W9 => "W-9 (US person)",
            Self::W8Ben => "W-8BEN (individual outside the US)",
            Self::W8BenE => "W-8BEN-E (company outside the US)",
        }
    }

    /// The entity types the form asks for (a W-8BEN is always an individual).
    pub fn entity_types(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::W9 => &[
                ("individual", "Individual or sole proprietor"),
                ("c_corporation", "C corporation"),
                ("s_corporation", "S corporation"),
                ("partnership", "Partnership"),
                ("trust_estate", "Trust or estate"),
                ("llc", "Limited liability company"),
            ],
            Self::W8Ben => &[],
            Self::W8BenE => &[
                ("corporation", "Corporation"),
                ("partnership", "Partnership"),
                ("trust", "Trust"),
                ("other", "Other entity"),
            ],
        }
    }
}

/// What the tax form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaxFormInput {
    pub form: String,
    pub legal_name: String,
    pub entity_type: String,
    pub tin: String,
    pub address: String,
    pub country: String,
    pub treaty_article: String,
    pub vat_id: String,
    pub invoice_name: String,
    pub invoice_address: String,
}

impl TaxFormInput {
    /// The values to show again after an error: never the TIN or the VAT id.
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("form", &self.form),
            ("legal_name", &self.legal_name),
            ("entity_type", &self.entity_type),
            ("address", &self.address),
            ("country", &self.country),
            ("treaty_article", &self.treaty_article),
            ("invoice_name", &self.invoice_name),
            ("invoice_address", &self.invoice_address),
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxProfile {
    pub form: TaxForm,
    pub legal_name: String,
    pub entity_type: Option<String>,
    /// A W-9's SSN or EIN, nine digits: encrypted at rest.
    pub tin: Option<String>,
    pub address: String,
    /// Country of residence (W-8 forms); US for a W-9.
    pub country: String,
    pub treaty_article: Option<String>,
    /// Encrypted at rest.
    pub vat_id: Option<String>,
    pub invoice_name: String,
    pub invoice_address: String,
}

pub fn validate(input: &TaxFormInput) -> Result<TaxProfile, FieldErrors> {
    let mut errors = FieldErrors::default();
    let Some(form) = TaxForm::parse(input.form.trim()) else {
        errors.add("form", "Choose the tax form that applies to you.");
        return Err(errors);
    };
    let legal_name = errors.check(
        "legal_name",
        validate::required_text(&input.legal_name, "Legal name", 200),
    );
    let address = errors.check("address", validate::required_text(&input.address, "Address", 500));
    let entity_type = match form.entity_types() {
        [] => None,
        types => {
            let chosen = input.entity_type.trim();
            if types.iter().any(|(value, _)| *value == chosen) {
                Some(chosen.to_owned())
            } else {
                errors.add("entity_type", "Choose the entity type from the list.");
                None
            }
        }
    };
    let (tin, country) = if form == TaxForm::W9 {
        (errors.check("tin", parse_tin(&input.tin)), Some("US".to_owned()))
    } else {
        let country = errors.check("country", country::parse(&input.country));
        if country.as_deref() == Some("US") {
            errors.add("country", "US persons give a W-9, not a W-8.");
        }
        (None, country)
    };
    let treaty_article = match form {
        TaxForm::W9 => None,
        _ => errors
            .check(
                "treaty_article",
                validate::optional_text(&input.treaty_article, "Treaty article", 60),
            )
            .flatten(),
    };
    let vat_id = if input.vat_id.trim().is_empty() {
        None
    } else {
        errors.check("vat_id", vat::parse(&input.vat_id))
    };
    let invoice_name = errors.check(
        "invoice_name",
        validate::required_text(&input.invoice_name, "Invoice name", 200),
    );
    let invoice_address = errors.check(
        "invoice_address",
        validate::required_text(&input.invoice_address, "Invoice address", 500),
    );
    match (legal_name, address, country, invoice_name, invoice_address) {
        (Some(legal_name), Some(address), Some(country), Some(invoice_name), Some(invoice_address))
            if errors.is_empty() =>
        {
            Ok(TaxProfile {
                form,
                legal_name,
                entity_type,
                tin,
                address,
                country,
                treaty_article,
                vat_id,
                invoice_name,
                invoice_address,
            })
        }
        _ => Err(errors),
    }
}

/// A US taxpayer identification number (SSN or EIN): nine digits, typed with or without dashes.
pub fn parse_tin(value: &str) -> Result<String, String> {
    let digits: String = value.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.is_empty() {
        return Err("Enter your SSN or EIN.".into());
    }
    if digits.len() != 9 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("An SSN or EIN has nine digits.".into());
    }
    if digits.chars().all(|c| c == digits.as_bytes()[0] as char) {
        return Err("This isn't a real SSN or EIN.".into());
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w8() -> TaxFormInput {
        TaxFormInput {
            form: "w8ben".into(),
            legal_name: "Ana Reyes".into(),
            address: "Calle Mayor 1, Madrid".into(),
            country: "es".into(),
            treaty_article: "Article 7".into(),
            invoice_name: "Ana Reyes".into(),
            invoice_address: "Calle Mayor 1, 28013 Madrid, Spain".into(),
            ..TaxFormInput::default()
        }
    }

    #[test]
    fn a_w8ben_needs_a_country_outside_the_us() {
        let profile = validate(&w8()).unwrap();
        assert_eq!(profile.country, "ES");
        assert_eq!(profile.treaty_article.as_deref(), Some("Article 7"));
        let us = TaxFormInput {
            country: "US".into(),
            ..w8()
        };
        assert!(validate(&us).unwrap_err().get("country").unwrap().contains("W-9"));
    }

    #[test]
    fn a_w9_needs_a_tin_and_an_entity_type() {
        let input = TaxFormInput {
            form: "w9".into(),
            entity_type: "llc".into(),
            tin: "12-3456789".into(),
            country: String::new(),
            ..w8()
        };
        let profile = validate(&input).unwrap();
        assert_eq!(profile.form, TaxForm::W9);
        assert_eq!(profile.tin.as_deref(), Some("123456789"));
        assert_eq!(profile.country, "US");
        assert_eq!(profile.treaty_article, None);
        let bad = TaxFormInput {
            tin: "12345".into(),
            entity_type: "guild".into(),
            ..input
        };
        let errors = validate(&bad).unwrap_err();
        assert!(errors.get("tin").unwrap().contains("nine digits"));
        assert!(errors.get("entity_type").is_some());
        assert!(bad.echo().iter().all(|(k, _)| *k != "tin"), "the TIN is never echoed");
    }

    #[test]
    fn a_vat_id_is_optional_but_checked() {
        let with_vat = TaxFormInput {
            vat_id: "ESX1234567X".into(),
            ..w8()
        };
        assert_eq!(validate(&with_vat).unwrap().vat_id.as_deref(), Some("ESX1234567X"));
        let wrong = TaxFormInput {
            vat_id: "ES123".into(),
            ..w8()
        };
        assert!(validate(&wrong).unwrap_err().get("vat_id").is_some());
    }

    #[test]
    fn tins_that_cannot_be_real_are_refused() {
        assert!(parse_tin("000000000").is_err());
        assert_eq!(parse_tin("123-45-6789").unwrap(), "123456789");
    }
}
