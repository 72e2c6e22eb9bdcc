//! The emails about a partner's payout details and its payouts.

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

/// Sent when finance marks a payout paid, with the statement.
pub fn payout_sent(
    partner_name: &str,
    amount: &str,
    brand: &str,
    reference: &str,
    statement_url: &str,
) -> EmailContent {
    compose(
        format!("{brand} sent you {amount}"),
        &format!("Hello {partner_name},"),
        &[
            format!("{brand} has paid you {amount} (reference {reference})."),
            "Your statement lists every commission, adjustment and MDF claim this payout covers.".to_owned(),
        ],
        Some(("Open your statement", statement_url)),
    )
}

/// Sent when a payout bounced or was refused: the money is back in the balance.
pub fn payout_failed(partner_name: &str, amount: &str, brand: &str, reason: &str, payouts_url: &str) -> EmailContent {
    compose(
        format!("Your payout of {amount} from {brand} didn't arrive"),
        &format!("Hello {partner_name},"),
        &[
            format!("The payout of {amount} from {brand} could not be delivered: {reason}."),
            "The amount is back in your balance and goes out with the next payout run. Please check your payout details.".to_owned(),
        ],
        Some(("Check your payout details", payouts_url)),
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

    #[test]
    fn payout_emails_name_the_amount_and_where_to_look() {
        let sent = payout_sent(
            "Ana",
            "EUR 120.00",
            "Northwind",
            "TR1-2-3-EUR",
            "https://p.example/portal/payouts/statements/9",
        );
        assert!(sent.subject.contains("EUR 120.00") && sent.text.contains("TR1-2-3-EUR"));
        assert!(sent.text.contains("/portal/payouts/statements/9"));
        let failed = payout_failed(
            "Ana",
            "EUR 120.00",
            "Northwind",
            "account closed",
            "https://p.example/portal/payouts",
        );
        assert!(failed.text.contains("account closed") && failed.text.contains("back in your balance"));
    }
}
