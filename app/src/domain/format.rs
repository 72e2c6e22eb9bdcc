//! Display formats shared by every page.

use time::macros::format_description;
use time::OffsetDateTime;

/// "2026-11-21 14:03 UTC".
pub fn datetime(at: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    utc.format(format_description!("[year]-[month]-[day] [hour]:[minute] UTC"))
        .unwrap_or_default()
}

/// "21 Nov 2026".
pub fn date(at: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    utc.format(format_description!("[day padding:none] [month repr:short] [year]"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    #[test]
    fn times_are_shown_in_utc() {
        let at = datetime!(2026-11-21 15:03:09 +01:00);
        assert_eq!(super::datetime(at), "2026-11-21 14:03 UTC");
        assert_eq!(super::date(at), "21 Nov 2026");
    }
}
