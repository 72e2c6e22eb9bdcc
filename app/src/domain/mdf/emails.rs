//! The emails of market development funds: every transition tells the partner or the
//! operators who act next, with a link to the request.

use crate::domain::emails::{compose, EmailContent};

/// What every MDF email names.
pub struct About<'a> {
    pub partner: &'a str,
    pub program: &'a str,
    pub fund: &'a str,
    pub request_id: i64,
    pub activity: &'a str,
    /// The link to open (the portal's or the console's page of the request).
    pub url: &'a str,
}

fn hello(name: &str) -> String {
    format!("Hello {name},")
}

pub fn allocated(partner: &str, program: &str, fund: &str, amount: &str, url: &str) -> EmailContent {
    compose(
        format!("Market development funds for you in {program}"),
        &hello(partner),
        &[
            format!("{amount} of market development funds were allocated to you in the fund \"{fund}\" of {program}."),
            "Request funds for an event, advertising, content or a webinar from your portal.".into(),
        ],
        Some(("See your funds", url)),
    )
}

/// To operators: a partner asks for funds.
pub fn requested(operator: &str, a: &About, amount: &str) -> EmailContent {
    compose(
        format!("MDF request #{} from {} waits for a decision", a.request_id, a.partner),
        &hello(operator),
        &[format!(
            "{} asks for {amount} from \"{}\" ({}) for {}.",
            a.partner, a.fund, a.program, a.activity
        )],
        Some(("Review the request", a.url)),
    )
}

pub fn approved(a: &About, amount: &str, requested: &str, deadline: &str) -> EmailContent {
    let smaller = if amount == requested {
        String::new()
    } else {
        format!(" (you asked for {requested})")
    };
    compose(
        format!("MDF request #{} approved", a.request_id),
        &hello(a.partner),
        &[
            format!(
                "Your request #{} for {} was approved for {amount}{smaller} from \"{}\" in {}.",
                a.request_id, a.activity, a.fund, a.program
            ),
            format!("Run the activity, then file your claim with proof of performance by {deadline}."),
        ],
        Some(("Open the request", a.url)),
    )
}

pub fn declined(a: &About, reason: &str) -> EmailContent {
    compose(
        format!("MDF request #{} was declined", a.request_id),
        &hello(a.partner),
        &[
            format!(
                "Your request #{} for {} from \"{}\" in {} was declined.",
                a.request_id, a.activity, a.fund, a.program
            ),
            format!("Reason:\n{reason}"),
        ],
        Some(("Open the request", a.url)),
    )
}

/// To operators: a claim waits for review.
pub fn claim_filed(operator: &str, a: &About, amount: &str, files: usize) -> EmailContent {
    compose(
        format!(
            "MDF claim for request #{} from {} waits for review",
            a.request_id, a.partner
        ),
        &hello(operator),
        &[format!(
            "{} claims {amount} for {} (\"{}\", {}), with {files} proof file{}.",
            a.partner,
            a.activity,
            a.fund,
            a.program,
            if files == 1 { "" } else { "s" }
        )],
        Some(("Review the claim", a.url)),
    )
}

pub fn claim_approved(a: &About, payable: &str, claimed: &str) -> EmailContent {
    let smaller = if payable == claimed {
        String::new()
    } else {
        format!(" (you claimed {claimed})")
    };
    compose(
        format!("MDF claim for request #{} approved", a.request_id),
        &hello(a.partner),
        &[format!(
            "Your claim for {} was approved: {payable}{smaller} is payable to you with your next payout.",
            a.activity
        )],
        Some(("Open the request", a.url)),
    )
}

pub fn claim_rejected(a: &About, reason: &str, deadline: &str) -> EmailContent {
    compose(
        format!("MDF claim for request #{} was rejected", a.request_id),
        &hello(a.partner),
        &[
            format!(
                "Your claim for {} (request #{}) was rejected.",
                a.activity, a.request_id
            ),
            format!("Reason:\n{reason}"),
            format!("You can file a corrected claim until {deadline}."),
        ],
        Some(("Open the request", a.url)),
    )
}

pub fn lapsed(a: &About, amount: &str, deadline: &str) -> EmailContent {
    compose(
        format!("MDF request #{} lapsed", a.request_id),
        &hello(a.partner),
        &[format!(
            "No claim arrived for {} (request #{}) by {deadline}, so its approved {amount} went back to the fund \"{}\".",
            a.activity, a.request_id, a.fund
        )],
        Some(("Open the request", a.url)),
    )
}

pub fn expired(partner: &str, program: &str, fund: &str, amount: &str, declined: usize, url: &str) -> EmailContent {
    let mut paragraphs = vec![format!(
        "The period of the fund \"{fund}\" in {program} has ended. {amount} you had not used has expired."
    )];
    if declined > 0 {
        paragraphs.push(format!(
            "{declined} request{} still waiting for a decision closed with it.",
            if declined == 1 { "" } else { "s" }
        ));
    }
    paragraphs.push("Approved activities can still be claimed until their claim deadlines.".into());
    compose(
        format!("Your MDF in \"{fund}\" has expired"),
        &hello(partner),
        &paragraphs,
        Some(("See your funds", url)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_say_what_happened_and_what_is_next() {
        let a = About {
            partner: "Northwind",
            program: "Acme Resellers",
            fund: "Q2",
            request_id: 4,
            activity: "Webinar",
            url: "https://x/portal/mdf/4",
        };
        let ok = approved(&a, "USD 1,500.00", "USD 2,000.00", "9 Jun 2026");
        assert!(ok
            .text
            .contains("approved for USD 1,500.00 (you asked for USD 2,000.00)"));
        assert!(ok.text.contains("by 9 Jun 2026") && ok.text.contains("https://x/portal/mdf/4"));
        assert!(declined(&a, "No budget for ads")
            .text
            .contains("Reason:\nNo budget for ads"));
        assert!(claim_filed("Morgan", &a, "USD 1.00", 2).text.contains("2 proof files"));
        assert!(!claim_approved(&a, "USD 9.00", "USD 9.00").text.contains("you claimed"));
        assert!(expired("N", "P", "Q2", "USD 5.00", 1, "u")
            .text
            .contains("1 request still waiting"));
        assert!(lapsed(&a, "USD 5.00", "1 Jun").subject.contains("lapsed"));
        assert!(claim_rejected(&a, "blurry", "1 Jun")
            .text
            .contains("corrected claim until 1 Jun"));
        assert!(requested("Morgan", &a, "USD 5.00")
            .subject
            .contains("#4 from Northwind"));
        assert!(allocated("N", "P", "Q2", "USD 5.00", "u").text.contains("USD 5.00"));
    }
}
