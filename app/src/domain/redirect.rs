//! The `next` parameter after login: only local paths, so that a login link can never send
//! someone to another site.

/// Returns the path when it is a local absolute path, `None` otherwise.
pub fn safe_next(next: &str) -> Option<&str> {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && next.len() <= 512;
    local.then_some(next)
}

/// Where a user lands after login when `next` is absent or refused.
pub fn home_for(is_operator: bool) -> &'static str {
    if is_operator {
        "/console"
    } else {
        "/portal"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn local_paths_pass_and_everything_else_is_refused() {
        assert_eq!(
            safe_next("/console/applications?status=applied"),
            Some("/console/applications?status=applied")
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil",
            "javascript:alert(1)",
            "",
            "console",
            "/a\nb",
            "/ x",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?} must be refused");
        }
    }

    proptest! {
        #[test]
        fn accepted_values_never_leave_the_site(s in ".{0,80}") {
            if let Some(path) = safe_next(&s) {
                prop_assert!(path.starts_with('/'));
                prop_assert!(!path.starts_with("//"));
                prop_assert!(!path.contains('\\'));
            }
        }
    }
}
