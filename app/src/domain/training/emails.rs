//! The emails training sends: a new certificate, and the reminders before one expires.

use crate::domain::emails::{compose, EmailContent};

pub fn certified(name: &str, certification: &str, valid_until: &str, verify_url: &str) -> EmailContent {
    compose(
        format!("You're certified: {certification}"),
        &format!("Hello {name},"),
        &[
            format!("Congratulations: you passed every course of {certification}. Your certificate is valid until {valid_until}."),
            "Anyone can check it on its verification page, which shows your name, the certification, your company and the date it is valid until.".into(),
        ],
        Some(("See your certificate", verify_url)),
    )
}

pub fn expiring(name: &str, certification: &str, valid_until: &str, days: i64, training_url: &str) -> EmailContent {
    let when = if days <= 1 {
        "tomorrow".to_owned()
    } else {
        format!("in {days} days")
    };
    compose(
        format!("Your {certification} certificate expires {when}"),
        &format!("Hello {name},"),
        &[
            format!("Your {certification} certificate is valid until {valid_until}."),
            "Pass one of its courses again to renew it for another full term. Until then it stays valid.".into(),
        ],
        Some(("Renew it in your training", training_url)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_emails_name_the_certification_and_link_on() {
        let email = certified("Ana", "Certified seller", "5 Dec 2027", "https://p.example/verify/ABC");
        assert!(email.subject.contains("Certified seller"));
        assert!(email.text.contains("https://p.example/verify/ABC"));
        let soon = expiring(
            "Ana",
            "Certified seller",
            "12 Dec 2026",
            7,
            "https://p.example/portal/training",
        );
        assert!(soon.subject.contains("in 7 days"), "{}", soon.subject);
        assert!(soon.text.contains("renew"));
    }
}
