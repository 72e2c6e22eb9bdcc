//! Which image files a banner may be: PNG, JPEG, GIF or WebP, recognized by their first bytes and
//! never by their name. SVG is refused by name in the message, since it can carry script.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageType {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageType {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Gif => "gif",
            Self::Webp => "webp",
        }
    }

    pub fn from_extension(ext: &str) -> Option<Self> {
        [Self::Png, Self::Jpeg, Self::Gif, Self::Webp]
            .into_iter()
            .find(|t| t.extension() == ext)
    }
}

pub const RULES: &str = "PNG, JPEG, GIF or WebP, up to 5 MB and 4,000 pixels on each side.";
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The largest canvas accepted on either side; decoding refuses more before it allocates.
pub const MAX_SIDE: u32 = 4000;

/// The type these bytes start like, or why they are refused.
pub fn sniff(bytes: &[u8]) -> Result<ImageType, String> {
    if bytes.is_empty() {
        return Err("The file is empty.".into());
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(ImageType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(ImageType::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Ok(ImageType::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Ok(ImageType::Webp)
    } else if looks_like_markup(bytes) {
        Err(
            "SVG and HTML files are not accepted: they can carry script. Export the banner as PNG, JPEG, GIF or WebP."
                .into(),
        )
    } else {
        Err(format!("This file is not an image we accept. Use {RULES}"))
    }
}

fn looks_like_markup(bytes: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let start = start.trim_start_matches('\u{feff}').trim_start();
    start.starts_with('<') || start.contains("<svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_known_by_their_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Ok(ImageType::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(ImageType::Jpeg));
        assert_eq!(sniff(b"GIF89a\x01\0"), Ok(ImageType::Gif));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Ok(ImageType::Webp));
    }

    #[test]
    fn markup_executables_and_empty_files_are_refused_with_a_reason() {
        assert!(sniff(b"<?xml version=\"1.0\"?><svg onload=alert(1)>")
            .unwrap_err()
            .contains("SVG"));
        assert!(sniff(b"  <html><script>alert(1)</script>")
            .unwrap_err()
            .contains("script"));
        assert!(sniff(b"MZ\x90\0\x03\0\0\0").unwrap_err().contains("not an image"));
        assert!(sniff(b"").unwrap_err().contains("empty"));
    }

    #[test]
    fn extensions_map_back_to_types() {
        for t in [ImageType::Png, ImageType::Jpeg, ImageType::Gif, ImageType::Webp] {
            assert_eq!(ImageType::from_extension(t.extension()), Some(t));
        }
        assert_eq!(ImageType::from_extension("svg"), None);
    }
}
