//! Announcements: what an operator fills in to post one, and the email that carries it.

use crate::domain::creatives::form::kinds_or_tiers;
use crate::domain::creatives::Visibility;
use crate::domain::emails::{compose, EmailContent};
use crate::domain::validate::{self, FieldErrors};

#[derive(Clone, Debug, Default)]
pub struct AnnouncementInput {
    pub title: String,
    pub body: String,
    /// all | kinds | tiers | segment
    pub visibility: String,
    pub audience: String,
    /// For a segment: its id.
    pub segment_id: String,
    pub email: bool,
}

impl AnnouncementInput {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("title", &self.title),
            ("body", &self.body),
            ("visibility", &self.visibility),
            ("audience", &self.audience),
            ("segment_id", &self.segment_id),
            ("email", if self.email { "yes" } else { "" }),
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidAnnouncement {
    pub title: String,
    /// Markdown, stored as written.
    pub body: String,
    pub visibility: Visibility,
    /// A segment whose members today it goes to; `visibility` is then decided on posting.
    pub segment: Option<i64>,
    pub email: bool,
}

pub fn validate(input: &AnnouncementInput) -> Result<ValidAnnouncement, FieldErrors> {
    let mut errors = FieldErrors::default();
    let title = errors.check("title", validate::required_text(&input.title, "Title", 120));
    let body = errors.check("body", validate::required_text(&input.body, "The announcement", 20_000));
    let (visibility, segment) = if input.visibility == "segment" {
        let segment = errors.check(
            "segment_id",
            input
                .segment_id
                .trim()
                .parse::<i64>()
                .map_err(|_| "Choose a segment.".to_owned()),
        );
        (segment.map(|_| Visibility::All), segment)
    } else {
        let visibility = errors.check(
            "audience",
            kinds_or_tiers(&input.visibility, &input.audience, "Announcements"),
        );
        (visibility, None)
    };
    match (title, body, visibility) {
        (Some(title), Some(body), Some(visibility)) => Ok(ValidAnnouncement {
            title,
            body,
            visibility,
            segment,
            email: input.email,
        }),
        _ => Err(errors),
    }
}

/// The email copy of an announcement: its Markdown as plain text, and a link to the portal.
pub fn email(name: &str, program: &str, title: &str, body: &str, url: &str) -> EmailContent {
    compose(
        format!("{program}: {title}"),
        &format!("Hello {name},"),
        &[body.to_owned()],
        Some(("Read it in your partner portal", url)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AnnouncementInput {
        AnnouncementInput {
            title: "Winter promotion".into(),
            body: "**30% off** all plans until 31 December.".into(),
            visibility: "all".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_announcement_goes_to_everyone_kinds_or_tiers() {
        assert_eq!(validate(&input()).unwrap().visibility, Visibility::All);
        let tiers = validate(&AnnouncementInput {
            visibility: "tiers".into(),
            audience: "Gold".into(),
            ..input()
        })
        .unwrap();
        assert_eq!(tiers.visibility, Visibility::Tiers(vec!["Gold".into()]));
    }

    #[test]
    fn bad_fields_are_named() {
        let errors = validate(&AnnouncementInput {
            title: String::new(),
            body: " ".into(),
            visibility: "partners".into(),
            audience: "a@example.com".into(),
            segment_id: String::new(),
            email: true,
        })
        .unwrap_err();
        for field in ["title", "body", "audience"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn the_email_carries_the_text_and_the_link() {
        let email = email(
            "Ana",
            "Acme Affiliates",
            "Winter promotion",
            "30% off",
            "https://p.example/portal/announcements",
        );
        assert_eq!(email.subject, "Acme Affiliates: Winter promotion");
        assert!(email.text.contains("30% off") && email.text.contains("/portal/announcements"));
    }

    #[test]
    fn a_segment_audience_needs_a_segment() {
        let chosen = validate(&AnnouncementInput {
            visibility: "segment".into(),
            segment_id: "12".into(),
            ..input()
        })
        .unwrap();
        assert_eq!(chosen.segment, Some(12));
        for missing in ["", "twelve"] {
            let errors = validate(&AnnouncementInput {
                visibility: "segment".into(),
                segment_id: missing.into(),
                ..input()
            })
            .unwrap_err();
            assert_eq!(errors.get("segment_id"), Some("Choose a segment."));
        }
    }
}
