//! What a partner submits to register a deal, checked field by field. The checks that need the
//! database (the product catalogue, conflicts, existing customers) come after, in the backend.

use super::prospect::normalize_domain;
use crate::domain::validate::{self, FieldErrors};
use crate::domain::{country, money};
use rust_decimal::Decimal;
use std::str::FromStr;
use time::Date;

pub const COMPANY_MAX: usize = 200;
pub const NOTES_MAX: usize = 4000;

/// The form as typed.
#[derive(Clone, Debug, Default)]
pub struct RegistrationForm {
    pub company: String,
    pub domain: String,
    pub country: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_title: String,
    pub products: Vec<String>,
    pub value: String,
    pub currency: String,
    pub expected_close: String,
    pub notes: String,
    /// The id of the partner's MDF activity that sourced the deal, or empty.
    pub mdf_request: String,
}

/// The program's currency (deals are in it, like its plans and ledger), and today's date (in
/// UTC) for the close-date check.
#[derive(Clone, Debug)]
pub struct RegistrationRules<'a> {
    pub currency: &'a str,
    pub today: Date,
}

/// A registration whose fields are all well-formed.
#[derive(Clone, Debug, PartialEq)]
pub struct Registration {
    pub company: String,
    pub domain: String,
    pub country: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_title: Option<String>,
    pub product_ids: Vec<i64>,
    pub value: Decimal,
    pub currency: String,
    pub expected_close: Date,
    pub notes: Option<String>,
    pub mdf_request_id: Option<i64>,
}

/// A positive amount in `currency`, as typed ("12,500.00" is accepted).
pub fn deal_value(text: &str, currency: &str) -> Result<Decimal, String> {
    let cleaned: String = text.trim().chars().filter(|c| *c != ',' && *c != ' ').collect();
    if cleaned.is_empty() {
        return Err("Enter the deal's estimated value.".into());
    }
    let value = Decimal::from_str(&cleaned).map_err(|_| "Enter the value as a number, like 12500.00.".to_string())?;
    if value <= Decimal::ZERO {
        return Err("The value must be greater than zero.".into());
    }
    money::positive_amount(value, currency).map_err(|e| format!("The value is not valid: {e}."))
}

/// A close date as the browser sends it (YYYY-MM-DD), today or later.
pub fn close_date(text: &str, today: Date) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date =
        Date::parse(text.trim(), &format).map_err(|_| "Enter the expected close date, like 2027-03-31.".to_string())?;
    if date < today {
        return Err("The expected close date is in the past.".into());
    }
    Ok(date)
}

pub fn check(form: &RegistrationForm, rules: &RegistrationRules<'_>) -> Result<Registration, FieldErrors> {
    let mut errors = FieldErrors::default();
    let company = errors.check(
        "company",
        validate::required_text(&form.company, "Company", COMPANY_MAX),
    );
    let domain = errors.check("domain", normalize_domain(&form.domain));
    let country = errors.check("country", country::parse(&form.country));
    let contact_name = errors.check(
        "contact_name",
        validate::required_text(&form.contact_name, "Contact name", 120),
    );
    let contact_email = errors.check("contact_email", validate::email(&form.contact_email));
    let contact_title = errors.check(
        "contact_title",
        validate::optional_text(&form.contact_title, "Title", 120),
    );
    let currency = form.currency.trim().to_ascii_uppercase();
    let currency = errors.check(
        "currency",
        if currency == rules.currency {
            Ok(currency)
        } else {
            Err(format!("This program takes deals in {} only.", rules.currency))
        },
    );
    let value = currency
        .as_deref()
        .and_then(|c| errors.check("value", deal_value(&form.value, c)));
    let expected_close = errors.check("expected_close", close_date(&form.expected_close, rules.today));
    let product_ids = errors.check("products", product_ids(&form.products));
    let notes = errors.check("notes", validate::optional_text(&form.notes, "Notes", NOTES_MAX));
    let mdf_request_id = errors.check("mdf_request", optional_id(&form.mdf_request));
    match (
        company,
        domain,
        country,
        contact_name,
        contact_email,
        contact_title,
        currency,
        value,
        expected_close,
        product_ids,
        notes,
        mdf_request_id,
    ) {
        (
            Some(company),
            Some(domain),
            Some(country),
            Some(contact_name),
            Some(contact_email),
            Some(contact_title),
            Some(currency),
            Some(value),
            Some(expected_close),
            Some(product_ids),
            Some(notes),
            Some(mdf_request_id),
        ) if errors.is_empty() => Ok(Registration {
            company,
            domain,
            country,
            contact_name,
            contact_email,
            contact_title,
            product_ids,
            value,
            currency,
            expected_close,
            notes,
            mdf_request_id,
        }),
        _ => Err(errors),
    }
}

