//! What an operator fills in to add a creative, checked field by field. Partner lists are
//! resolved by the caller (they need the database); everything else is decided here.

use super::kind::CreativeKind;
use super::visibility::Visibility;
use crate::domain::destination;
use crate::domain::partner_kind::PartnerKind;
use crate::domain::validate::{self, FieldErrors};
use time::{Date, OffsetDateTime};

/// Video hosts a video creative may point at.
pub const VIDEO_HOSTS: [&str; 5] = ["youtube.com", "youtu.be", "vimeo.com", "loom.com", "www.loom.com"];
pub const MAX_TAGS: usize = 10;

/// The form as sent (every field a string).
#[derive(Clone, Debug, Default)]
pub struct CreativeInput {
    pub kind: String,
    pub name: String,
    pub landing_url: String,
    pub body: String,
    pub alt_text: String,
    pub tags: String,
    pub active_from: String,
    pub active_until: String,
    /// all | kinds | tiers | partners
    pub visibility: String,
    /// Comma-separated kinds, tiers or partner emails, by `visibility`.
    pub audience: String,
}

/// Who may see it, before partner emails are turned into ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    Decided(Visibility),
    PartnerEmails(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCreative {
    pub kind: CreativeKind,
    pub name: String,
    pub landing_url: String,
    pub body: String,
    pub alt_text: String,
    pub tags: Vec<String>,
    pub active_from: Option<OffsetDateTime>,
    /// Exclusive: the day after the last day the operator entered.
    pub active_until: Option<OffsetDateTime>,
    pub audience: Audience,
}

/// Checks every field; `has_image` says whether a valid image came with the form.
pub fn validate(
    input: &CreativeInput,
    allowed_domains: &[String],
    has_image: bool,
) -> Result<ValidCreative, FieldErrors> {
    let mut errors = FieldErrors::default();
    let kind = errors.check(
        "kind",
        CreativeKind::parse(&input.kind).ok_or_else(|| "Choose what kind of creative this is.".to_owned()),
    );
    let name = errors.check("name", validate::required_text(&input.name, "Name", 120));
    let landing_url = errors.check("landing_url", destination::check(&input.landing_url, allowed_domains));
    let body = errors.check("body", body(kind, &input.body));
    let alt_text = errors.check("alt_text", validate::optional_text(&input.alt_text, "Alt text", 200));
    let tags = errors.check("tags", tags(&input.tags));
    let from = errors.check("active_from", optional_date(&input.active_from, "Active from"));
    let until = errors.check("active_until", optional_date(&input.active_until, "Active until"));
    if let (Some(Some(from)), Some(Some(until))) = (from, until) {
        if until < from {
            errors.add("active_until", "The last day can't be before the first day.");
        }
    }
    let audience = errors.check("audience", audience(&input.visibility, &input.audience));
    match kind {
        Some(CreativeKind::Banner) if !has_image => errors.add("image", "Choose the banner's image file."),
        Some(k) if !k.takes_image() && has_image => errors.add("image", "Only banners and social posts take an image."),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (
        Some(kind),
        Some(name),
        Some(landing_url),
        Some(body),
        Some(alt_text),
        Some(tags),
        Some(from),
        Some(until),
        Some(audience),
    ) = (kind, name, landing_url, body, alt_text, tags, from, until, audience)
    else {
        return Err(errors);
    };
    Ok(ValidCreative {
        kind,
        name,
        landing_url,
        body,
        alt_text: alt_text.unwrap_or_default(),
        tags,
        active_from: from.map(|d| d.midnight().assume_utc()),
        active_until: until.and_then(Date::next_day).map(|d| d.midnight().assume_utc()),
        audience,
    })
}

fn body(kind: Option<CreativeKind>, value: &str) -> Result<String, String> {
    let Some(kind) = kind else {
        return Ok(String::new());
    };
    let label = kind.body_label();
    let text = if kind.body_required() {
        validate::required_text(value, label, 20_000)?
    } else {
        validate::optional_text(value, label, 20_000)?.unwrap_or_default()
    };
    if kind == CreativeKind::Video {
        let hosts: Vec<String> = VIDEO_HOSTS.iter().map(|h| (*h).to_owned()).collect();
        return destination::check(&text, &hosts)
            .map_err(|_| format!("Enter the video's address on {}.", "YouTube, Vimeo or Loom"));
    }
    Ok(text)
}

/// "Summer, banner ,  728x90" → ["summer", "banner", "728x90"], each at most 30 characters.
pub fn tags(value: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in value
        .split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
    {
        if tag.chars().count() > 30 || tag.chars().any(char::is_control) {
            return Err(format!("\"{tag}\" is too long for a tag: at most 30 characters."));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(format!("At most {MAX_TAGS} tags."));
    }
    Ok(tags)
}

fn optional_date(value: &str, label: &str) -> Result<Option<Date>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(value, &format)
        .ok()
        .filter(|d| (2000..=9999).contains(&d.year()))
        .map(Some)
        .ok_or_else(|| format!("{label} must be a date like 2027-01-31."))
}

/// An audience of everyone, some partner kinds or some tiers, for what can't go to named
/// partners (`what` names it in the error: "Courses", "Announcements").
pub fn kinds_or_tiers(visibility: &str, list: &str, what: &str) -> Result<Visibility, String> {
    if visibility == "partners" {
        return Err(format!("{what} go to partner kinds or tiers, not to named partners."));
    }
    match audience(visibility, list)? {
        Audience::Decided(visibility) => Ok(visibility),
        Audience::PartnerEmails(_) => Err("Choose who may see it.".into()),
    }
}

fn audience(visibility: &str, list: &str) -> Result<Audience, String> {
    let items: Vec<&str> = list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    if visibility != "all" && items.is_empty() {
        return Err("Name who may see it, or choose all partners.".into());
    }
    match visibility {
        "all" | "" => Ok(Audience::Decided(Visibility::All)),
        "kinds" => items
            .iter()
            .map(|item| {
                PartnerKind::ALL
                    .into_iter()
                    .find(|k| k.as_str().eq_ignore_ascii_case(item) || k.label().eq_ignore_ascii_case(item))
                    .ok_or_else(|| {
                        format!(
                            "\"{item}\" is not a partner kind. Use: {}.",
                            PartnerKind::ALL.map(|k| k.as_str()).join(", ")
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|kinds| Audience::Decided(Visibility::Kinds(kinds))),
        "tiers" => items
            .iter()
            .map(|t| validate::required_text(t, "A tier", 40))
            .collect::<Result<Vec<_>, _>>()
            .map(|tiers| Audience::Decided(Visibility::Tiers(tiers))),
        "partners" => items
            .iter()
            .map(|e| validate::email(e).map(|e| e.to_lowercase()))
            .collect::<Result<Vec<_>, _>>()
            .map(Audience::PartnerEmails),
        _ => Err("Choose who may see it.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn input(kind: &str) -> CreativeInput {
        CreativeInput {
            kind: kind.into(),
            name: "Winter sale 728x90".into(),
            landing_url: "https://shop.example.com/winter".into(),
            body: String::new(),
            visibility: "all".into(),
            ..Default::default()
        }
    }

    fn allowed() -> Vec<String> {
        vec!["example.com".into()]
    }

    #[test]
    fn a_banner_with_its_image_passes_with_its_window_made_exclusive() {
        let mut form = input("banner");
        form.active_from = "2026-12-01".into();
        form.active_until = "2026-12-31".into();
        form.tags = "Winter, 728x90, winter".into();
        let valid = validate(&form, &allowed(), true).unwrap();
        assert_eq!(valid.tags, vec!["winter", "728x90"]);
        assert_eq!(valid.active_from, Some(datetime!(2026-12-01 0:00 UTC)));
        assert_eq!(valid.active_until, Some(datetime!(2027-01-01 0:00 UTC)));
        assert_eq!(valid.audience, Audience::Decided(Visibility::All));
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut form = input("banner");
        form.landing_url = "https://evil.test/".into();
        form.active_from = "2026-12-31".into();
        form.active_until = "2026-12-01".into();
        form.visibility = "kinds".into();
        form.audience = "reseller, wizard".into();
        let errors = validate(&form, &allowed(), false).unwrap_err();
        assert!(errors
            .get("landing_url")
            .unwrap()
            .contains("not an allowed landing domain"));
        assert!(errors.get("active_until").unwrap().contains("before the first day"));
        assert!(errors
            .get("audience")
            .unwrap()
            .contains("\"wizard\" is not a partner kind"));
        assert!(errors.get("image").unwrap().contains("image file"));
    }

    #[test]
    fn kinds_need_their_text_and_videos_their_host() {
        assert!(validate(&input("text"), &allowed(), false)
            .unwrap_err()
            .get("body")
            .is_some());
        let mut video = input("video");
        video.body = "https://evil.test/v.mp4".into();
        assert!(validate(&video, &allowed(), false)
            .unwrap_err()
            .get("body")
            .unwrap()
            .contains("YouTube"));
        video.body = "https://www.youtube.com/watch?v=abc".into();
        assert!(validate(&video, &allowed(), false).is_ok());
        let mut text = input("text");
        text.body = "Shop the winter sale".into();
        assert!(validate(&text, &allowed(), true).unwrap_err().get("image").is_some());
        assert!(validate(&input("svg"), &allowed(), false)
            .unwrap_err()
            .get("kind")
            .is_some());
        let mut far = input("text");
        far.body = "Shop".into();
        far.active_from = "-9999-01-01".into();
        assert!(validate(&far, &allowed(), false)
            .unwrap_err()
            .get("active_from")
            .is_some());
    }

    #[test]
    fn audiences_are_read_by_their_rule() {
        assert_eq!(
            audience("kinds", "Reseller, si").unwrap(),
            Audience::Decided(Visibility::Kinds(vec![PartnerKind::Reseller, PartnerKind::Si]))
        );
        assert_eq!(
            audience("tiers", "Gold").unwrap(),
            Audience::Decided(Visibility::Tiers(vec!["Gold".into()]))
        );
        assert_eq!(
            audience("partners", "Ana@Example.com").unwrap(),
            Audience::PartnerEmails(vec!["ana@example.com".into()])
        );
        assert!(audience("partners", "").unwrap_err().contains("Name who"));
        assert!(audience("everyone", "x").is_err());
        let eleven: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        assert!(tags(&eleven.join(",")).unwrap_err().contains("At most 10"));
    }
}
