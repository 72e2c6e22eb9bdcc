//! The emails about a partner's payout details.

use crate::domain::emails::{compose, EmailContent};

/// Sent to the partner's owner whenever payout details change: the defence against someone who
/// took over the login and redirects the money.
pub fn details_changed(partner_name: &str, what: &str, held_until: Option<&str>, payouts_url: &str) -> EmailContent {
    let mut paragraphs = vec![
        format!("The payout details of {partner_name} changed: {what}."),
        "If this was you, there is nothing to do.".to_owned(),
        "If this wasn't you, reset your password now and tell the program's partner team: someone may be trying to redirect your payouts.".to_owned(),
    ];
    if let Some(until) = held_until {
        paragraphs.push(format!(
            "To protect you, your next payout is held for review until {until}."
        ));
    }
    compose(
        "Your payout details changed".to_owned(),
        &format!("Hello {partner_name},"),
        &paragraphs,
        Some(("Review your payout details", payouts_url)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_email_says_what_changed_and_the_hold() {
        let email = details_changed(
            "Ana Reyes",
            "EUR payouts now go to SEPA •••• 3000",
            Some("12 December 2026"),
            "https://p.example/portal/payouts",
        );
        assert!(email.text.contains("SEPA •••• 3000"));
        assert!(email.text.contains("If this wasn't you"));
        assert!(email.text.contains("held for review until 12 December 2026"));
        assert!(!details_changed("A", "x", None, "u").text.contains("held"));
    }
}
