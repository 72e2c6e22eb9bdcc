//! Field validation shared by forms and server functions. Errors name the field they belong to
//! so that the UI can show each one beside its input.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The errors of one form submission, in field order, and the values that were submitted (so a
/// page reloaded without JavaScript can show them again; never passwords).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors {
    pub errors: Vec<FieldError>,
    #[serde(default)]
    pub submitted: Vec<(String, String)>,
}

impl FieldErrors {
    /// Errors with one message on one field.
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.errors.push(FieldError {
                field: field.to_owned(),
                message: message.into(),
            });
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Adds another form part's errors (each field keeps its first message).
    pub fn merge(&mut self, other: FieldErrors) {
        for e in other.errors {
            self.add(&e.field, e.message);
        }
    }

    /// Keeps what the user typed, to fill the form again.
    pub fn with_submitted(mut self, values: &[(&str, &str)]) -> Self {
        self.submitted = values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self
    }

    /// The same errors with each field named `{prefix}{field}`: for the form of one row among
    /// many on a page, whose fields carry the row's prefix.
    pub fn scoped(mut self, prefix: &str) -> Self {
        for error in &mut self.errors {
            error.field = format!("{prefix}{}", error.field);
        }
        for (field, _) in &mut self.submitted {
            *field = format!("{prefix}{field}");
        }
        self
    }

    pub fn submitted(&self, field: &str) -> Option<&str> {
        self.submitted.iter().find(|(k, _)| k == field).map(|(_, v)| v.as_str())
    }

    /// Records the error of a check, if any, and returns its value.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }
}

/// Trims and requires between 1 and `max` characters; control characters are refused.
/// A whole number from `min` to `max` of `unit` (days, hours), or a message naming the field.
pub fn whole(text: &str, min: i32, max: i32, label: &str, unit: &str) -> Result<i32, String> {
    match text.trim().parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("{label}: enter a whole number of {unit} from {min} to {max}.")),
    }
}

pub fn required_text(value: &str, label: &str, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(format!("{label} is required."));
    }
    optional_text(trimmed, label, max).map(|v| v.unwrap_or_default())
}

/// Trims; empty becomes `None`. Longer than `max` characters or containing control characters
/// (other than line breaks and tabs) is refused.
pub fn optional_text(value: &str, label: &str, max: usize) -> Result<Option<String>, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(format!("{label} must be at most {max} characters."));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(format!("{label} contains characters that are not allowed."));
    }
    Ok(Some(trimmed.to_owned()))
}

/// A practical email check: one `@`, a non-empty local part, a dotted domain of letters, digits
/// and hyphens, no spaces, at most 254 characters. Returns the address trimmed; case is kept
/// (lookups compare case-insensitively).
pub fn email(value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("Email is required.".into());
    }
    let invalid = || Err("Enter a valid email address, like name@example.com.".into());
    if value.len() > 254 {
        return Err("Email must be at most 254 characters.".into());
    }
    let Some((local, domain)) = value.split_once('@') else {
        return invalid();
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(value.to_owned())
    } else {
        invalid()
    }
}

/// An optional http(s) website. A bare domain gets `https://` in front.
pub fn website(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.len() > 300 {
        return Err("Website must be at most 300 characters.".into());
    }
    let lower = value.to_ascii_lowercase();
    let with_scheme = if lower.starts_with("http://") || lower.starts_with("https://") {
        value.to_owned()
    } else if lower.contains("://") {
        return Err("Website must start with http:// or https://.".into());
    } else {
        format!("https://{value}")
    };
    let rest = with_scheme.split_once("://").map(|(_, r)| r).unwrap_or("");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    let host_ok = host.contains('.')
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if !host_ok || with_scheme.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("Enter a valid website address, like https://example.com.".into());
    }
    Ok(Some(with_scheme))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_that_pass_and_fail() {
        assert_eq!(email("  Ana@Example.com ").unwrap(), "Ana@Example.com");
        assert!(email("a.b+tag@sub.example.co.uk").is_ok());
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "a@exa mple.com",
            "a@-x.com",
            "a..b@c.com",
            "<script>@x.com",
            "a@b.c1",
        ] {
            assert!(email(bad).is_err(), "{bad} should be refused");
        }
        assert!(email(&format!("{}@x.com", "a".repeat(65))).is_err());
    }

    #[test]
    fn text_is_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(required_text("  hi ", "Name", 5).unwrap(), "hi");
        assert_eq!(required_text("   ", "Name", 5).unwrap_err(), "Name is required.");
        assert!(required_text("abcdef", "Name", 5).is_err());
        assert!(required_text("a\u{0}b", "Name", 5).is_err());
        assert_eq!(optional_text("line\nnext", "Plan", 20).unwrap().unwrap(), "line\nnext");
        // Markup and SQL metacharacters are data, not errors.
        assert_eq!(
            required_text("<b>'; DROP TABLE x;--", "Name", 50).unwrap(),
            "<b>'; DROP TABLE x;--"
        );
    }

    #[test]
    fn websites_get_a_scheme_and_need_a_host() {
        assert_eq!(website("").unwrap(), None);
        assert_eq!(website("example.com").unwrap().unwrap(), "https://example.com");
        assert_eq!(
            website("http://shop.example.com:8080/x?y=1").unwrap().unwrap(),
            "http://shop.example.com:8080/x?y=1"
        );
        for bad in [
            "javascript:alert(1)",
            "ftp://x.com",
            "not a site",
            "https://",
            "localhost",
        ] {
            assert!(website(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn field_errors_keep_the_first_message_per_field() {
        let mut errors = FieldErrors::default();
        errors.add("email", "first");
        errors.add("email", "second");
        assert_eq!(errors.get("email"), Some("first"));
        assert_eq!(errors.check::<u8>("name", Err("bad".into())), None);
        assert_eq!(errors.get("name"), Some("bad"));
    }
}
