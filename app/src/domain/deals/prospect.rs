//! A prospect's identity for conflict checks: the normalized domain (the database's unique key
//! for open registrations) and a company-name key for near-match warnings.

/// Second-level labels under which companies register (`acme.co.uk`, `acme.com.au`), so that the
/// company's own label is the one before them.
const SECOND_LEVEL: [&str; 12] = [
    "co", "com", "net", "org", "gov", "ac", "edu", "ltd", "plc", "gen", "ne", "or",
];

/// Normalizes what a partner types as a prospect's website or domain: scheme, `www.`, port,
/// path, query and a trailing dot are dropped and letters are lower-cased. The result is the
/// key that makes two registrations of one account collide.
pub fn normalize_domain(input: &str) -> Result<String, String> {
    let mut text = input.trim().to_ascii_lowercase();
    if text.is_empty() {
        return Err("Enter the prospect's website or domain, like acme.com.".into());
    }
    if let Some((_, rest)) = text.split_once("://") {
        text = rest.to_owned();
    }
    // Drop the path and anything before an `@` (user info), then the port.
    let host = text.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or_default().trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_lowercase()));
    if labels.len() < 2 || host.len() > 253 || !labels.iter().all(label_ok) || !tld_ok {
        return Err(format!(
            "\"{}\" is not a domain; enter one like acme.com.",
            input.trim()
        ));
    }
    Ok(host.to_owned())
}

/// The company's own label of a normalized domain: `acme` for `acme.com`, `acme.co.uk` and
/// `shop.acme.de`.
pub fn domain_stem(domain: &str) -> &str {
    let labels: Vec<&str> = domain.split('.').collect();
    match labels.as_slice() {
        [.., name, second, tld] if SECOND_LEVEL.contains(second) && tld.len() == 2 => name,
        [.., name, _tld] => name,
        _ => domain,
    }
}

/// Legal forms left out of a company-name key.
const LEGAL_FORMS: [&str; 16] = [
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "llc",
    "ltd",
    "limited",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "bv",
    "plc",
    "group",
];

/// "Acme, Inc." and "ACME" both give "acme": lower case, letters and digits only, legal forms
/// dropped.
pub fn company_key(name: &str) -> String {
    let cleaned: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = cleaned
        .split_whitespace()
        .filter(|w| !LEGAL_FORMS.contains(w))
        .collect();
    words.concat()
}

/// Why two prospects may be the same account, for the reviewer; `None` when they look unrelated.
/// Exact domain matches are conflicts, not warnings, so they are not reported here.
pub fn near_match(domain: &str, company: &str, other_domain: &str, other_company: &str) -> Option<String> {
    if domain != other_domain && domain_stem(domain) == domain_stem(other_domain) {
        return Some(format!(
            "{other_domain} has the same name as {domain} under another ending"
        ));
    }
    let (a, b) = (company_key(company), company_key(other_company));
    if a.len() >= 3 && a == b {
        return Some(format!("\"{other_company}\" is the same company name as \"{company}\""));
    }
    if a.len() >= 5 && b.len() >= 5 && edit_distance(&a, &b) == 1 {
        return Some(format!("\"{other_company}\" is one letter away from \"{company}\""));
    }
    None
}

