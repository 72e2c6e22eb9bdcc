//! How a partner is paid in one currency: the kinds of payout method, and the check of the form
//! that sets one. The account number is the only secret part; the caller encrypts it.

use super::{bank_codes, iban};
use crate::domain::validate::{self, FieldErrors};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MethodKind {
    /// IBAN and BIC, paid by SEPA credit transfer (EUR only).
    Sepa,
    /// Account and ABA routing number (USD only).
    UsBank,
    PayPal,
    Wise,
    /// Anything else, with the partner's instructions.
    Other,
}

impl MethodKind {
    pub const ALL: [Self; 5] = [Self::Sepa, Self::UsBank, Self::PayPal, Self::Wise, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sepa => "sepa",
            Self::UsBank => "us_bank",
            Self::PayPal => "paypal",
            Self::Wise => "wise",
            Self::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Sepa => "Bank transfer (SEPA, IBAN)",
            Self::UsBank => "Bank transfer (US, ACH)",
            Self::PayPal => "PayPal",
            Self::Wise => "Wise",
            Self::Other => "Other",
        }
    }

    /// The one currency a bank scheme pays in, when it has one.
    pub fn only_currency(self) -> Option<&'static str> {
        match self {
            Self::Sepa => Some("EUR"),
            Self::UsBank => Some("USD"),
            _ => None,
        }
    }
}

/// What the payout-method form sends. Only the fields of the chosen kind are read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MethodForm {
    pub currency: String,
    pub kind: String,
    pub account_holder: String,
    pub iban: String,
    pub bic: String,
    pub account_number: String,
    pub routing_number: String,
    pub email: String,
    pub instructions: String,
}

impl MethodForm {
    /// The values to show again after an error: never the account numbers.
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("currency", &self.currency),
            ("kind", &self.kind),
            ("account_holder", &self.account_holder),
            ("bic", &self.bic),
            ("routing_number", &self.routing_number),
            ("email", &self.email),
            ("instructions", &self.instructions),
        ]
    }
}

/// A checked payout method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayoutMethod {
    pub currency: String,
    pub kind: MethodKind,
    pub account_holder: Option<String>,
    /// The IBAN or the US account number: encrypted at rest, shown as its last four.
    pub account: Option<String>,
    /// The BIC or the routing number.
    pub bank_code: Option<String>,
    pub email: Option<String>,
    pub instructions: Option<String>,
}

/// Checks the form. `currencies` are those the partner's programs pay in.
pub fn validate(form: &MethodForm, currencies: &[String]) -> Result<PayoutMethod, FieldErrors> {
    let mut errors = FieldErrors::default();
    let currency = form.currency.trim().to_ascii_uppercase();
    if currency.is_empty() {
        errors.add("currency", "Choose the currency this method is paid in.");
    } else if !currencies.contains(&currency) {
        errors.add(
            "currency",
            match currencies {
                [] => "None of your programs pays commission yet, so there is nothing to pay out.".to_owned(),
                _ => format!(
                    "None of your programs pays in {currency}: choose {}.",
                    currencies.join(" or ")
                ),
            },
        );
    }
    let Some(kind) = MethodKind::parse(form.kind.trim()) else {
        errors.add("kind", "Choose how you want to be paid.");
        return Err(errors);
    };
    if let Some(only) = kind
        .only_currency()
        .filter(|only| !currency.is_empty() && *only != currency)
    {
        errors.add(
            "kind",
            format!(
                "{} pays in {only} only; for {currency} choose Wise, PayPal or Other.",
                kind.label()
            ),
        );
    }
    let mut method = PayoutMethod {
        currency,
        kind,
        account_holder: None,
        account: None,
        bank_code: None,
        email: None,
        instructions: None,
    };
    match kind {
        MethodKind::Sepa | MethodKind::UsBank => {
            method.account_holder = errors.check(
                "account_holder",
                validate::required_text(&form.account_holder, "Account holder", 140),
            );
            let (account, code) = if kind == MethodKind::Sepa {
                (
                    errors.check("iban", iban::parse(&form.iban)),
                    errors.check("bic", bank_codes::parse_bic(&form.bic)),
                )
            } else {
                (
                    errors.check("account_number", bank_codes::parse_us_account(&form.account_number)),
                    errors.check("routing_number", bank_codes::parse_routing_number(&form.routing_number)),
                )
            };
            (method.account, method.bank_code) = (account, code);
        }
        MethodKind::PayPal | MethodKind::Wise => {
            method.email = errors.check("email", validate::email(&form.email));
        }
        MethodKind::Other => {
            method.instructions = errors.check(
                "instructions",
                validate::required_text(&form.instructions, "Instructions", 1000),
            );
        }
    }
    if errors.is_empty() {
        Ok(method)
    } else {
        Err(errors)
    }
}

