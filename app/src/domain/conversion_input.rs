//! A conversion report as it arrives from the API or a postback, checked field by field. Every
//! refusal names the field, and says whether the request was malformed (400) or well-formed but
//! unacceptable (422).

use super::money;
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::str::FromStr;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq)]
pub struct ConversionInput {
    pub order_id: String,
    pub event: String,
    pub amount: Option<Decimal>,
    pub currency: Option<String>,
    pub click_id: Option<String>,
    pub coupon: Option<String>,
    pub customer_id: Option<String>,
    pub customer_email: Option<String>,
    pub occurred_at: Option<OffsetDateTime>,
    pub metadata: Option<Value>,
    /// The program slug, when the caller names it: a key for another program is then a 403.
    pub program: Option<String>,
    /// Bonuses, fees and chargebacks to take off the amount for net RevShare, in total.
    pub deductions: Decimal,
    /// How the merchant itemised the deductions, if it did ({"fees": "2.50", ...}).
    pub deductions_detail: Option<Value>,
    /// The customer's country (ISO code), for country rules in commission plans.
    pub country: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub status: u16,
    pub field: String,
    pub message: String,
}

impl InputError {
    fn malformed(field: &str, message: impl Into<String>) -> Self {
        Self {
            status: 400,
            field: field.into(),
            message: message.into(),
        }
    }

    fn unacceptable(field: &str, message: impl Into<String>) -> Self {
        Self {
            status: 422,
            field: field.into(),
            message: message.into(),
        }
    }
}

const KNOWN_FIELDS: &[&str] = &[
    "order_id",
    "event",
    "amount",
    "currency",
    "click_id",
    "coupon",
    "customer_id",
    "customer_email",
    "occurred_at",
    "metadata",
    "program",
    "deductions",
    "country",
];

/// Parses a JSON body.
pub fn from_json(body: &[u8]) -> Result<ConversionInput, InputError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| InputError::malformed("body", format!("the body is not valid JSON: {e}")))?;
    let Value::Object(object) = value else {
        return Err(InputError::malformed("body", "the body must be a JSON object"));
    };
    if let Some(unknown) = object.keys().find(|k| !KNOWN_FIELDS.contains(&k.as_str())) {
        return Err(InputError::malformed(
            unknown,
            format!(
                "unknown field \"{unknown}\"; expected one of {}",
                KNOWN_FIELDS.join(", ")
            ),
        ));
    }
    let amount = match object.get("amount") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(InputError::malformed(
                "amount",
                "amount must be a number or a decimal string",
            ))
        }
    };
    let metadata = match object.get("metadata") {
        None | Some(Value::Null) => None,
        Some(v @ Value::Object(_)) => Some(v.clone()),
        Some(_) => return Err(InputError::malformed("metadata", "metadata must be a JSON object")),
    };
    let text = |field: &str| string_field(&object, field);
    build(Fields {
        order_id: text("order_id")?,
        event: text("event")?,
        amount,
        currency: text("currency")?,
        click_id: text("click_id")?,
        coupon: text("coupon")?,
        customer_id: text("customer_id")?,
        customer_email: text("customer_email")?,
        occurred_at: text("occurred_at")?,
        metadata,
        program: text("program")?,
        deductions: object.get("deductions").cloned().filter(|v| !v.is_null()),
        country: text("country")?,
    })
}

/// Parses postback parameters (`order_id`, `amount`, `currency`, `event`, `click_id`, `coupon`).
pub fn from_params(params: &[(String, String)]) -> Result<ConversionInput, InputError> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.trim().is_empty())
    };
    build(Fields {
        order_id: get("order_id"),
        event: get("event"),
        amount: get("amount"),
        currency: get("currency"),
        click_id: get("click_id"),
        coupon: get("coupon"),
        customer_id: get("customer_id"),
        customer_email: get("customer_email"),
        occurred_at: None,
        metadata: None,
        program: None,
        deductions: get("deductions").map(Value::from),
        country: get("country"),
    })
}

