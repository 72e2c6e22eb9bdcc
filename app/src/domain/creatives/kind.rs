//! The five kinds of creative, and what each one's text means.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CreativeKind {
    Banner,
    Text,
    Email,
    Social,
    Video,
}

impl CreativeKind {
    pub const ALL: [CreativeKind; 5] = [Self::Banner, Self::Text, Self::Email, Self::Social, Self::Video];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Banner => "banner",
            Self::Text => "text",
            Self::Email => "email",
            Self::Social => "social",
            Self::Video => "video",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Banner => "Image banner",
            Self::Text => "Text link and ad copy",
            Self::Email => "HTML email swipe",
            Self::Social => "Social post",
            Self::Video => "Video link",
        }
    }

    /// What the creative's text field holds for this kind (the form's label).
    pub fn body_label(self) -> &'static str {
        match self {
            Self::Banner => "Caption (optional)",
            Self::Text => "Link text and ad copy",
            Self::Email => "Email HTML",
            Self::Social => "Post text",
            Self::Video => "Video address",
        }
    }

    /// Banners must have an image, social posts may, the others have none.
    pub fn takes_image(self) -> bool {
        matches!(self, Self::Banner | Self::Social)
    }

    pub fn body_required(self) -> bool {
        !matches!(self, Self::Banner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_as_written() {
        for kind in CreativeKind::ALL {
            assert_eq!(CreativeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(CreativeKind::parse("svg"), None);
        assert!(CreativeKind::Banner.takes_image() && !CreativeKind::Banner.body_required());
        assert!(!CreativeKind::Email.takes_image() && CreativeKind::Email.body_required());
    }
}
