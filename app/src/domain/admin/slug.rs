//! Program slugs: the `{slug}` in `/join/{slug}`. Lowercase letters, digits and single hyphens,
//! 2 to 63 characters, and never a word the app's own paths use.

/// Words that name the app's own paths (or look like they do), so a program can't shadow them
/// in links or in people's minds.
pub const RESERVED: [&str; 24] = [
    "admin",
    "api",
    "assets",
    "console",
    "favicon",
    "healthz",
    "join",
    "login",
    "logout",
    "mdf",
    "new",
    "pkg",
    "portal",
    "postback",
    "public",
    "r",
    "set-password",
    "settings",
    "setup",
    "static",
    "support",
    "t",
    "trellis",
    "www",
];

pub const MAX_LEN: usize = 63;

/// The slug, or why it can't be one.
pub fn validate(value: &str) -> Result<String, String> {
    let slug = value.trim();
    if slug.is_empty() {
        return Err("Choose the address of the program's join page, such as acme-partners.".into());
    }
    if slug.len() < 2 || slug.len() > MAX_LEN {
        return Err(format!("Use between 2 and {MAX_LEN} characters."));
    }
    if !slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err("Use only lowercase letters, digits and hyphens (no spaces or accents).".into());
    }
    if slug.starts_with('-') || slug.ends_with('-') || slug.contains("--") {
        return Err("Hyphens go between words: not at the start or end, and not two in a row.".into());
    }
    if RESERVED.contains(&slug) {
        return Err(format!(
            "\"{slug}\" is reserved for Trellis's own pages. Choose another."
        ));
    }
    Ok(slug.to_owned())
}

/// A slug suggested from a program name: "Acme Partners (EU)" becomes "acme-partners-eu".
pub fn suggest(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let trimmed: String = slug.trim_end_matches('-').chars().take(MAX_LEN).collect();
    trimmed.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_slugs_pass_and_bad_ones_say_why() {
        assert_eq!(validate(" acme-partners "), Ok("acme-partners".into()));
        assert_eq!(validate("q4"), Ok("q4".into()));
        assert!(validate("").unwrap_err().contains("Choose"));
        assert!(validate("a").unwrap_err().contains("between 2"));
        assert!(validate(&"a".repeat(64)).unwrap_err().contains("between 2"));
        assert!(validate("Acme").unwrap_err().contains("lowercase"));
        assert!(validate("acme partners").unwrap_err().contains("lowercase"));
        assert!(validate("café").unwrap_err().contains("lowercase"));
        assert!(validate("acme/../x").unwrap_err().contains("lowercase"));
        assert!(validate("-acme").unwrap_err().contains("Hyphens"));
        assert!(validate("acme--eu").unwrap_err().contains("Hyphens"));
        for word in RESERVED.iter().filter(|w| w.len() >= 2) {
            assert!(validate(word).unwrap_err().contains("reserved"), "{word}");
        }
    }

    #[test]
    fn suggestions_are_valid_slugs() {
        assert_eq!(suggest("Acme Partners (EU)"), "acme-partners-eu");
        assert_eq!(suggest("  Ünïcode & Co "), "n-code-co");
        assert_eq!(suggest("!!!"), "");
        assert!(validate(&suggest(&"long name ".repeat(20))).is_ok());
    }
}
