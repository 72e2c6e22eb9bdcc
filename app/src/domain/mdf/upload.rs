//! Proof-of-performance files: which kinds are accepted (PDF, PNG, JPEG, WebP, recognized by
//! their first bytes, never by what the browser says), how large they may be, and a file name
//! that is safe to send back in a download header.

pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_FILES: usize = 3;
/// The most a claim form's body can be: every file at its limit plus the form's text.
pub const MAX_BODY_BYTES: usize = MAX_FILES * MAX_FILE_BYTES + 64 * 1024;
pub const LIMITS_TEXT: &str = "PDF, PNG, JPEG or WebP, up to 5 MB each, at most 3 files.";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    Webp,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
        }
    }
}

/// The kind of file these bytes start like, if it is one we accept.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"%PDF-") {
        Some(Kind::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Kind::Webp)
    } else {
        None
    }
}

/// The name to keep: the last path segment, without control characters, quotes or slashes,
/// at most 200 characters; "proof" when nothing is left.
pub fn safe_filename(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | ';' | '<' | '>'))
        .take(200)
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if trimmed.is_empty() {
        "proof".into()
    } else {
        trimmed
    }
}

/// Checks one uploaded file; the message names it.
pub fn check(name: &str, bytes: &[u8]) -> Result<Kind, String> {
    let shown = safe_filename(name);
    if bytes.is_empty() {
        return Err(format!("\"{shown}\" is empty."));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(&shown));
    }
    sniff(bytes).ok_or_else(|| {
        format!("\"{shown}\" is not a PDF, PNG, JPEG or WebP file. Only those kinds are accepted as proof.")
    })
}

pub fn too_large(shown: &str) -> String {
    format!("\"{shown}\" is larger than 5 MB. Upload a smaller file (or a PDF export of it).")
}

/// "1.2 MB", "340 KB".
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_recognized_by_their_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(Kind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(Kind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Kind::Jpeg));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(Kind::Webp));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WAVEfmt "), None);
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
    }

    #[test]
    fn files_are_checked_and_named_safely() {
        assert_eq!(check("flyer.pdf", b"%PDF-1.4"), Ok(Kind::Pdf));
        assert!(check("x.pdf", b"").unwrap_err().contains("empty"));
        assert!(check("evil.pdf", b"<html>")
            .unwrap_err()
            .contains("not a PDF, PNG, JPEG or WebP"));
        let big = vec![b'%'; MAX_FILE_BYTES + 1];
        assert!(check("big.pdf", &big).unwrap_err().contains("larger than 5 MB"));
        assert_eq!(safe_filename("C:\\Users\\me\\report \"final\".pdf"), "report final.pdf");
        assert_eq!(safe_filename("../../etc/passwd"), "passwd");
        assert_eq!(safe_filename("\u{0}"), "proof");
        assert_eq!(safe_filename(".hidden"), "hidden");
        assert_eq!(size_text(1536 * 1024), "1.5 MB");
        assert_eq!(size_text(2000), "2 KB");
    }
}
