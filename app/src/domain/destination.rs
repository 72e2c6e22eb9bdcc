//! Landing pages for tracked links: http(s) URLs whose host is one of the program's allowed
//! domains (or a subdomain of one). Only URLs that pass are stored, and only stored URLs are
//! ever redirected to.

/// The host of an http(s) URL, lower-cased, without port or credentials; `None` when the value
/// is not such a URL.
pub fn host_of(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains('@') || authority.is_empty() {
        return None;
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => host,
        Some(_) => return None,
        None => authority,
    };
    let valid = host.contains('.')
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    valid.then(|| host.to_owned())
}

/// Normalises one allowed-domain entry: "Shop.Example.com" → "shop.example.com".
pub fn allowed_domain(value: &str) -> Result<String, String> {
    let value = value.trim().trim_end_matches('.').to_ascii_lowercase();
    match host_of(&format!("https://{value}")) {
        Some(host) if host == value => Ok(host),
        _ => Err(format!("\"{value}\" is not a domain name like shop.example.com.")),
    }
}

/// Checks a destination URL against the allowed domains.
pub fn check(url: &str, allowed: &[String]) -> Result<String, String> {
    let url = url.trim();
    if url.len() > 2000 {
        return Err("The destination must be at most 2000 characters.".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("The destination can't contain spaces.".into());
    }
    let Some(host) = host_of(url) else {
        return Err("Enter a full web address that starts with https://, like https://shop.example.com/page.".into());
    };
    if allowed.is_empty() {
        return Err("This program has no allowed landing domains yet. Ask the program manager to add one.".into());
    }
    if host_allowed(&host, allowed) {
        Ok(url.to_owned())
    } else {
        Err(format!(
            "{host} is not an allowed landing domain for this program. Allowed: {}.",
            allowed.join(", ")
        ))
    }
}

/// Whether a host is one of the allowed domains or a subdomain of one.
fn host_allowed(host: &str, allowed: &[String]) -> bool {
    allowed
        .iter()
        .any(|domain| host == domain || host.ends_with(&format!(".{domain}")))
}

/// Whether a stored destination still leads to an allowed domain (after the program's list
/// changed). A destination that isn't a web address at all is off the list too.
pub fn still_allowed(url: &str, allowed: &[String]) -> bool {
    host_of(url).is_some_and(|host| host_allowed(&host, allowed))
}

/// Appends `name=value` to a URL's query, before any fragment.
pub fn with_param(url: &str, name: &str, value: &str) -> String {
    let (base, fragment) = url.split_once('#').map_or((url, None), |(b, f)| (b, Some(f)));
    let separator = if base.contains('?') { '&' } else { '?' };
    match fragment {
        Some(f) => format!("{base}{separator}{name}={value}#{f}"),
        None => format!("{base}{separator}{name}={value}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn allowed() -> Vec<String> {
        vec!["shop.example.com".into(), "example.org".into()]
    }

    #[test]
    fn destinations_must_be_on_an_allowed_domain() {
        assert!(check("https://shop.example.com/spring?x=1", &allowed()).is_ok());
        assert!(
            check("https://www.example.org/", &allowed()).is_ok(),
            "subdomains count"
        );
        let err = check("https://evil.example.net/", &allowed()).unwrap_err();
        assert!(
            err.contains("evil.example.net is not an allowed landing domain"),
            "{err}"
        );
        assert!(
            check("https://notexample.org/", &allowed()).is_err(),
            "suffix without a dot is another domain"
        );
        assert!(
            check("https://shop.example.com@evil.net/", &allowed()).is_err(),
            "credentials trick"
        );
        assert!(check("javascript:alert(1)", &allowed()).is_err());
        assert!(check("//shop.example.com/", &allowed()).is_err());
        assert!(check("https://shop.example.com/a b", &allowed()).is_err());
        assert!(check("https://shop.example.com/", &[])
            .unwrap_err()
            .contains("no allowed landing domains"));
    }

    #[test]
    fn links_left_off_the_list_are_found() {
        let now = vec!["example.org".to_owned()];
        assert!(still_allowed("https://www.example.org/spring", &now));
        assert!(still_allowed("https://EXAMPLE.org", &now));
        assert!(
            !still_allowed("https://shop.example.com/spring", &now),
            "removed domain"
        );
        assert!(!still_allowed("https://notexample.org/", &now));
        assert!(!still_allowed("not a url", &now));
        assert!(!still_allowed("https://www.example.org/", &[]), "no domains left");
    }

    #[test]
    fn allowed_domains_are_normalised() {
        assert_eq!(allowed_domain(" Shop.Example.COM. ").unwrap(), "shop.example.com");
        assert!(allowed_domain("https://x.com").is_err());
        assert!(allowed_domain("localhost").is_err());
    }

    #[test]
    fn click_ids_go_before_the_fragment() {
        assert_eq!(with_param("https://a.com/p", "c", "1"), "https://a.com/p?c=1");
        assert_eq!(
            with_param("https://a.com/p?x=2#top", "c", "1"),
            "https://a.com/p?x=2&c=1#top"
        );
    }

    proptest! {
        #[test]
        fn accepted_destinations_stay_on_allowed_hosts(s in "https?://[a-z.@:]{0,30}(/[a-z?=&#]{0,10})?") {
            if let Ok(url) = check(&s, &allowed()) {
                let host = host_of(&url).unwrap();
                prop_assert!(host == "shop.example.com" || host == "example.org" || host.ends_with(".example.org") || host.ends_with(".shop.example.com"));
            }
        }
    }
}
