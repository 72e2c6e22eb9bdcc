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

/// Where the agreements page sends a partner person on once nothing waits: a local portal path
/// other than the agreements page itself; anything else is `None`.
pub fn portal_return_path(next: &str) -> Option<String> {
    let path = safe_next(next)?;
    let portal = path == "/portal" || path.starts_with("/portal/") || path.starts_with("/portal?");
    (portal && !path.starts_with("/portal/agreements")).then(|| path.to_owned())
}

/// Where a change made from a page of the area at `home` ("/console", "/portal") sends the person
/// back to: `back` when it is a local path inside that area, else the area's home.
pub fn back_within<'a>(home: &'a str, back: &'a str) -> &'a str {
    safe_next(back)
        .filter(|path| {
            path.strip_prefix(home)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
        })
        .unwrap_or(home)
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
    fn switching_brands_returns_only_to_a_page_of_the_same_area() {
        assert_eq!(
            back_within("/console", "/console/deals?page=2"),
            "/console/deals?page=2"
        );
        assert_eq!(back_within("/console", "/console"), "/console");
        assert_eq!(back_within("/portal", "/portal?program=3"), "/portal?program=3");
        for elsewhere in [
            "/consoles",
            "/portal/links",
            "//evil.test/console",
            "https://evil.test/console",
            "/console\\x",
            "",
        ] {
            assert_eq!(back_within("/console", elsewhere), "/console", "{elsewhere}");
        }
    }

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

    #[test]
    fn the_agreements_page_returns_only_to_other_portal_pages() {
        assert_eq!(
            portal_return_path("/portal/links?x=1").as_deref(),
            Some("/portal/links?x=1")
        );
        assert_eq!(portal_return_path("/portal").as_deref(), Some("/portal"));
        for bad in [
            "/console",
            "/portalx",
            "//evil.example/portal",
            "/portal/agreements?next=/portal",
            "https://evil.example/portal",
        ] {
            assert_eq!(portal_return_path(bad), None, "{bad:?} must be refused");
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