/// Keys under which a prospect is stored, so that near matches are found by an index instead of a
/// scan: any two prospects that `near_match` relates share at least one key (a property test
/// holds this), and the candidates a key lookup returns are then checked with `near_match`.
/// - `d:` the domain's stem, for the same name under another ending;
/// - `c:` the company key, for the same company name;
/// - `e:` the company key and each of it with one letter left out: two keys one edit apart (a
///   letter changed, added or dropped) always share one of these.
pub fn match_keys(domain: &str, company: &str) -> Vec<String> {
    let mut keys = vec![format!("d:{}", domain_stem(domain))];
    let key = company_key(company);
    if key.len() >= 3 {
        keys.push(format!("c:{key}"));
    }
    if key.len() >= 5 {
        let chars: Vec<char> = key.chars().collect();
        keys.push(format!("e:{key}"));
        for skip in 0..chars.len() {
            let shorter: String = chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| c)
                .collect();
            keys.push(format!("e:{shorter}"));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_normalize_to_one_key() {
        for input in [
            "acme.com",
            "ACME.com",
            "https://www.acme.com/pricing?x=1",
            "http://acme.com:8080",
            "acme.com.",
        ] {
            assert_eq!(normalize_domain(input).unwrap(), "acme.com", "{input}");
        }
        assert_eq!(normalize_domain("shop.acme.co.uk").unwrap(), "shop.acme.co.uk");
        for bad in [
            "",
            "acme",
            "acme..com",
            "-acme.com",
            "acme.c0m",
            "acme .com",
            "http://",
            "a_b.com",
        ] {
            assert!(normalize_domain(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn near_matches_are_found_and_explained() {
        assert_eq!(domain_stem("acme.co.uk"), "acme");
        assert_eq!(domain_stem("shop.acme.de"), "acme");
        assert!(near_match("acme.com", "Acme", "acme.co.uk", "Acme UK")
            .unwrap()
            .contains("another ending"));
        assert!(near_match("acme.com", "Acme Inc.", "acme-corp.io", "ACME")
            .unwrap()
            .contains("same company name"));
        assert!(near_match("globex.com", "Globex", "globexx.com", "Globexx")
            .unwrap()
            .contains("one letter"));
        assert_eq!(near_match("acme.com", "Acme", "initech.com", "Initech"), None);
        assert_eq!(company_key("Acme, Inc."), "acme");
        assert_eq!(company_key("ACME GmbH & Co"), "acme");
    }

    #[test]
    fn match_keys_name_the_stem_the_company_and_its_one_letter_shorter_forms() {
        assert_eq!(match_keys("acme.co.uk", "Acme Inc."), ["c:acme", "d:acme"]);
        assert_eq!(
            match_keys("globex.com", "Globex"),
            ["c:globex", "d:globex", "e:glbex", "e:globe", "e:globex", "e:globx", "e:gloex", "e:gobex", "e:lobex"]
        );
    }

    mod near_matches_share_a_key {
        use super::super::*;
        use proptest::prelude::*;

        /// Company names close to each other: a short alphabet, so that edits and equal keys happen.
        fn name() -> impl Strategy<Value = String> {
            "[abcé ]{0,9}( inc)?"
        }

        fn domain() -> impl Strategy<Value = String> {
            ("[ab]{1,3}", prop::sample::select(vec!["com", "de", "co.uk", "io"]))
                .prop_map(|(stem, end)| format!("{stem}.{end}"))
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4000))]
            #[test]
            fn whenever_near_match_relates_two_prospects(
                (d1, c1, d2, c2) in (domain(), name(), domain(), name()),
                edit in prop::option::of((0usize..10, prop::sample::select(vec!['a', 'b', 'é', 'x']), 0u8..3)),
            ) {
                // Half the time, derive the second name from the first by one edit.
                let c2 = match edit {
                    Some((at, letter, kind)) => {
                        let mut chars: Vec<char> = c1.chars().collect();
                        let at = at.min(chars.len());
                        match kind {
                            0 if at < chars.len() => chars[at] = letter,
                            1 => chars.insert(at, letter),
                            _ if at < chars.len() => { chars.remove(at); }
                            _ => chars.push(letter),
                        }
                        chars.into_iter().collect()
                    }
                    None => c2,
                };
                if near_match(&d1, &c1, &d2, &c2).is_some() {
                    let (k1, k2) = (match_keys(&d1, &c1), match_keys(&d2, &c2));
                    prop_assert!(k1.iter().any(|k| k2.contains(k)), "{d1} {c1:?} / {d2} {c2:?}: {k1:?} {k2:?}");
                }
            }
        }
    }
}
