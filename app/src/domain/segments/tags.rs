//! Operators' own labels on a partner in a program ("newsletter", "q3-push"), which segments
//! filter on.

/// The most tags one membership carries (the database checks it too).
pub const MAX_TAGS: usize = 20;

/// One tag: 1 to 30 lowercase letters, digits, `-` or `_`. Typed case is folded.
pub fn tag(text: &str) -> Result<String, String> {
    let tag = text.trim().to_lowercase();
    let ok = (1..=30).contains(&tag.chars().count())
        && tag
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_'));
    if ok {
        Ok(tag)
    } else {
        Err(format!(
            "\"{}\" isn't a tag: use up to 30 letters, digits, - and _ (like q3-push).",
            text.trim()
        ))
    }
}

/// A comma-separated list of tags, each once, in the order typed.
pub fn parse_list(text: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for part in text.split(',').filter(|p| !p.trim().is_empty()) {
        let tag = tag(part)?;
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(format!("A partner carries at most {MAX_TAGS} tags."));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_fold_case_drop_repeats_and_refuse_odd_characters() {
        assert_eq!(
            parse_list(" News, q3-push,news ,"),
            Ok(vec!["news".into(), "q3-push".into()])
        );
        assert_eq!(parse_list(""), Ok(vec![]));
        assert!(parse_list("ok, two words").unwrap_err().contains("\"two words\""));
        let many: Vec<String> = (0..=MAX_TAGS).map(|n| format!("t{n}")).collect();
        assert!(parse_list(&many.join(",")).unwrap_err().contains("at most"));
    }
}