fn string_field(object: &Map<String, Value>, field: &str) -> Result<Option<String>, InputError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(Value::Number(n)) if field == "order_id" || field == "customer_id" => Ok(Some(n.to_string())),
        Some(_) => Err(InputError::malformed(field, format!("{field} must be a string"))),
    }
}

struct Fields {
    order_id: Option<String>,
    event: Option<String>,
    amount: Option<String>,
    currency: Option<String>,
    click_id: Option<String>,
    coupon: Option<String>,
    customer_id: Option<String>,
    customer_email: Option<String>,
    occurred_at: Option<String>,
    metadata: Option<Value>,
    program: Option<String>,
    deductions: Option<Value>,
    country: Option<String>,
}

fn limited(field: &str, value: Option<String>, max: usize) -> Result<Option<String>, InputError> {
    match value {
        Some(v) if v.chars().count() > max => Err(InputError::unacceptable(
            field,
            format!("{field} must be at most {max} characters"),
        )),
        Some(v) if v.chars().any(char::is_control) => Err(InputError::unacceptable(
            field,
            format!("{field} can't contain control characters"),
        )),
        other => Ok(other),
    }
}

fn build(f: Fields) -> Result<ConversionInput, InputError> {
    let order_id = limited("order_id", f.order_id, 200)?
        .ok_or_else(|| InputError::unacceptable("order_id", "order_id is required"))?;
    let event = f.event.unwrap_or_else(|| "sale".into()).to_ascii_lowercase();
    let event_ok = (1..=40).contains(&event.len())
        && event
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !event_ok {
        return Err(InputError::unacceptable(
            "event",
            "event must be sale, lead, signup or a name of up to 40 letters, digits, '_', '.' or '-'",
        ));
    }
    let currency = match f.currency {
        Some(c) => {
            let upper = c.to_ascii_uppercase();
            if upper.len() != 3 || !upper.chars().all(|ch| ch.is_ascii_alphabetic()) {
                return Err(InputError::unacceptable(
                    "currency",
                    "currency must be a 3-letter ISO code like EUR",
                ));
            }
            Some(upper)
        }
        None => None,
    };
    let amount = match f.amount {
        Some(text) => {
            let parsed = Decimal::from_str(text.trim())
                .or_else(|_| Decimal::from_scientific(text.trim()))
                .map_err(|_| InputError::malformed("amount", format!("amount \"{text}\" is not a number")))?;
            let unit = currency.as_deref().unwrap_or("EUR");
            Some(money::positive_amount(parsed, unit).map_err(|m| InputError::unacceptable("amount", m))?)
        }
        None => None,
    };
    if event == "sale" {
        if amount.is_none() {
            return Err(InputError::unacceptable(
                "amount",
                "a sale needs an amount greater than zero",
            ));
        }
        if currency.is_none() {
            return Err(InputError::unacceptable("currency", "a sale needs a currency"));
        }
    }
    if amount.is_some() && currency.is_none() {
        return Err(InputError::unacceptable("currency", "an amount needs a currency"));
    }
    let occurred_at = match f.occurred_at {
        Some(text) => Some(OffsetDateTime::parse(&text, &Rfc3339).map_err(|_| {
            InputError::malformed(
                "occurred_at",
                "occurred_at must be an RFC 3339 time like 2026-11-21T14:03:00Z",
            )
        })?),
        None => None,
    };
    let customer_email = limited("customer_email", f.customer_email, 254)?.map(|e| e.to_ascii_lowercase());
    if let Some(email) = &customer_email {
        if !email.contains('@') {
            return Err(InputError::unacceptable(
                "customer_email",
                "customer_email is not an email address",
            ));
        }
    }
    if let Some(metadata) = &f.metadata {
        if metadata.to_string().len() > 4096 {
            return Err(InputError::unacceptable(
                "metadata",
                "metadata must be at most 4 KB of JSON",
            ));
        }
    }
    let unit = currency.as_deref().unwrap_or("EUR");
    let (deductions, deductions_detail) = deductions(f.deductions, unit)?;
    let country = match f.country {
        Some(c) => Some(super::country::parse(&c).map_err(|_| {
            InputError::unacceptable(
                "country",
                format!("country \"{c}\" is not a two-letter ISO country code"),
            )
        })?),
        None => None,
    };
    Ok(ConversionInput {
        order_id,
        event,
        amount,
        currency,
        click_id: limited("click_id", f.click_id, 64)?,
        coupon: limited("coupon", f.coupon, 40)?,
        customer_id: limited("customer_id", f.customer_id, 200)?,
        customer_email,
        occurred_at,
        metadata: f.metadata,
        program: limited("program", f.program, 63)?,
        deductions,
        deductions_detail,
        country,
    })
}

