//! Two-factor sign-in, the parts without a database or a clock: what a person may type in the
//! code field, and how a recovery code looks.

/// Digits in an authenticator app's code.
pub const CODE_DIGITS: usize = 6;
/// How many recovery codes a person is given at once.
pub const RECOVERY_CODES: usize = 10;
/// Letters in a recovery code: 16 of 32 symbols, 80 random bits.
const RECOVERY_LEN: usize = 16;
/// Crockford's base32 in lower case: no i, l, o or u to misread.
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// What the person typed in the code field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entered {
    /// The six digits their app shows (spaces ignored: apps show "123 456").
    AppCode(String),
    /// A recovery code as stored: lower case, without the dashes.
    RecoveryCode(String),
}

pub const CODE_MISSING: &str = "Enter the 6-digit code from your authenticator app, or a recovery code.";
pub const CODE_MALFORMED: &str =
    "That is not a code: enter the 6 digits your authenticator app shows, or one of your recovery codes (xxxx-xxxx-xxxx-xxxx).";
pub const CODE_WRONG: &str =
    "That code is not right, or was already used. Codes change every 30 seconds: try the one your app shows now.";

/// Reads the code field: six digits, or a recovery code with or without its dashes.
pub fn parse_code(input: &str) -> Result<Entered, &'static str> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    if compact.is_empty() {
        return Err(CODE_MISSING);
    }
    if compact.len() == CODE_DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Entered::AppCode(compact));
    }
    if compact.len() == RECOVERY_LEN && compact.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        return Ok(Entered::RecoveryCode(compact));
    }
    Err(CODE_MALFORMED)
}

/// A recovery code made of 10 random bytes, as shown to the person: four groups of four.
pub fn recovery_code(random: [u8; 10]) -> String {
    // 80 bits read 5 at a time, most significant first.
    let bits = random.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
    let letters: Vec<char> = (0..RECOVERY_LEN)
        .rev()
        .map(|i| char::from(RECOVERY_ALPHABET[((bits >> (i * 5)) & 31) as usize]))
        .collect();
    letters
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A base32 secret in groups of four, easier to type into an app by hand.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_codes_ignore_spaces_and_recovery_codes_their_dashes() {
        assert_eq!(parse_code(" 123 456 "), Ok(Entered::AppCode("123456".into())));
        assert_eq!(
            parse_code("ABCD-efgh-2345-6789"),
            Ok(Entered::RecoveryCode("abcdefgh23456789".into()))
        );
        assert_eq!(parse_code(""), Err(CODE_MISSING));
        assert_eq!(parse_code("12345"), Err(CODE_MALFORMED));
        assert_eq!(parse_code("1234567"), Err(CODE_MALFORMED));
        // Letters outside the alphabet (i, l, o, u) make no recovery code.
        assert_eq!(parse_code("iiii-llll-oooo-uuuu"), Err(CODE_MALFORMED));
    }

    #[test]
    fn recovery_codes_read_back_as_what_they_are() {
        let code = recovery_code([0xff, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert!(code.starts_with("zw01-"), "{code}");
        assert!(matches!(parse_code(&code), Ok(Entered::RecoveryCode(c)) if c == code.replace('-', "")));
        assert_eq!(recovery_code([0; 10]), "0000-0000-0000-0000");
    }

    #[test]
    fn secrets_are_grouped_by_four() {
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
