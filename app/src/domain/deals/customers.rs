//! Reading an import of existing customer domains: a CSV with a `domain` (or `website`) column,
//! or one domain per line. Every row must be a valid domain, or nothing is imported.

use super::prospect::normalize_domain;

/// The most rows one import takes.
pub const IMPORT_MAX_ROWS: usize = 50_000;

/// The normalized domains, without duplicates, or every bad line (1-based) with its reason.
pub fn parse_import(csv: &str) -> Result<Vec<String>, Vec<String>> {
    let lines: Vec<&str> = csv.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return Err(vec!["The file has no domains.".into()]);
    }
    let header: Vec<String> = split(lines[0]).iter().map(|c| c.to_ascii_lowercase()).collect();
    let named = header.iter().position(|c| c == "domain" || c == "website");
    let (column, rows) = match named {
        Some(column) => (column, &lines[1..]),
        None => (0, &lines[..]),
    };
    if rows.len() > IMPORT_MAX_ROWS {
        return Err(vec![format!("Import at most {IMPORT_MAX_ROWS} domains at a time.")]);
    }
    let first_line = if named.is_some() { 2 } else { 1 };
    let mut domains = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in rows.iter().enumerate() {
        let cells = split(line);
        let cell = cells.get(column).map(String::as_str).unwrap_or("");
        match normalize_domain(cell) {
            Ok(domain) if !domains.contains(&domain) => domains.push(domain),
            Ok(_) => {}
            Err(e) => errors.push(format!("Line {}: {e}", i + first_line)),
        }
    }
    if errors.is_empty() {
        Ok(domains)
    } else {
        errors.truncate(20);
        Err(errors)
    }
}

/// Splits a CSV line on commas, honouring double quotes.
fn split(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().expect("one cell").push('"');
            }
            ('"', _) => quoted = !quoted,
            (',' | ';', false) => cells.push(String::new()),
            (c, _) => cells.last_mut().expect("one cell").push(c),
        }
    }
    cells.into_iter().map(|c| c.trim().to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_named_column_or_plain_lines() {
        let csv = "name,Domain\n\"Acme, Inc.\",https://www.acme.com/\nGlobex,globex.io\nAcme again,ACME.com\n";
        assert_eq!(parse_import(csv).unwrap(), vec!["acme.com", "globex.io"]);
        assert_eq!(
            parse_import("initech.com\n\nhooli.xyz").unwrap(),
            vec!["initech.com", "hooli.xyz"]
        );
    }

    #[test]
    fn any_bad_line_refuses_the_import_and_names_the_line() {
        let errors = parse_import("domain\nacme.com\nnot a domain\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("Line 3:"), "{errors:?}");
        assert!(parse_import("  \n").is_err());
    }
}