/// A total (number or decimal string) or an object of named parts that are added up. Each part
/// must be zero or more and have no more decimals than the currency.
fn deductions(value: Option<Value>, currency: &str) -> Result<(Decimal, Option<Value>), InputError> {
    let part = |name: &str, value: &Value| -> Result<Decimal, InputError> {
        let text = match value {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.trim().to_owned(),
            _ => {
                return Err(InputError::malformed(
                    "deductions",
                    format!("{name} must be a number or a decimal string"),
                ))
            }
        };
        let amount = Decimal::from_str(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .map_err(|_| InputError::malformed("deductions", format!("{name} \"{text}\" is not a number")))?;
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(InputError::unacceptable(
                "deductions",
                format!("{name} can't be negative"),
            ));
        }
        if amount.is_zero() {
            return Ok(Decimal::ZERO);
        }
        money::positive_amount(amount, currency)
            .map_err(|m| InputError::unacceptable("deductions", format!("{name}: {m}")))
    };
    match value {
        None => Ok((Decimal::ZERO, None)),
        Some(Value::Object(parts)) => {
            if parts.len() > 20 {
                return Err(InputError::unacceptable(
                    "deductions",
                    "deductions can have at most 20 parts",
                ));
            }
            let mut total = Decimal::ZERO;
            for (name, value) in &parts {
                total += part(&format!("deductions.{name}"), value)?;
            }
            Ok((total, Some(Value::Object(parts))))
        }
        Some(other) => Ok((part("deductions", &other)?, None)),
    }
}

impl ConversionInput {
    /// The request as stored with the conversion, to compare replays with.
    pub fn canonical(&self) -> Value {
        let mut map = Map::new();
        let mut put = |key: &str, value: Option<Value>| {
            map.insert(key.into(), value.unwrap_or(Value::Null));
        };
        put("order_id", Some(self.order_id.clone().into()));
        put("event", Some(self.event.clone().into()));
        put("amount", self.amount.map(|a| a.normalize().to_string().into()));
        put("currency", self.currency.clone().map(Value::from));
        put("click_id", self.click_id.clone().map(Value::from));
        put("coupon", self.coupon.clone().map(|c| c.to_ascii_lowercase().into()));
        put("customer_id", self.customer_id.clone().map(Value::from));
        put("customer_email", self.customer_email.clone().map(Value::from));
        put(
            "occurred_at",
            self.occurred_at
                .and_then(|t| t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).ok())
                .map(Value::from),
        );
        put("metadata", self.metadata.clone());
        // Added with the commission engine; left out when absent so that replays of older
        // conversions still compare equal.
        if !self.deductions.is_zero() || self.deductions_detail.is_some() {
            let detail = self.deductions_detail.clone();
            map.insert(
                "deductions".into(),
                detail.unwrap_or_else(|| self.deductions.normalize().to_string().into()),
            );
        }
        if let Some(country) = &self.country {
            map.insert("country".into(), country.clone().into());
        }
        Value::Object(map)
    }
}