fn optional_id(value: &str) -> Result<Option<i64>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<i64>()
        .map(Some)
        .map_err(|_| "Choose one of your MDF activities from the list.".to_string())
}

fn product_ids(values: &[String]) -> Result<Vec<i64>, String> {
    let mut ids = Vec::new();
    for value in values.iter().filter(|v| !v.trim().is_empty()) {
        let id = value
            .trim()
            .parse::<i64>()
            .map_err(|_| "Choose products from the list.".to_string())?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn form() -> RegistrationForm {
        RegistrationForm {
            company: "Acme Inc.".into(),
            domain: "https://www.Acme.com/contact".into(),
            country: "de".into(),
            contact_name: "Eve Adams".into(),
            contact_email: "eve@acme.com".into(),
            contact_title: "".into(),
            products: vec!["3".into(), "3".into(), "".into()],
            value: "12,500.50".into(),
            currency: "eur".into(),
            expected_close: "2027-03-31".into(),
            notes: " ".into(),
            mdf_request: "".into(),
        }
    }

    fn rules(currency: &str) -> RegistrationRules<'_> {
        RegistrationRules {
            currency,
            today: date!(2026 - 11 - 21),
        }
    }

    #[test]
    fn a_good_form_is_normalized() {
        let currencies = "EUR";
        let r = check(&form(), &rules(currencies)).unwrap();
        assert_eq!(r.domain, "acme.com");
        assert_eq!(r.country, "DE");
        assert_eq!(r.currency, "EUR");
        assert_eq!(r.value, Decimal::new(1_250_050, 2));
        assert_eq!(r.product_ids, vec![3]);
        assert_eq!(r.contact_title, None);
        assert_eq!(r.notes, None);
    }

    #[test]
    fn each_bad_field_is_named() {
        let currencies = "EUR";
        type Spoil = fn(&mut RegistrationForm);
        let cases: Vec<(Spoil, &str, &str)> = vec![
            (|f| f.domain = "not a domain".into(), "domain", ""),
            (
                |f| f.expected_close = "2026-11-20".into(),
                "expected_close",
                "in the past",
            ),
            (|f| f.value = "0".into(), "value", "greater than zero"),
            (|f| f.value = "-5".into(), "value", "greater than zero"),
            (|f| f.value = "1.001".into(), "value", "decimal places"),
            (|f| f.currency = "USD".into(), "currency", "EUR only"),
            (|f| f.products = vec!["x".into()], "products", "from the list"),
            (|f| f.contact_email = "eve".into(), "contact_email", "valid email"),
            (|f| f.company = " ".into(), "company", "required"),
            (|f| f.country = "XX".into(), "country", "from the list"),
            (|f| f.mdf_request = "event".into(), "mdf_request", "MDF activities"),
        ];
        for (spoil, field, words) in cases {
            let mut f = form();
            spoil(&mut f);
            let errors = check(&f, &rules(currencies)).unwrap_err();
            let message = errors.get(field).unwrap_or_else(|| panic!("{field}: {errors:?}"));
            assert!(message.contains(words), "{field}: {message}");
            assert_eq!(errors.errors.len(), 1, "{errors:?}");
        }
        // Today is fine.
        let mut f = form();
        f.expected_close = "2026-11-21".into();
        assert!(check(&f, &rules(currencies)).is_ok());
    }
}
