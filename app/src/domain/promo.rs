//! Promotional material that partners make themselves: the channels, the program's rules (a
//! disclosure phrase the text must carry, brand terms that paid search may not use), the checks
//! that flag a submission for its reviewer, and the review's decision.

use crate::domain::validate::{self, FieldErrors};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    PaidSearch,
    Social,
    Email,
    Website,
    Video,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::PaidSearch,
        Channel::Social,
        Channel::Email,
        Channel::Website,
        Channel::Video,
        Channel::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::PaidSearch => "paid_search",
            Channel::Social => "social",
            Channel::Email => "email",
            Channel::Website => "website",
            Channel::Video => "video",
            Channel::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::PaidSearch => "Paid search ad",
            Channel::Social => "Social post",
            Channel::Email => "Email",
            Channel::Website => "Website or landing page",
            Channel::Video => "Video",
            Channel::Other => "Other",
        }
    }

    pub fn parse(value: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

/// A program's rules for partners' own material.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub require_approval: bool,
    /// The text must contain at least one of these, ignoring case.
    pub disclosure_phrases: Vec<String>,
    /// Paid-search material may not mention these, ignoring case.
    pub brand_terms: Vec<String>,
}

/// What the checks flag, for the reviewer to weigh (a flag doesn't refuse the submission).
pub fn flags(rules: &Rules, channel: Channel, text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut flags = Vec::new();
    if !rules.disclosure_phrases.is_empty()
        && !rules
            .disclosure_phrases
            .iter()
            .any(|p| lower.contains(&p.to_lowercase()))
    {
        let phrases = rules
            .disclosure_phrases
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(" or ");
        flags.push(format!("Missing a disclosure: the text doesn't contain {phrases}."));
    }
    if channel == Channel::PaidSearch {
        for term in &rules.brand_terms {
            if lower.contains(&term.to_lowercase()) {
                flags.push(format!("Brand term in paid search: \"{term}\"."));
            }
        }
    }
    flags
}

