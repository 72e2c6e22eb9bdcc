//! Bank identifiers other than the IBAN: the BIC (ISO 9362) that goes with a SEPA transfer, and
//! the ABA routing number of a US bank, with its checksum.

use crate::domain::country;

/// Checks a BIC (SWIFT code): 4 letters for the bank, the 2-letter country, 2 letters or digits
/// for the location, and an optional 3 for the branch. Returns it upper-cased, spaces removed.
pub fn parse_bic(value: &str) -> Result<String, String> {
    let bic: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if bic.is_empty() {
        return Err("Enter the BIC (SWIFT code).".into());
    }
    if bic.len() != 8 && bic.len() != 11 {
        return Err(format!(
            "A BIC has 8 or 11 characters, like DEUTDEFF or DEUTDEFF500; this one has {}.",
            bic.len()
        ));
    }
    if !bic.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("A BIC has only letters and digits.".into());
    }
    if !bic[..4].chars().all(|c| c.is_ascii_uppercase()) {
        return Err("A BIC starts with four letters for the bank.".into());
    }
    if country::name(&bic[4..6]).is_none() {
        return Err(format!(
            "Characters 5 and 6 of a BIC are a country code; \"{}\" is not one.",
            &bic[4..6]
        ));
    }
    Ok(bic)
}

/// Checks a US ABA routing number: nine digits whose weighted sum (3, 7, 1, repeated) is a
/// multiple of 10.
pub fn parse_routing_number(value: &str) -> Result<String, String> {
    let number: String = value.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if number.is_empty() {
        return Err("Enter the routing number.".into());
    }
    if number.len() != 9 || !number.chars().all(|c| c.is_ascii_digit()) {
        return Err("A routing number has nine digits.".into());
    }
    let sum: u32 = number
        .chars()
        .zip([3, 7, 1].iter().cycle())
        .map(|(c, weight)| c.to_digit(10).unwrap_or(0) * weight)
        .sum();
    if !sum.is_multiple_of(10) {
        return Err("This routing number's check digit doesn't match: please check it for a typo.".into());
    }
    Ok(number)
}

/// A US account number: 4 to 17 digits.
pub fn parse_us_account(value: &str) -> Result<String, String> {
    let number: String = value.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if number.is_empty() {
        return Err("Enter the account number.".into());
    }
    if !(4..=17).contains(&number.len()) || !number.chars().all(|c| c.is_ascii_digit()) {
        return Err("A US account number has 4 to 17 digits.".into());
    }
    Ok(number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn published_bics_are_accepted() {
        for bic in ["DEUTDEFF", "DEUTDEFF500", "NEDSZAJJXXX", "ABNANL2A", "bnpa fr pp xxx"] {
            assert!(parse_bic(bic).is_ok(), "{bic}");
        }
        assert_eq!(parse_bic("bnpa fr pp").unwrap(), "BNPAFRPP");
    }

    #[test]
    fn malformed_bics_are_refused_with_the_reason() {
        assert!(parse_bic("DEUTDEF").unwrap_err().contains("8 or 11"));
        assert!(parse_bic("DEUTDEFF50").unwrap_err().contains("8 or 11"));
        assert!(parse_bic("DEU1DEFF").unwrap_err().contains("four letters"));
        assert!(parse_bic("DEUTXXFF").unwrap_err().contains("\"XX\""));
        assert!(parse_bic("DEUT-EFF").unwrap_err().contains("letters and digits"));
    }

    #[test]
    fn published_routing_numbers_pass_and_typos_fail() {
        for aba in ["011000015", "021000021", "026009593", "122105155", "0210-0002-1"] {
            assert!(parse_routing_number(aba).is_ok(), "{aba}");
        }
        assert!(parse_routing_number("021000022").unwrap_err().contains("check digit"));
        assert!(parse_routing_number("02100002").unwrap_err().contains("nine digits"));
        assert!(parse_routing_number("02100002A").unwrap_err().contains("nine digits"));
    }

    #[test]
    fn us_accounts_are_digits() {
        assert_eq!(parse_us_account("1234 5678 90").unwrap(), "1234567890");
        assert!(parse_us_account("123").is_err());
        assert!(parse_us_account("123456789012345678").is_err());
        assert!(parse_us_account("12345x").is_err());
    }

    proptest! {
        /// The checksum catches every single-digit change of a valid routing number.
        #[test]
        fn routing_checksum_catches_single_digit_changes(
            digits in proptest::collection::vec(0u32..10, 8),
            at in 0usize..9,
            delta in 1u32..10,
        ) {
            let weights = [3, 7, 1, 3, 7, 1, 3, 7];
            let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
            let check = (10 - sum % 10) % 10;
            let mut all = digits.clone();
            all.push(check);
            let valid: String = all.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            prop_assert!(parse_routing_number(&valid).is_ok());
            all[at] = (all[at] + delta) % 10;
            let changed: String = all.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            prop_assert!(parse_routing_number(&changed).is_err());
        }
    }
}
