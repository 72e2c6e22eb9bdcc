//! A brand as the console's form and the setup page submit it.

use crate::domain::mdf::upload;
use crate::domain::validate::{self, FieldErrors};
use crate::domain::{country, money};

/// What the operator typed, as it arrived.
#[derive(Clone, Debug, Default)]
pub struct BrandInput {
    pub name: String,
    pub legal_name: String,
    pub address: String,
    pub country: String,
    pub default_currency: String,
    pub tax_id: String,
    pub support_email: String,
    pub sender_name: String,
    pub primary_color: String,
}

impl BrandInput {
    /// The typed values, to show them again beside their errors.
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("name", &self.name),
            ("legal_name", &self.legal_name),
            ("address", &self.address),
            ("country", &self.country),
            ("default_currency", &self.default_currency),
            ("tax_id", &self.tax_id),
            ("support_email", &self.support_email),
            ("sender_name", &self.sender_name),
            ("primary_color", &self.primary_color),
        ]
    }
}

/// A brand that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brand {
    pub name: String,
    pub legal_name: String,
    pub address: String,
    pub country: String,
    pub default_currency: String,
    pub tax_id: String,
    pub support_email: String,
    pub sender_name: String,
    pub primary_color: String,
}

pub const DEFAULT_COLOR: &str = "#1f6f5c";

/// A three-letter ISO 4217 code Trellis knows, upper-cased.
pub fn currency(value: &str) -> Result<String, String> {
    let code = value.trim().to_ascii_uppercase();
    if money::is_known_currency(&code) {
        Ok(code)
    } else if code.is_empty() {
        Err("Choose a currency.".into())
    } else {
        Err(format!(
            "\"{}\" is not a currency code Trellis knows (use ISO codes such as EUR or USD).",
            value.trim()
        ))
    }
}

/// "#1F6F5C" or "1f6f5c" becomes "#1f6f5c"; empty takes the default.
pub fn color(value: &str) -> Result<String, String> {
    let hex = value.trim().trim_start_matches('#').to_ascii_lowercase();
    if hex.is_empty() {
        return Ok(DEFAULT_COLOR.into());
    }
    if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(format!("#{hex}"))
    } else {
        Err("Use a colour in the form #1f6f5c.".into())
    }
}

/// A name for the From header: no line breaks, quotes or angle brackets (they would change
/// the header's meaning).
fn sender_name(value: &str) -> Result<String, String> {
    let name = validate::optional_text(value, "Sender name", 80)?.unwrap_or_default();
    if name.chars().any(|c| matches!(c, '\n' | '\r' | '"' | '<' | '>' | '\\')) {
        return Err("Leave out line breaks, quotes and angle brackets.".into());
    }
    Ok(name)
}

/// Logos: PNG, JPEG or WebP recognized from the bytes (as for MDF proofs; never SVG, which
/// can carry script), up to 1 MB.
pub const LOGO_MAX_BYTES: usize = 1024 * 1024;
pub const LOGO_RULES: &str = "PNG, JPEG or WebP, up to 1 MB.";

pub fn logo(bytes: &[u8]) -> Result<upload::Kind, String> {
    if bytes.is_empty() {
        return Err(format!("Choose an image file: {LOGO_RULES}"));
    }
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(format!("The logo is too large: {LOGO_RULES}"));
    }
    match upload::sniff(bytes) {
        Some(kind @ (upload::Kind::Png | upload::Kind::Jpeg | upload::Kind::Webp)) => Ok(kind),
        _ => Err(format!("That file isn't an image Trellis accepts: {LOGO_RULES}")),
    }
}

pub fn validate(input: &BrandInput) -> Result<Brand, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", validate::required_text(&input.name, "Brand name", 120));
    let legal_name = errors.check(
        "legal_name",
        validate::required_text(&input.legal_name, "Legal entity name", 200),
    );
    let address = errors.check("address", validate::optional_text(&input.address, "Address", 500));
    let country = errors.check("country", country::parse(&input.country));
    let currency = errors.check("default_currency", currency(&input.default_currency));
    let tax_id = errors.check("tax_id", validate::optional_text(&input.tax_id, "VAT or tax id", 40));
    let support_email = errors.check(
        "support_email",
        if input.support_email.trim().is_empty() {
            Ok(String::new())
        } else {
            validate::email(&input.support_email)
        },
    );
    let sender = errors.check("sender_name", sender_name(&input.sender_name));
    let primary_color = errors.check("primary_color", color(&input.primary_color));
    match (
        name,
        legal_name,
        address,
        country,
        currency,
        tax_id,
        support_email,
        sender,
        primary_color,
    ) {
        (
            Some(name),
            Some(legal_name),
            Some(address),
            Some(country),
            Some(default_currency),
            Some(tax_id),
            Some(support_email),
            Some(sender_name),
            Some(primary_color),
        ) if errors.is_empty() => Ok(Brand {
            name,
            legal_name,
            address: address.unwrap_or_default(),
            country,
            default_currency,
            tax_id: tax_id.unwrap_or_default(),
            support_email,
            sender_name,
            primary_color,
        }),
        _ => Err(errors.with_submitted(&input.echo())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> BrandInput {
        BrandInput {
            name: "Globex".into(),
            legal_name: "Globex Corporation Ltd".into(),
            address: "1 Main St\nSpringfield".into(),
            country: "GB".into(),
            default_currency: "gbp".into(),
            tax_id: "GB123456789".into(),
            support_email: "partners@globex.test".into(),
            sender_name: "Globex Partners".into(),
            primary_color: "#AA3300".into(),
        }
    }

    #[test]
    fn a_complete_brand_is_normalized() {
        let brand = validate(&input()).unwrap();
        assert_eq!(brand.default_currency, "GBP");
        assert_eq!(brand.primary_color, "#aa3300");
        let minimal = BrandInput {
            address: String::new(),
            tax_id: String::new(),
            support_email: String::new(),
            sender_name: String::new(),
            primary_color: String::new(),
            ..input()
        };
        let brand = validate(&minimal).unwrap();
        assert_eq!(
            (brand.primary_color.as_str(), brand.support_email.as_str()),
            (DEFAULT_COLOR, "")
        );
    }

    #[test]
    fn logos_are_images_checked_from_their_bytes() {
        assert_eq!(logo(b"\x89PNG\r\n\x1a\n...."), Ok(upload::Kind::Png));
        assert_eq!(logo(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(upload::Kind::Jpeg));
        assert!(logo(b"%PDF-1.7").unwrap_err().contains("isn't an image"));
        assert!(logo(b"<svg onload=alert(1)>").unwrap_err().contains("isn't an image"));
        assert!(logo(b"").unwrap_err().contains("Choose"));
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(LOGO_MAX_BYTES + 1, 0);
        assert!(logo(&big).unwrap_err().contains("too large"));
    }

    #[test]
    fn each_bad_field_is_named_and_the_typed_values_come_back() {
        let bad = BrandInput {
            name: " ".into(),
            country: "Atlantis".into(),
            default_currency: "XYZ".into(),
            support_email: "not-an-email".into(),
            sender_name: "Evil\r\nBcc: x@y".into(),
            primary_color: "red".into(),
            ..input()
        };
        let errors = validate(&bad).unwrap_err();
        for field in [
            "name",
            "country",
            "default_currency",
            "support_email",
            "sender_name",
            "primary_color",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert!(errors.get("default_currency").unwrap().contains("XYZ"));
        assert_eq!(errors.submitted("primary_color"), Some("red"));
        assert!(errors.get("legal_name").is_none());
    }
}
