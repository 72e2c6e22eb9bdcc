//! Paying partners: payout methods (with the bank identifiers' own checks) and tax details.

pub mod bank_codes;
pub mod emails;
pub mod exports;
pub mod iban;
pub mod method;
pub mod run;
pub mod sepa;
pub mod settlement;
pub mod tax;
pub mod vat;

/// The last four characters of a secret, for showing it: the rest never leaves the server
/// unencrypted except in the bank file.
pub fn last4(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

/// "•••• 3000": how a secret's last four are shown.
pub fn masked(last4: &str) -> String {
    format!("•••• {last4}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_four_are_kept() {
        assert_eq!(last4("DE89370400440532013000"), "3000");
        assert_eq!(last4("12"), "12");
        assert_eq!(masked("3000"), "•••• 3000");
    }
}
