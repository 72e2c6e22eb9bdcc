//! Certifications: when one is awarded or renewed, how long it is valid, and when its holder is
//! reminded that it is about to expire.

use time::{Date, Duration, Month, OffsetDateTime};

/// A certificate close enough to expiry that passing again renews it, and that the portal and
/// the console call "expires soon".
pub const RENEWAL_WINDOW: Duration = Duration::days(30);

/// `months` calendar months after `from`, on the same day or the month's last day.
pub fn valid_until(from: OffsetDateTime, months: u32) -> OffsetDateTime {
    let total = from.year() * 12 + (from.month() as i32 - 1) + months as i32;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u8 + 1);
    let month = Month::try_from(month).unwrap_or(Month::January);
    let day = from.day().min(month.length(year));
    let date = Date::from_calendar_date(year, month, day).unwrap_or(from.date());
    from.replace_date(date)
}

/// Whether a person who now holds every course of a certification gets a new certificate:
/// when they hold none, when theirs has expired, or when it is inside the renewal window.
pub fn awards(passed_every_course: bool, current_valid_until: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    passed_every_course && current_valid_until.is_none_or(|until| until - now <= RENEWAL_WINDOW)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Valid,
    ExpiresSoon { days: i64 },
    Expired,
}

impl Status {
    pub fn label(self) -> String {
        match self {
            Self::Valid => "Valid".into(),
            Self::ExpiresSoon { days: 0 } => "Expires today".into(),
            Self::ExpiresSoon { days: 1 } => "Expires in 1 day".into(),
            Self::ExpiresSoon { days } => format!("Expires in {days} days"),
            Self::Expired => "Expired".into(),
        }
    }
}

pub fn status(valid_until: OffsetDateTime, now: OffsetDateTime) -> Status {
    if valid_until <= now {
        Status::Expired
    } else if valid_until - now <= RENEWAL_WINDOW {
        Status::ExpiresSoon {
            days: (valid_until - now).whole_days(),
        }
    } else {
        Status::Valid
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reminder {
    ThirtyDays,
    SevenDays,
}

/// The reminder due now, if any. Each goes once; a certificate that is already inside seven
/// days gets only the seven-day one.
pub fn reminder_due(valid_until: OffsetDateTime, now: OffsetDateTime, sent_30: bool, sent_7: bool) -> Option<Reminder> {
    let left = valid_until - now;
    if left <= Duration::ZERO {
        None
    } else if left <= Duration::days(7) {
        (!sent_7).then_some(Reminder::SevenDays)
    } else if left <= Duration::days(30) {
        (!sent_30).then_some(Reminder::ThirtyDays)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-05 12:00 UTC);

    #[test]
    fn validity_counts_calendar_months_and_clamps_to_the_month_end() {
        assert_eq!(valid_until(NOW, 12), datetime!(2027-12-05 12:00 UTC));
        assert_eq!(valid_until(NOW, 1), datetime!(2027-01-05 12:00 UTC));
        assert_eq!(
            valid_until(datetime!(2027-01-31 9:00 UTC), 1),
            datetime!(2027-02-28 9:00 UTC)
        );
        assert_eq!(
            valid_until(datetime!(2027-11-30 9:00 UTC), 3),
            datetime!(2028-02-29 9:00 UTC)
        );
    }

    #[test]
    fn a_certificate_is_awarded_renewed_inside_the_window_and_not_doubled() {
        assert!(awards(true, None, NOW));
        assert!(!awards(false, None, NOW));
        assert!(awards(true, Some(NOW - Duration::days(1)), NOW), "expired: renewed");
        assert!(awards(true, Some(NOW + Duration::days(30)), NOW), "inside the window");
        assert!(!awards(true, Some(NOW + Duration::days(31)), NOW), "still well valid");
    }

    #[test]
    fn status_says_valid_expiring_or_expired() {
        assert_eq!(status(NOW + Duration::days(90), NOW), Status::Valid);
        assert_eq!(status(NOW + Duration::days(7), NOW), Status::ExpiresSoon { days: 7 });
        assert_eq!(status(NOW, NOW), Status::Expired);
        assert_eq!(Status::ExpiresSoon { days: 1 }.label(), "Expires in 1 day");
    }

    #[test]
    fn reminders_go_at_thirty_and_seven_days_once_each() {
        assert_eq!(reminder_due(NOW + Duration::days(31), NOW, false, false), None);
        assert_eq!(
            reminder_due(NOW + Duration::days(30), NOW, false, false),
            Some(Reminder::ThirtyDays)
        );
        assert_eq!(reminder_due(NOW + Duration::days(20), NOW, true, false), None);
        assert_eq!(
            reminder_due(NOW + Duration::days(7), NOW, true, false),
            Some(Reminder::SevenDays)
        );
        assert_eq!(
            reminder_due(NOW + Duration::days(3), NOW, false, false),
            Some(Reminder::SevenDays),
            "late: only the nearer reminder"
        );
        assert_eq!(reminder_due(NOW + Duration::days(3), NOW, false, true), None);
        assert_eq!(reminder_due(NOW - Duration::days(1), NOW, false, false), None);
    }
}