impl PayoutMethod {
    /// How the method is shown anywhere but the bank file: the account as its last four.
    pub fn summary(&self, account_last4: Option<&str>) -> String {
        let last4 = account_last4.map(super::masked).unwrap_or_default();
        match self.kind {
            MethodKind::Sepa => format!("SEPA {last4} ({})", self.bank_code.as_deref().unwrap_or("")),
            MethodKind::UsBank => format!("ACH {last4} (routing {})", self.bank_code.as_deref().unwrap_or("")),
            MethodKind::PayPal => format!("PayPal {}", self.email.as_deref().unwrap_or("")),
            MethodKind::Wise => format!("Wise {}", self.email.as_deref().unwrap_or("")),
            MethodKind::Other => "Other (instructions given)".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Vec<String> {
        vec!["EUR".to_owned()]
    }

    fn sepa() -> MethodForm {
        MethodForm {
            currency: "eur".into(),
            kind: "sepa".into(),
            account_holder: "Ana Reyes".into(),
            iban: "DE89 3704 0044 0532 0130 00".into(),
            bic: "COBADEFFXXX".into(),
            ..MethodForm::default()
        }
    }

    #[test]
    fn a_sepa_method_keeps_the_iban_apart_for_encryption() {
        let method = validate(&sepa(), &eur()).unwrap();
        assert_eq!(method.currency, "EUR");
        assert_eq!(method.account.as_deref(), Some("DE89370400440532013000"));
        assert_eq!(method.bank_code.as_deref(), Some("COBADEFFXXX"));
        assert_eq!(method.summary(Some("3000")), "SEPA •••• 3000 (COBADEFFXXX)");
    }

    #[test]
    fn a_wrong_iban_is_refused_on_its_field() {
        let form = MethodForm {
            iban: "DE89 3704 0044 0532 0130 01".into(),
            ..sepa()
        };
        let errors = validate(&form, &eur()).unwrap_err();
        assert!(errors.get("iban").unwrap().contains("check digits"));
        assert!(
            form.echo().iter().all(|(k, _)| *k != "iban"),
            "the IBAN is never echoed"
        );
    }

    #[test]
    fn the_currency_must_be_one_a_program_pays_in() {
        let form = MethodForm {
            currency: "USD".into(),
            kind: "paypal".into(),
            email: "ana@example.com".into(),
            ..MethodForm::default()
        };
        let errors = validate(&form, &eur()).unwrap_err();
        assert_eq!(
            errors.get("currency"),
            Some("None of your programs pays in USD: choose EUR.")
        );
        assert!(validate(&form, &["EUR".into(), "USD".into()]).is_ok());
        assert!(validate(&form, &[])
            .unwrap_err()
            .get("currency")
            .unwrap()
            .contains("nothing to pay out"));
    }

    #[test]
    fn bank_schemes_pay_in_their_own_currency() {
        let form = MethodForm {
            currency: "USD".into(),
            ..sepa()
        };
        let errors = validate(&form, &["USD".into()]).unwrap_err();
        assert!(errors.get("kind").unwrap().contains("EUR only"));
    }

    #[test]
    fn us_bank_needs_a_routing_number_that_checks() {
        let form = MethodForm {
            currency: "USD".into(),
            kind: "us_bank".into(),
            account_holder: "Northwind LLC".into(),
            account_number: "000123456789".into(),
            routing_number: "021000022".into(),
            ..MethodForm::default()
        };
        let errors = validate(&form, &["USD".into()]).unwrap_err();
        assert!(errors.get("routing_number").unwrap().contains("check digit"));
        let fixed = MethodForm {
            routing_number: "021000021".into(),
            ..form
        };
        assert_eq!(
            validate(&fixed, &["USD".into()]).unwrap().account.as_deref(),
            Some("000123456789")
        );
    }

    #[test]
    fn unknown_kinds_and_missing_details_are_named() {
        let form = MethodForm {
            currency: "EUR".into(),
            kind: "cash".into(),
            ..MethodForm::default()
        };
        assert!(validate(&form, &eur()).unwrap_err().get("kind").is_some());
        let other = MethodForm {
            kind: "other".into(),
            ..form
        };
        assert_eq!(
            validate(&other, &eur()).unwrap_err().get("instructions"),
            Some("Instructions is required.")
        );
    }
}