/// The fields whose values differ between two canonical requests.
pub fn differences(stored: &Value, replay: &Value) -> Vec<String> {
    let empty = Map::new();
    let (a, b) = (
        stored.as_object().unwrap_or(&empty),
        replay.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k).unwrap_or(&Value::Null) != b.get(*k).unwrap_or(&Value::Null))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<ConversionInput, InputError> {
        from_json(json.as_bytes())
    }

    #[test]
    fn a_sale_needs_a_positive_amount_and_a_currency() {
        let ok = parse(r#"{"order_id":"A1","amount":"49.90","currency":"eur"}"#).unwrap();
        assert_eq!(ok.event, "sale");
        assert_eq!(ok.currency.as_deref(), Some("EUR"));
        assert_eq!(ok.amount, Some(Decimal::new(4990, 2)));
        for (json, field, status) in [
            (r#"{"order_id":"A1","currency":"EUR"}"#, "amount", 422),
            (r#"{"order_id":"A1","amount":0,"currency":"EUR"}"#, "amount", 422),
            (r#"{"order_id":"A1","amount":-5,"currency":"EUR"}"#, "amount", 422),
            (r#"{"order_id":"A1","amount":1.234,"currency":"EUR"}"#, "amount", 422),
            (r#"{"order_id":"A1","amount":"ten","currency":"EUR"}"#, "amount", 400),
            (r#"{"order_id":"A1","amount":[1],"currency":"EUR"}"#, "amount", 400),
            (r#"{"order_id":"A1","amount":5}"#, "currency", 422),
            (r#"{"amount":5,"currency":"EUR"}"#, "order_id", 422),
            (r#"{"order_id":{"x":1},"amount":5,"currency":"EUR"}"#, "order_id", 400),
            (
                r#"{"order_id":"A1","amount":5,"currency":"EUR","occurred_at":"yesterday"}"#,
                "occurred_at",
                400,
            ),
            (
                r#"{"order_id":"A1","amount":5,"currency":"EUR","colour":"red"}"#,
                "colour",
                400,
            ),
            (
                r#"{"order_id":"A1","amount":5,"currency":"EUR","metadata":"x"}"#,
                "metadata",
                400,
            ),
            (r#"{"order_id":"A1""#, "body", 400),
            (r#"[1,2]"#, "body", 400),
        ] {
            let err = parse(json).unwrap_err();
            assert_eq!(
                (err.field.as_str(), err.status),
                (field, status),
                "{json}: {}",
                err.message
            );
        }
    }

    #[test]
    fn leads_need_no_amount() {
        let lead = parse(r#"{"order_id":"L1","event":"Lead","customer_email":"Ana@X.test"}"#).unwrap();
        assert_eq!(lead.event, "lead");
        assert_eq!(lead.amount, None);
        assert_eq!(lead.customer_email.as_deref(), Some("ana@x.test"));
    }

    #[test]
    fn replays_are_compared_field_by_field() {
        let a = parse(r#"{"order_id":"A1","amount":"10.00","currency":"EUR"}"#)
            .unwrap()
            .canonical();
        let same = parse(r#"{"currency":"EUR","amount":10,"order_id":"A1"}"#)
            .unwrap()
            .canonical();
        assert!(differences(&a, &same).is_empty(), "10 and 10.00 are the same amount");
        let other = parse(r#"{"order_id":"A1","amount":"12","currency":"EUR","coupon":"X"}"#)
            .unwrap()
            .canonical();
        assert_eq!(
            differences(&a, &other),
            vec!["amount".to_string(), "coupon".to_string()]
        );
    }

    #[test]
    fn postback_parameters_use_the_same_rules() {
        let params = vec![
            ("order_id".to_string(), "P1".to_string()),
            ("amount".to_string(), "20".to_string()),
            ("currency".to_string(), "USD".to_string()),
        ];
        assert_eq!(from_params(&params).unwrap().amount, Some(Decimal::new(20, 0)));
        assert_eq!(from_params(&params[..1]).unwrap_err().field, "amount");
    }
}
