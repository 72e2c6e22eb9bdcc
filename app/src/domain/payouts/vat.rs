//! EU VAT identification numbers, checked against each country's format (the check digits are
//! left to VIES, which needs a network call). Self-billing invoices quote them.

/// Formats by prefix: `9` a digit, `A` a letter, `X` a letter or digit, anything else itself.
/// Greece's prefix is EL and Northern Ireland's XI, as in VIES.
#[rustfmt::skip]
const FORMATS: &[(&str, &[&str])] = &[
    ("AT", &["U99999999"]),
    ("BE", &["0999999999", "1999999999"]),
    ("BG", &["999999999", "9999999999"]),
    ("CY", &["99999999A"]),
    ("CZ", &["99999999", "999999999", "9999999999"]),
    ("DE", &["999999999"]),
    ("DK", &["99999999"]),
    ("EE", &["999999999"]),
    ("EL", &["999999999"]),
    ("ES", &["X9999999X"]),
    ("FI", &["99999999"]),
    ("FR", &["XX999999999"]),
    ("HR", &["99999999999"]),
    ("HU", &["99999999"]),
    ("IE", &["9999999A", "9999999AA", "9X99999A"]),
    ("IT", &["99999999999"]),
    ("LT", &["999999999", "999999999999"]),
    ("LU", &["99999999"]),
    ("LV", &["99999999999"]),
    ("MT", &["99999999"]),
    ("NL", &["999999999B99"]),
    ("PL", &["9999999999"]),
    ("PT", &["999999999"]),
    ("RO", &["99", "999", "9999", "99999", "999999", "9999999", "99999999", "999999999", "9999999999"]),
    ("SE", &["999999999999"]),
    ("SI", &["99999999"]),
    ("SK", &["9999999999"]),
    ("XI", &["999999999", "999999999999"]),
];

/// Checks a VAT id typed with or without spaces and dots, and returns it upper-cased with its
/// country prefix: `DE123456789`.
pub fn parse(value: &str) -> Result<String, String> {
    let id: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if id.is_empty() {
        return Err("Enter the VAT id.".into());
    }
    let prefix = id.get(..2).unwrap_or_default();
    let Some((_, formats)) = FORMATS.iter().find(|(p, _)| *p == prefix) else {
        return Err(format!(
            "A VAT id starts with its EU country prefix, like DE or FR (EL for Greece); \"{prefix}\" is not one."
        ));
    };
    let rest = &id[2..];
    if formats.iter().any(|format| matches(format, rest)) {
        Ok(id)
    } else {
        Err(format!(
            "This isn't a {prefix} VAT id: after {prefix} it has {}.",
            formats.iter().map(|f| describe(f)).collect::<Vec<_>>().join(" or ")
        ))
    }
}

fn matches(format: &str, value: &str) -> bool {
    format.len() == value.len()
        && format.chars().zip(value.chars()).all(|(f, c)| match f {
            '9' => c.is_ascii_digit(),
            'A' => c.is_ascii_uppercase(),
            'X' => c.is_ascii_alphanumeric(),
            literal => c == literal,
        })
}

/// "9 digits", or "U then 8 digits": runs of one kind of character, in order.
fn describe(format: &str) -> String {
    let mut runs: Vec<(char, usize)> = Vec::new();
    for c in format.chars() {
        match runs.last_mut() {
            Some((last, n)) if *last == c => *n += 1,
            _ => runs.push((c, 1)),
        }
    }
    runs.iter()
        .map(|(c, n)| {
            let plural = if *n == 1 { "" } else { "s" };
            match c {
                '9' => format!("{n} digit{plural}"),
                'A' => format!("{n} letter{plural}"),
                'X' => format!("{n} letter{plural} or digit{plural}"),
                literal => literal.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" then ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_countrys_format_is_accepted() {
        for id in [
            "ATU12345678",
            "BE0123456789",
            "DE 123 456 789",
            "el123456789",
            "ESX1234567X",
            "FR12345678901",
            "IE1234567WA",
            "NL123456789B01",
            "XI123456789",
        ] {
            assert!(parse(id).is_ok(), "{id}");
        }
        assert_eq!(parse("de 123.456.789").unwrap(), "DE123456789");
    }

    #[test]
    fn wrong_prefixes_and_shapes_are_named() {
        assert!(parse("GR123456789").unwrap_err().contains("\"GR\""));
        assert!(parse("US123456789").unwrap_err().contains("\"US\""));
        let wrong = parse("DE12345678").unwrap_err();
        assert!(wrong.contains("9 digits"), "{wrong}");
        assert!(parse("ATU1234567").unwrap_err().contains("U then 8 digits"));
        assert!(parse("NL123456789A01").is_err());
        assert!(parse("").is_err());
    }
}
