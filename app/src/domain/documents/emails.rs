//! The emails of partner documents: operators hear that a file waits for review, partners hear
//! the decision and when an approved document expires.

use crate::domain::emails::{compose, EmailContent};

fn hello(name: &str) -> String {
    format!("Hello {name},")
}

/// To the admins and finance operators who review documents.
pub fn uploaded(operator: &str, partner: &str, document: &str, program: &str, url: &str) -> EmailContent {
    compose(
        format!("{partner} uploaded a document to review"),
        &hello(operator),
        &[format!(
            "{partner} uploaded their {document} for {program}. It waits for an admin or finance operator to approve or reject it."
        )],
        Some(("Review documents", url)),
    )
}

pub fn approved(partner: &str, document: &str, program: &str, expires: Option<&str>) -> EmailContent {
    let mut paragraphs = vec![format!("Your {document} for {program} was approved.")];
    if let Some(on) = expires {
        paragraphs.push(format!(
            "It is valid until {on}. We'll remind you then to upload a current one."
        ));
    }
    compose(
        format!("Your {document} was approved"),
        &hello(partner),
        &paragraphs,
        None,
    )
}

pub fn rejected(partner: &str, document: &str, program: &str, reason: &str, url: &str) -> EmailContent {
    compose(
        format!("Your {document} needs another look"),
        &hello(partner),
        &[
            format!("Your {document} for {program} was not approved."),
            format!("The reason given: {reason}"),
            "Upload a new file from your portal.".into(),
        ],
        Some(("Upload a document", url)),
    )
}

pub fn expired(partner: &str, document: &str, program: &str, on: &str, url: &str) -> EmailContent {
    compose(
        format!("Your {document} has expired"),
        &hello(partner),
        &[
            format!("The {document} you gave {program} expired on {on}."),
            "Upload a current one from your portal; until it is approved, what needs it waits.".into(),
        ],
        Some(("Upload a document", url)),
    )
}

/// To an applicant whose program needs documents before it can approve the application.
pub fn needed_for_application(partner: &str, program: &str, documents: &str, url: &str) -> EmailContent {
    compose(
        format!("{program} needs documents to review your application"),
        &hello(partner),
        &[
            format!("Before {program} can approve your application, it needs: {documents}."),
            "Open your partner portal to upload them. The link works once and expires in 72 hours; after that, use \"Forgot your password?\" on the login page.".into(),
        ],
        Some(("Upload your documents", url)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_emails_say_what_and_what_next() {
        let mail = rejected(
            "Ana",
            "Government ID",
            "Acme",
            "The scan is blurry.",
            "https://x.test/portal/documents",
        );
        assert!(mail.text.contains("The reason given: The scan is blurry."));
        assert!(mail.html.contains("https://x.test/portal/documents"));
        let mail = approved("Ana", "Government ID", "Acme", Some("1 Jan 2028"));
        assert!(mail.text.contains("valid until 1 Jan 2028"));
        let mail = expired("Ana", "Proof of address", "Acme", "1 Jan 2028", "https://x.test/p");
        assert!(mail.subject.contains("expired"));
    }
}
