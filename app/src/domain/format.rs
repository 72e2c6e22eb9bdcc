//! Display formats shared by every page.

use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// "2026-11-21 14:03 UTC".
pub fn datetime(at: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    utc.format(format_description!("[year]-[month]-[day] [hour]:[minute] UTC"))
        .unwrap_or_default()
}

/// "21 Nov 2026", the day in UTC.
pub fn date(at: OffsetDateTime) -> String {
    day(at.to_offset(time::UtcOffset::UTC).date())
}

/// "21 Nov 2026".
pub fn day(date: Date) -> String {
    date.format(format_description!("[day padding:none] [month repr:short] [year]"))
        .unwrap_or_default()
}

/// "Nov 2026".
pub fn month(date: Date) -> String {
    date.format(format_description!("[month repr:short] [year]"))
        .unwrap_or_default()
}

/// Who is logged in to the portal: "Ana Lopez · Bright Reviews", or the company once when the
/// person's name is the company's (a partner that signed up under its own name).
pub fn person_and_company(person: &str, company: &str) -> String {
    let same = |a: &str, b: &str| {
        let words = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
        words(a) == words(b)
    };
    let (person, company) = (person.trim(), company.trim());
    if person.is_empty() || same(person, company) {
        company.to_owned()
    } else if company.is_empty() {
        person.to_owned()
    } else {
        format!("{person} · {company}")
    }
}

/// A file's size for people: "25 MB", "1.5 MB", "800 KB".
pub fn file_size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        let tenths = bytes * 10 / MB;
        match tenths % 10 {
            0 => format!("{} MB", tenths / 10),
            rest => format!("{}.{rest} MB", tenths / 10),
        }
    } else {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::person_and_company;
    use time::macros::datetime;

    #[test]
    fn the_company_is_named_once() {
        assert_eq!(
            person_and_company("Ana Lopez", "Bright Reviews"),
            "Ana Lopez · Bright Reviews"
        );
        assert_eq!(person_and_company("Bright Reviews", "Bright Reviews"), "Bright Reviews");
        assert_eq!(
            person_and_company(" bright  reviews ", "Bright Reviews"),
            "Bright Reviews"
        );
        assert_eq!(person_and_company("", "Bright Reviews"), "Bright Reviews");
        assert_eq!(person_and_company("Ana Lopez", ""), "Ana Lopez");
    }

    #[test]
    fn times_are_shown_in_utc() {
        let at = datetime!(2026-11-21 15:03:09 +01:00);
        assert_eq!(super::datetime(at), "2026-11-21 14:03 UTC");
        assert_eq!(super::date(at), "21 Nov 2026");
    }

    #[test]
    fn file_sizes_read_as_people_say_them() {
        assert_eq!(super::file_size(25 * 1024 * 1024), "25 MB");
        assert_eq!(super::file_size(1536 * 1024), "1.5 MB");
        assert_eq!(super::file_size(800 * 1024), "800 KB");
        assert_eq!(super::file_size(10), "1 KB");
    }
}
