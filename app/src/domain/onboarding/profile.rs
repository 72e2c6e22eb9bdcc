//! The partner's profile: its website, what it is about and how it promotes. Operators read it
//! when they review the partner; the checklist's first step is to complete it.

use crate::domain::documents::names_text;
use crate::domain::validate::{self, FieldErrors};

/// How a partner promotes: `(value, label)`, in the order the form shows them.
pub const CHANNELS: [(&str, &str); 8] = [
    ("content", "Website or blog"),
    ("social", "Social media"),
    ("video", "Video or streaming"),
    ("email", "Email newsletter"),
    ("paid", "Paid search or ads"),
    ("deals", "Coupons, deals or cashback"),
    ("reselling", "Reselling or services"),
    ("referrals", "Referrals and word of mouth"),
];

pub const ABOUT_MAX: usize = 2000;

/// The label of a channel value (the value itself for one no longer offered).
pub fn channel_label(value: &str) -> &str {
    CHANNELS
        .iter()
        .find(|(v, _)| *v == value)
        .map_or(value, |(_, label)| label)
}

/// A validated profile, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub website: Option<String>,
    pub about: Option<String>,
    pub channels: Vec<String>,
}

impl Profile {
    /// What is still missing, in words ("a website and how you promote"); `None` once the
    /// partner gave a website, said what it is about and how it promotes.
    pub fn missing(&self) -> Option<String> {
        let missing: Vec<&str> = [
            (self.website.is_none(), "a website"),
            (self.about.is_none(), "what you are about"),
            (self.channels.is_empty(), "how you promote"),
        ]
        .into_iter()
        .filter_map(|(gap, what)| gap.then_some(what))
        .collect();
        (!missing.is_empty()).then(|| names_text(&missing))
    }

    /// The channels in words: "Website or blog, Email newsletter".
    pub fn channels_text(&self) -> String {
        let labels: Vec<&str> = self.channels.iter().map(|c| channel_label(c)).collect();
        labels.join(", ")
    }
}

/// Checks the profile form. Any part may be left empty (the profile is then incomplete, not
/// wrong); what is given must be valid. Channels are kept in the form's order, once each.
pub fn validate(website: &str, about: &str, channels: &[String]) -> Result<Profile, FieldErrors> {
    let mut errors = FieldErrors::default();
    let website = errors.check("website", validate::website(website));
    let about = errors.check("about", validate::optional_text(about, "About", ABOUT_MAX));
    if let Some(unknown) = channels.iter().find(|c| !CHANNELS.iter().any(|(v, _)| v == c)) {
        errors.add(
            "channels",
            format!("\"{unknown}\" isn't one of the ways to promote listed here."),
        );
    }
    let channels = CHANNELS
        .iter()
        .filter(|(v, _)| channels.iter().any(|c| c == v))
        .map(|(v, _)| (*v).to_owned())
        .collect();
    match (website, about) {
        (Some(website), Some(about)) if errors.is_empty() => Ok(Profile {
            website,
            about,
            channels,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn a_full_profile_is_complete_and_keeps_the_forms_order() {
        let p = validate(
            "brightreviews.test",
            "  Honest reviews of home gear. ",
            &owned(&["email", "content", "email"]),
        )
        .unwrap();
        assert_eq!(p.website.as_deref(), Some("https://brightreviews.test"));
        assert_eq!(p.about.as_deref(), Some("Honest reviews of home gear."));
        assert_eq!(p.channels, owned(&["content", "email"]));
        assert_eq!(p.missing(), None);
        assert_eq!(p.channels_text(), "Website or blog, Email newsletter");
    }

    #[test]
    fn an_empty_profile_is_valid_but_says_what_is_missing() {
        let p = validate("", "   ", &[]).unwrap();
        assert_eq!(
            p.missing().as_deref(),
            Some("a website, what you are about and how you promote")
        );
        let p = validate("https://a.test", "", &owned(&["social"])).unwrap();
        assert_eq!(p.missing().as_deref(), Some("what you are about"));
    }

    #[test]
    fn bad_input_names_its_field() {
        let e = validate(
            "not a site",
            &"x".repeat(ABOUT_MAX + 1),
            &owned(&["content", "telepathy"]),
        )
        .unwrap_err();
        assert!(e.get("website").unwrap().contains("valid website"));
        assert!(e.get("about").unwrap().contains("2000"));
        assert!(e.get("channels").unwrap().contains("telepathy"));
    }

    #[test]
    fn labels_fall_back_to_the_value() {
        assert_eq!(channel_label("deals"), "Coupons, deals or cashback");
        assert_eq!(channel_label("fax"), "fax");
    }
}
