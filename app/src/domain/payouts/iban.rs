//! International Bank Account Numbers (ISO 13616): the country's length and the mod-97 check
//! digits, so a mistyped IBAN is refused before it is saved.

/// IBAN lengths by country, from the SWIFT IBAN registry.
#[rustfmt::skip]
const LENGTHS: &[(&str, usize)] = &[
    ("AD", 24), ("AE", 23), ("AL", 28), ("AT", 20), ("AZ", 28), ("BA", 20), ("BE", 16),
    ("BG", 22), ("BH", 22), ("BI", 27), ("BR", 29), ("BY", 28), ("CH", 21), ("CR", 22),
    ("CY", 28), ("CZ", 24), ("DE", 22), ("DJ", 27), ("DK", 18), ("DO", 28), ("EE", 20),
    ("EG", 29), ("ES", 24), ("FI", 18), ("FK", 18), ("FO", 18), ("FR", 27), ("GB", 22),
    ("GE", 22), ("GI", 23), ("GL", 18), ("GR", 27), ("GT", 28), ("HR", 21), ("HU", 28),
    ("IE", 22), ("IL", 23), ("IQ", 23), ("IS", 26), ("IT", 27), ("JO", 30), ("KW", 30),
    ("KZ", 20), ("LB", 28), ("LC", 32), ("LI", 21), ("LT", 20), ("LU", 20), ("LV", 21),
    ("LY", 25), ("MC", 27), ("MD", 24), ("ME", 22), ("MK", 19), ("MN", 20), ("MR", 27),
    ("MT", 31), ("MU", 30), ("NI", 28), ("NL", 18), ("NO", 15), ("OM", 23), ("PK", 24),
    ("PL", 28), ("PS", 29), ("PT", 25), ("QA", 29), ("RO", 24), ("RS", 22), ("RU", 33),
    ("SA", 24), ("SC", 31), ("SD", 18), ("SE", 24), ("SI", 19), ("SK", 24), ("SM", 27),
    ("SO", 23), ("ST", 25), ("SV", 28), ("TL", 23), ("TN", 24), ("TR", 26), ("UA", 29),
    ("VA", 22), ("VG", 24), ("XK", 20), ("YE", 30),
];

/// The IBAN's length for a country, when the country uses IBANs.
fn length_for(country: &str) -> Option<usize> {
    LENGTHS.iter().find(|(c, _)| *c == country).map(|(_, n)| *n)
}

/// Checks an IBAN typed with or without spaces, in any case, and returns it in its electronic
/// form (upper case, no spaces): `DE89370400440532013000`.
pub fn parse(value: &str) -> Result<String, String> {
    let iban: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if iban.is_empty() {
        return Err("Enter the IBAN.".into());
    }
    if !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("An IBAN has only letters and digits.".into());
    }
    let country = iban.get(..2).unwrap_or_default();
    let Some(expected) = length_for(country) else {
        return Err(format!(
            "\"{country}\" is not a country that uses IBANs: an IBAN starts with its country code, like DE or FR."
        ));
    };
    if iban.len() != expected {
        return Err(format!(
            "A {country} IBAN has {expected} characters; this one has {}.",
            iban.len()
        ));
    }
    if !iban[2..4].chars().all(|c| c.is_ascii_digit()) {
        return Err("The two characters after the country code must be digits.".into());
    }
    if remainder(&iban) != 1 {
        return Err("This IBAN's check digits don't match: please check it for a typo.".into());
    }
    Ok(iban)
}

/// ISO 7064 mod 97-10 over the rearranged IBAN (first four characters moved to the end, letters
/// as 10..35), computed digit by digit so no big integers are needed.
fn remainder(iban: &str) -> u32 {
    let rearranged = iban[4..].chars().chain(iban[..4].chars());
    rearranged.fold(0u32, |acc, c| {
        let value = c.to_digit(36).unwrap_or(0);
        if value >= 10 {
            (acc * 100 + value) % 97
        } else {
            (acc * 10 + value) % 97
        }
    })
}

/// Gives an IBAN for a country and its bank part, with the right check digits (for tests and
/// the demo).
pub fn with_check_digits(country: &str, bban: &str) -> String {
    let check = 98 - remainder(&format!("{country}00{bban}"));
    format!("{country}{check:02}{bban}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Published examples (the SWIFT registry's and the banks' own).
    const VALID: &[&str] = &[
        "DE89 3704 0044 0532 0130 00",
        "GB82 WEST 1234 5698 7654 32",
        "NL91 ABNA 0417 1643 00",
        "FR14 2004 1010 0505 0001 3M02 606",
        "BE68 5390 0754 7034",
        "CH93 0076 2011 6238 5295 7",
        "NO93 8601 1117 947",
        "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
        "es9121000418450200051332",
    ];

    #[test]
    fn published_ibans_are_accepted_in_their_electronic_form() {
        for iban in VALID {
            let parsed = parse(iban).unwrap_or_else(|e| panic!("{iban}: {e}"));
            assert!(parsed.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        }
        assert_eq!(parse("de89 3704 0044 0532 0130 00").unwrap(), "DE89370400440532013000");
    }

    #[test]
    fn mistakes_are_named() {
        assert!(parse("GB82 WEST 1234 5698 7654 33")
            .unwrap_err()
            .contains("check digits"));
        assert!(parse("DE89 3704 0044 0532 0130").unwrap_err().contains("22 characters"));
        assert!(parse("XX89 3704 0044 0532 0130 00").unwrap_err().contains("\"XX\""));
        assert!(parse("US12 3456").unwrap_err().contains("\"US\""));
        assert!(parse("DE89 3704 0044 0532 0130 0!")
            .unwrap_err()
            .contains("letters and digits"));
        assert!(parse("DEAB 3704 0044 0532 0130 00")
            .unwrap_err()
            .contains("must be digits"));
        assert!(parse("  ").unwrap_err().contains("Enter"));
    }

    proptest! {
        /// Any bank part gets check digits that pass, and changing any one digit of it fails
        /// (mod 97 catches every single-digit error).
        #[test]
        fn check_digits_catch_every_single_digit_change(
            digits in proptest::collection::vec(0u32..10, 18),
            at in 0usize..18,
            delta in 1u32..10,
        ) {
            let bban: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            let iban = with_check_digits("DE", &bban);
            prop_assert_eq!(parse(&iban), Ok(iban.clone()));
            let mut changed: Vec<char> = iban.chars().collect();
            let digit = changed[4 + at].to_digit(10).unwrap();
            changed[4 + at] = char::from_digit((digit + delta) % 10, 10).unwrap();
            let changed: String = changed.into_iter().collect();
            prop_assert!(parse(&changed).is_err());
        }
    }
}
