//! The emails of deal registration: to the partner on every decision and protection change, and
//! to the program team when something waits for them.

use crate::domain::emails::{compose, EmailContent};

/// Facts every deal email names.
pub struct DealRef<'a> {
    pub partner_name: &'a str,
    pub program_name: &'a str,
    pub company: &'a str,
    pub domain: &'a str,
    /// The deal's page (portal for partners, console for operators).
    pub url: &'a str,
}

impl DealRef<'_> {
    fn greeting(&self) -> String {
        format!("Hello {},", self.partner_name)
    }

    fn account(&self) -> String {
        format!("{} ({})", self.company, self.domain)
    }
}

pub fn registration_received(deal: &DealRef<'_>, operator_name: &str, sla: &str) -> EmailContent {
    compose(
        format!("Deal registration to review: {}", deal.account()),
        &format!("Hello {operator_name},"),
        &[format!(
            "{} registered {} in {}. Please approve or reject it within {sla}.",
            deal.partner_name,
            deal.account(),
            deal.program_name
        )],
        Some(("Review the deal", deal.url)),
    )
}

pub fn registration_approved(deal: &DealRef<'_>, protected_until: &str) -> EmailContent {
    compose(
        format!("Deal approved: {}", deal.account()),
        &deal.greeting(),
        &[format!(
            "Your registration of {} in {} was approved. The account is protected for you until {protected_until}: no other partner can register it until then.",
            deal.account(),
            deal.program_name
        )],
        Some(("Open the deal", deal.url)),
    )
}

pub fn registration_rejected(deal: &DealRef<'_>, reason: &str) -> EmailContent {
    compose(
        format!("Deal registration not approved: {}", deal.account()),
        &deal.greeting(),
        &[
            format!(
                "Your registration of {} in {} was not approved.",
                deal.account(),
                deal.program_name
            ),
            format!("Reason given by the program team:\n{reason}"),
        ],
        Some(("Open the deal", deal.url)),
    )
}

pub fn extension_requested(deal: &DealRef<'_>, operator_name: &str, days: i32, reason: &str) -> EmailContent {
    compose(
        format!("Protection extension requested: {}", deal.account()),
        &format!("Hello {operator_name},"),
        &[
            format!(
                "{} asks for {days} more days of protection for {} in {}.",
                deal.partner_name,
                deal.account(),
                deal.program_name
            ),
            format!("Their reason:\n{reason}"),
        ],
        Some(("Review the request", deal.url)),
    )
}

pub fn extension_decided(deal: &DealRef<'_>, approved: bool, protected_until: &str, reason: &str) -> EmailContent {
    let outcome = if approved {
        format!(
            "Your request for more protection of {} was approved. It is now protected until {protected_until}.",
            deal.account()
        )
    } else {
        format!(
            "Your request for more protection of {} was denied. Protection still ends on {protected_until}.",
            deal.account()
        )
    };
    let mut paragraphs = vec![outcome];
    if !reason.is_empty() {
        paragraphs.push(format!("Note from the program team:\n{reason}"));
    }
    compose(
        format!(
            "Protection extension {}: {}",
            if approved { "approved" } else { "denied" },
            deal.account()
        ),
        &deal.greeting(),
        &paragraphs,
        Some(("Open the deal", deal.url)),
    )
}

pub fn protection_ending(deal: &DealRef<'_>, protected_until: &str) -> EmailContent {
    compose(
        format!("Protection ends soon: {}", deal.account()),
        &deal.greeting(),
        &[
            format!(
                "Your protection of {} in {} ends on {protected_until}.",
                deal.account(),
                deal.program_name
            ),
            "Update the deal's stage, or ask for an extension if you need more time.".into(),
        ],
        Some(("Open the deal", deal.url)),
    )
}

pub fn protection_expired(deal: &DealRef<'_>) -> EmailContent {
    compose(
        format!("Protection expired: {}", deal.account()),
        &deal.greeting(),
        &[format!(
            "Your protection of {} in {} has ended, and other partners may now register the account.",
            deal.account(),
            deal.program_name
        )],
        Some(("Open the deal", deal.url)),
    )
}

pub fn deal_won(deal: &DealRef<'_>, value: &str, commission: Option<&str>) -> EmailContent {
    let earned = match commission {
        Some(amount) => format!("It earns you a commission of {amount}, which follows the program's approval process."),
        None => "Your terms in this program pay no commission on won deals.".into(),
    };
    compose(
        format!("Deal won: {}", deal.account()),
        &deal.greeting(),
        &[
            format!("Congratulations on winning {} for {value}.", deal.account()),
            earned,
        ],
        Some(("Open the deal", deal.url)),
    )
}

/// A digest of registrations that wait past the program's SLA.
pub fn registrations_waiting(name: &str, lines: &[String], escalation: bool, url: &str) -> EmailContent {
    let (subject, opening) = if escalation {
        (
            "Deal registrations are overdue",
            "These deal registrations have waited more than twice the program's approval time:",
        )
    } else {
        (
            "Deal registrations wait for your review",
            "These deal registrations have waited longer than the program's approval time:",
        )
    };
    compose(
        subject.into(),
        &format!("Hello {name},"),
        &[opening.into(), lines.join("\n")],
        Some(("Open the deal queue", url)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_name_the_account_and_link_to_the_deal() {
        let deal = DealRef {
            partner_name: "Northwind",
            program_name: "Resellers",
            company: "Acme <Inc>",
            domain: "acme.com",
            url: "https://t.test/portal/deals/4",
        };
        let mail = registration_rejected(&deal, "Already in contact");
        assert!(mail.subject.contains("acme.com"));
        assert!(mail.text.contains("Already in contact"));
        assert!(mail.html.contains("Acme &lt;Inc&gt;"), "{}", mail.html);
        assert!(mail.text.contains("https://t.test/portal/deals/4"));
        assert!(extension_decided(&deal, false, "2027-01-01", "")
            .text
            .contains("denied"));
        assert!(registrations_waiting("Ann", &["#4".into()], true, "u")
            .subject
            .contains("overdue"));
    }
}