/// "#ad, affiliate link" or one per line → the phrases, trimmed, without repeats.
pub fn phrase_list(value: &str, label: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for item in value.split([',', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        if item.chars().count() > 60 {
            return Err(format!("{label}: \"{item}\" is too long (at most 60 characters)."));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(item)) {
            out.push(item.to_owned());
        }
    }
    if out.len() > 30 {
        return Err(format!("{label}: at most 30."));
    }
    Ok(out)
}

#[derive(Clone, Debug, Default)]
pub struct SubmissionInput {
    pub program_id: Option<i64>,
    pub channel: String,
    pub url: String,
    pub body: String,
}

impl SubmissionInput {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![("channel", &self.channel), ("url", &self.url), ("body", &self.body)]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSubmission {
    pub program_id: i64,
    pub channel: Channel,
    pub url: String,
    pub body: String,
}

pub fn submission(input: &SubmissionInput) -> Result<ValidSubmission, FieldErrors> {
    let mut errors = FieldErrors::default();
    if input.program_id.is_none() {
        errors.add("program_id", "Choose the program the material is for.");
    }
    let channel = errors.check(
        "channel",
        Channel::parse(&input.channel).ok_or_else(|| "Choose where it will run.".to_owned()),
    );
    let url = errors.check("url", web_address(&input.url));
    let body = errors.check("body", validate::required_text(&input.body, "The text", 20_000));
    match (input.program_id, channel, url, body) {
        (Some(program_id), Some(channel), Some(url), Some(body)) if errors.is_empty() => Ok(ValidSubmission {
            program_id,
            channel,
            url,
            body,
        }),
        _ => Err(errors),
    }
}

fn web_address(value: &str) -> Result<String, String> {
    let value = value.trim();
    match crate::domain::destination::host_of(value) {
        Some(_) if value.len() <= 2000 && !value.chars().any(char::is_whitespace) => Ok(value.to_owned()),
        _ => Err("Enter the full address where it will run, starting with https://.".into()),
    }
}

/// An operator's decision on a pending submission: the new status, or why it can't be made.
pub fn decide(status: &str, approve: bool, reason: &str) -> Result<&'static str, String> {
    if status != "pending" {
        return Err(format!("This submission was already {status}."));
    }
    if approve {
        Ok("approved")
    } else if reason.trim().is_empty() {
        Err("Say why it is rejected, so the partner can fix it.".into())
    } else {
        Ok("rejected")
    }
}

/// The email a partner gets when their material is decided.
pub fn decided_email(
    name: &str,
    program: &str,
    url: &str,
    approved: bool,
    reason: Option<&str>,
    portal_url: &str,
) -> crate::domain::emails::EmailContent {
    let mut paragraphs = vec![if approved {
        format!("Your material for {program} ({url}) is approved. You can use it now.")
    } else {
        format!("Your material for {program} ({url}) was not approved.")
    }];
    if let Some(reason) = reason.filter(|r| !r.trim().is_empty()) {
        paragraphs.push(format!("The program team wrote:\n{reason}"));
    }
    if !approved {
        paragraphs.push("Change it and submit it again.".into());
    }
    crate::domain::emails::compose(
        format!(
            "Your material for {program} was {}",
            if approved { "approved" } else { "not approved" }
        ),
        &format!("Hello {name},"),
        &paragraphs,
        Some(("See your submissions", portal_url)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            require_approval: true,
            disclosure_phrases: vec!["#ad".into(), "affiliate link".into()],
            brand_terms: vec!["Acme Cloud".into()],
        }
    }

    #[test]
    fn a_text_without_a_disclosure_is_flagged_with_the_phrase_named() {
        let flagged = flags(&rules(), Channel::Social, "Great hosting, try it");
        assert_eq!(flagged.len(), 1);
        assert!(flagged[0].contains("\"#ad\" or \"affiliate link\""), "{flagged:?}");
        assert!(
            flags(&rules(), Channel::Social, "Great hosting (Affiliate Link)").is_empty(),
            "case is ignored"
        );
        assert!(
            flags(&Rules::default(), Channel::Social, "anything").is_empty(),
            "no rule, no flag"
        );
    }

    #[test]
    fn brand_terms_are_flagged_only_in_paid_search() {
        let ad = "acme cloud hosting #ad";
        assert_eq!(
            flags(&rules(), Channel::PaidSearch, ad),
            vec!["Brand term in paid search: \"Acme Cloud\".".to_owned()]
        );
        assert!(flags(&rules(), Channel::Social, ad).is_empty());
    }

    #[test]
    fn phrase_lists_split_on_commas_and_lines() {
        assert_eq!(
            phrase_list("#ad, affiliate link\n#AD\n", "X").unwrap(),
            vec!["#ad", "affiliate link"]
        );
        assert!(phrase_list(&"x".repeat(61), "Disclosure")
            .unwrap_err()
            .contains("too long"));
    }

    #[test]
    fn a_submission_needs_a_program_channel_address_and_text() {
        let errors = submission(&SubmissionInput {
            program_id: None,
            channel: "fax".into(),
            url: "javascript:alert(1)".into(),
            body: " ".into(),
        })
        .unwrap_err();
        for field in ["program_id", "channel", "url", "body"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let ok = submission(&SubmissionInput {
            program_id: Some(1),
            channel: "paid_search".into(),
            url: "https://ads.example.com/campaign".into(),
            body: "Cheap hosting #ad".into(),
        })
        .unwrap();
        assert_eq!(ok.channel, Channel::PaidSearch);
    }

    #[test]
    fn a_decision_needs_a_pending_submission_and_a_reason_to_reject() {
        assert_eq!(decide("pending", true, ""), Ok("approved"));
        assert!(decide("pending", false, " ").unwrap_err().contains("Say why"));
        assert_eq!(decide("pending", false, "No disclosure"), Ok("rejected"));
        assert!(decide("approved", false, "x").unwrap_err().contains("already approved"));
    }
}
