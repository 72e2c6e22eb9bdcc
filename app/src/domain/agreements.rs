//! Partner agreements: what an operator fills in to publish a version, and the rule for
//! accepting one (only the version in force can be accepted).

use crate::domain::validate::{self, FieldErrors};

#[derive(Clone, Debug, Default)]
pub struct AgreementInput {
    pub title: String,
    pub body: String,
    /// What changed from the version in force; required once there is one.
    pub changes: String,
}

impl AgreementInput {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![("title", &self.title), ("body", &self.body), ("changes", &self.changes)]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidAgreement {
    pub title: String,
    /// Markdown, stored as written.
    pub body: String,
    pub changes: String,
}

/// Checks a new version. `current_body` is the text of the version in force, if any: a new
/// version must say what changed, and must change something.
pub fn validate(input: &AgreementInput, current_body: Option<&str>) -> Result<ValidAgreement, FieldErrors> {
    let mut errors = FieldErrors::default();
    let title = errors.check("title", validate::required_text(&input.title, "Title", 120));
    let body = errors.check("body", validate::required_text(&input.body, "The agreement", 100_000));
    let changes = errors.check(
        "changes",
        validate::optional_text(&input.changes, "What changed", 2_000).and_then(|changes| {
            match (current_body, changes) {
                (Some(_), None) => Err("Say what changed: partners read it before they accept again.".into()),
                (_, changes) => Ok(changes.unwrap_or_default()),
            }
        }),
    );
    if let (Some(current), Some(body)) = (current_body, &body) {
        if current.trim() == body.trim() {
            errors.add(
                "body",
                "This is the text already in force. Change it, or keep the current version.",
            );
            return Err(errors);
        }
    }
    match (title, body, changes) {
        (Some(title), Some(body), Some(changes)) => Ok(ValidAgreement { title, body, changes }),
        _ => Err(errors),
    }
}

/// Why an acceptance is refused: the version accepted isn't the one in force.
pub fn check_acceptance(accepted_version: i32, in_force_version: i32) -> Result<(), String> {
    if accepted_version == in_force_version {
        Ok(())
    } else {
        Err(format!(
            "Version {accepted_version} of this agreement is no longer in force: read version {in_force_version} and accept that one."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(body: &str, changes: &str) -> AgreementInput {
        AgreementInput {
            title: "Partner agreement".into(),
            body: body.into(),
            changes: changes.into(),
        }
    }

    #[test]
    fn a_first_version_needs_no_changes() {
        let valid = validate(&input("# Terms\n\nBe fair.", ""), None).unwrap();
        assert_eq!(valid.changes, "");
        assert_eq!(valid.body, "# Terms\n\nBe fair.");
    }

    #[test]
    fn a_later_version_says_what_changed_and_changes_the_text() {
        let missing = validate(&input("New text", " "), Some("Old text")).unwrap_err();
        assert!(missing.get("changes").unwrap().contains("Say what changed"));
        let same = validate(&input("Old text\n", "Typo"), Some("Old text")).unwrap_err();
        assert!(same.get("body").unwrap().contains("already in force"));
        assert!(validate(&input("New text", "Payment terms are 30 days now."), Some("Old text")).is_ok());
    }

    #[test]
    fn title_and_body_are_required_and_bounded() {
        let errors = validate(&AgreementInput::default(), None).unwrap_err();
        assert!(errors.get("title").is_some() && errors.get("body").is_some());
        let long = validate(&input(&"x".repeat(100_001), ""), None).unwrap_err();
        assert!(long.get("body").is_some());
    }

    #[test]
    fn only_the_version_in_force_is_accepted() {
        assert!(check_acceptance(2, 2).is_ok());
        let stale = check_acceptance(1, 2).unwrap_err();
        assert!(stale.contains("Version 1") && stale.contains("version 2"), "{stale}");
    }
}
