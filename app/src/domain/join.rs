//! Validation of a public program application.

use super::country;
use super::partner_kind::PartnerKind;
use super::questions::{self, Answer, Question};
use super::validate::{self, FieldErrors};
use std::collections::HashMap;

/// What the applicant typed, as it arrived.
#[derive(Clone, Debug, Default)]
pub struct ApplicationInput {
    pub name: String,
    pub email: String,
    pub website: String,
    pub kind: String,
    pub country: String,
    pub promotion_plan: String,
    pub accept_terms: bool,
}

impl ApplicationInput {
    /// The typed values, to show them again beside their errors.
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        let terms = if self.accept_terms { "yes" } else { "" };
        vec![
            ("name", &self.name),
            ("email", &self.email),
            ("website", &self.website),
            ("kind", &self.kind),
            ("country", &self.country),
            ("promotion_plan", &self.promotion_plan),
            ("accept_terms", terms),
        ]
    }
}

/// An application that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    pub name: String,
    pub email: String,
    pub website: Option<String>,
    pub kind: PartnerKind,
    pub country: String,
    pub promotion_plan: String,
    /// Answers to the program's own questions.
    pub answers: Vec<Answer>,
}

pub const NAME_MAX: usize = 120;
pub const PLAN_MAX: usize = 2000;

/// Whether `code` looks like a sub-partner invitation code (8 to 32 letters and digits). Other
/// text in the join link is dropped rather than carried along.
pub fn is_invite_code(code: &str) -> bool {
    (8..=32).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Said when a program can't be applied to: it doesn't exist, is archived, or is invite-only and
/// the link's code is missing or wrong (the answer is the same, so nothing leaks).
pub const NOT_TAKING_APPLICATIONS: &str =
    "This program doesn't exist or isn't taking applications. If you were invited, use the exact link you were sent.";

/// Whether a program's application form is open to this visitor: a running program that is
/// public, or invite-only with its invitation code (or a partner's sub-partner invitation).
pub fn may_apply(public: bool, archived: bool, program_code: &str, given_code: Option<&str>, sub_invite: bool) -> bool {
    !archived && (public || sub_invite || given_code.is_some_and(|c| !c.is_empty() && c == program_code))
}

/// Whether the program takes partners of `kind` (an empty list takes every kind).
pub fn kind_accepted(accepted: &[String], kind: PartnerKind, program: &str) -> Result<(), String> {
    if accepted.is_empty() || accepted.iter().any(|k| k == kind.as_str()) {
        return Ok(());
    }
    let labels: Vec<&str> = PartnerKind::ALL
        .iter()
        .filter(|k| accepted.iter().any(|a| a == k.as_str()))
        .map(|k| k.label())
        .collect();
    Err(format!(
        "{program} takes these kinds of partner: {}.",
        labels.join(", ")
    ))
}

/// Checks the standard fields and the answers to the program's own questions together, so every
/// error shows at once; the errors carry what was typed, to fill the form again.
pub fn validate_with_answers(
    input: &ApplicationInput,
    questions: &[Question],
    posted: &HashMap<String, String>,
) -> Result<Application, FieldErrors> {
    let with_echo = |mut errors: FieldErrors| {
        let standard = input.echo().into_iter().map(|(k, v)| (k.to_owned(), v.to_owned()));
        let answers = questions::echo(questions, posted)
            .into_iter()
            .map(|(k, v)| (k, v.to_owned()));
        errors.submitted = standard.chain(answers).collect();
        errors
    };
    match (validate(input), questions::validate_answers(questions, posted)) {
        (Ok(application), Ok(answers)) => Ok(Application { answers, ..application }),
        (Err(mut errors), Err(more)) => {
            errors.merge(more);
            Err(with_echo(errors))
        }
        (Err(errors), _) | (_, Err(errors)) => Err(with_echo(errors)),
    }
}

pub fn validate(input: &ApplicationInput) -> Result<Application, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", validate::required_text(&input.name, "Name", NAME_MAX));
    let email = errors.check("email", validate::email(&input.email));
    let website = errors.check("website", validate::website(&input.website));
    let kind = errors.check("kind", PartnerKind::parse(&input.kind));
    let country = errors.check("country", country::parse(&input.country));
    let plan = errors.check(
        "promotion_plan",
        validate::required_text(&input.promotion_plan, "How you plan to promote or sell", PLAN_MAX),
    );
    if !input.accept_terms {
        errors.add("accept_terms", "Accept the program terms to apply.");
    }
    match (name, email, website, kind, country, plan) {
        (Some(name), Some(email), Some(website), Some(kind), Some(country), Some(promotion_plan))
            if errors.is_empty() =>
        {
            Ok(Application {
                name,
                email,
                website,
                kind,
                country,
                promotion_plan,
                answers: Vec::new(),
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invite_only_and_archived_programs_admit_only_the_invited() {
        assert!(may_apply(true, false, "abc", None, false));
        assert!(!may_apply(true, true, "abc", None, false), "archived");
        assert!(!may_apply(false, false, "abc", None, false));
        assert!(!may_apply(false, false, "abc", Some("abd"), false));
        assert!(!may_apply(false, false, "", Some(""), false));
        assert!(may_apply(false, false, "abc", Some("abc"), false));
        assert!(
            may_apply(false, false, "abc", None, true),
            "a partner's sub-partner invitation"
        );
        assert!(!may_apply(false, true, "abc", Some("abc"), true));
    }

    #[test]
    fn programs_take_only_their_partner_kinds() {
        let resellers = vec!["reseller".to_owned(), "si".to_owned()];
        assert!(kind_accepted(&resellers, PartnerKind::Si, "P").is_ok());
        assert!(kind_accepted(&[], PartnerKind::Creator, "P").is_ok());
        let refused = kind_accepted(&resellers, PartnerKind::Creator, "Acme Resellers").unwrap_err();
        assert_eq!(
            refused,
            "Acme Resellers takes these kinds of partner: Reseller, Systems integrator."
        );
    }

    fn good() -> ApplicationInput {
        ApplicationInput {
            name: "Ada's <Deals>".into(),
            email: "ada@example.com".into(),
            website: "ada.example.com".into(),
            kind: "creator".into(),
            country: "gb".into(),
            promotion_plan: "Newsletter; DROP TABLE partners;--".into(),
            accept_terms: true,
        }
    }

    #[test]
    fn invite_codes_are_letters_and_digits() {
        assert!(is_invite_code("Ab3dEf7h"));
        assert!(!is_invite_code("short"));
        assert!(!is_invite_code("has-dash-123"));
        assert!(!is_invite_code(&"a".repeat(33)));
    }

    #[test]
    fn a_complete_application_is_normalized() {
        let app = validate(&good()).unwrap();
        assert_eq!(app.name, "Ada's <Deals>");
        assert_eq!(app.country, "GB");
        assert_eq!(app.website.as_deref(), Some("https://ada.example.com"));
        assert_eq!(app.kind, PartnerKind::Creator);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = ApplicationInput {
            name: " ".into(),
            email: "nope".into(),
            website: "javascript:x".into(),
            kind: "pirate".into(),
            country: "ZZ".into(),
            promotion_plan: "x".repeat(PLAN_MAX + 1),
            accept_terms: false,
        };
        let errors = validate(&input).unwrap_err();
        for field in [
            "name",
            "email",
            "website",
            "kind",
            "country",
            "promotion_plan",
            "accept_terms",
        ] {
            assert!(errors.get(field).is_some(), "{field} should have an error");
        }
    }
}
