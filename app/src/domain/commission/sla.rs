//! Approval SLAs: a reminder once an item has waited `remind_after_hours`, an escalation to an
//! admin after `escalate_after_hours`.

use time::{Duration, OffsetDateTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sla {
    OnTime,
    Reminder,
    Escalation,
}

impl Sla {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnTime => "on_time",
            Self::Reminder => "overdue",
            Self::Escalation => "escalated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::OnTime => "On time",
            Self::Reminder => "Past the SLA",
            Self::Escalation => "Escalated",
        }
    }
}

pub fn sla(
    waiting_since: OffsetDateTime,
    now: OffsetDateTime,
    remind_after_hours: i32,
    escalate_after_hours: i32,
) -> Sla {
    let waited = now - waiting_since;
    if waited >= Duration::hours(escalate_after_hours.into()) {
        Sla::Escalation
    } else if waited >= Duration::hours(remind_after_hours.into()) {
        Sla::Reminder
    } else {
        Sla::OnTime
    }
}

/// "3 h", "2 d 4 h": how long an item has waited.
pub fn waited_text(waiting_since: OffsetDateTime, now: OffsetDateTime) -> String {
    let hours = (now - waiting_since).whole_hours().max(0);
    match (hours / 24, hours % 24) {
        (0, h) => format!("{h} h"),
        (d, 0) => format!("{d} d"),
        (d, h) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn thresholds_are_inclusive() {
        let since = datetime!(2026-11-01 00:00 UTC);
        assert_eq!(sla(since, since + Duration::hours(23), 24, 72), Sla::OnTime);
        assert_eq!(sla(since, since + Duration::hours(24), 24, 72), Sla::Reminder);
        assert_eq!(sla(since, since + Duration::hours(72), 24, 72), Sla::Escalation);
        assert_eq!(waited_text(since, since + Duration::hours(52)), "2 d 4 h");
    }
}
