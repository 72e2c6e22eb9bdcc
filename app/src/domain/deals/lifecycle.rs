//! Where a registration stands and what may happen to it next. A registration is pending until
//! a manager decides; an approved one is protected until its window ends, and the partner moves
//! it through the sales stages to won or lost. Rejected, expired, won and lost are final.

use super::forecast::Stage;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// How long before protection ends the partner is warned.
pub const EXPIRY_WARNING_DAYS: i64 = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Approved,
    Rejected,
    Expired,
    Won,
    Lost,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Self::Pending,
        Self::Approved,
        Self::Rejected,
        Self::Expired,
        Self::Won,
        Self::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
            Self::Won => "won",
            Self::Lost => "lost",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Waiting for approval",
            Self::Approved => "Approved and protected",
            Self::Rejected => "Rejected",
            Self::Expired => "Protection expired",
            Self::Won => "Won",
            Self::Lost => "Lost",
        }
    }
}

pub fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Registered => "Registered",
        Stage::Qualified => "Qualified",
        Stage::Proposal => "Proposal",
        Stage::Negotiation => "Negotiation",
        Stage::Won => "Won",
        Stage::Lost => "Lost",
    }
}

/// Whether the deal's protection is in force at `now`.
pub fn is_protected(status: Status, protected_until: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    status == Status::Approved && protected_until.is_some_and(|until| until > now)
}

/// Why the deal can't move to `to` now, if it can't. Only an approved deal still under
/// protection moves; `registered` is where deals start, not somewhere to go back to.
pub fn check_stage_change(
    status: Status,
    protected_until: Option<OffsetDateTime>,
    to: Stage,
    now: OffsetDateTime,
) -> Result<(), String> {
    match status {
        Status::Pending => {
            return Err("This deal is waiting for approval; its stage can change once it is approved.".into())
        }
        Status::Rejected => return Err("This deal was rejected, so its stage can't change.".into()),
        Status::Expired => return Err("This deal's protection expired, so its stage can't change.".into()),
        Status::Won | Status::Lost => return Err("This deal is closed, so its stage can't change.".into()),
        Status::Approved => {}
    }
    if !is_protected(status, protected_until, now) {
        return Err("This deal's protection expired, so its stage can't change.".into());
    }
    if to == Stage::Registered {
        return Err("Choose qualified, proposal, negotiation, won or lost.".into());
    }
    Ok(())
}

/// The status a stage change leaves the deal in.
pub fn status_after(to: Stage) -> Status {
    match to {
        Stage::Won => Status::Won,
        Stage::Lost => Status::Lost,
        _ => Status::Approved,
    }
}

/// Why the partner can't ask for more protection now, if they can't.
pub fn check_extension_request(
    status: Status,
    protected_until: Option<OffsetDateTime>,
    days: i32,
    max_days: i32,
    now: OffsetDateTime,
) -> Result<(), String> {
    if !is_protected(status, protected_until, now) {
        return Err("Only an approved deal under protection can be extended.".into());
    }
    if days < 1 || days > max_days {
        return Err(format!("Ask for 1 to {max_days} days."));
    }
    Ok(())
}

/// Whether the 7-day warning is due (and not sent yet for this protection window).
pub fn expiry_warning_due(protected_until: OffsetDateTime, warned: bool, now: OffsetDateTime) -> bool {
    !warned && protected_until > now && protected_until - Duration::days(EXPIRY_WARNING_DAYS) <= now
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-21 12:00 UTC);

    #[test]
    fn only_protected_approved_deals_change_stage() {
        let later = Some(NOW + Duration::days(30));
        assert!(check_stage_change(Status::Approved, later, Stage::Proposal, NOW).is_ok());
        assert!(check_stage_change(Status::Approved, later, Stage::Won, NOW).is_ok());
        for status in [
            Status::Pending,
            Status::Rejected,
            Status::Expired,
            Status::Won,
            Status::Lost,
        ] {
            assert!(
                check_stage_change(status, later, Stage::Proposal, NOW).is_err(),
                "{status:?}"
            );
        }
        let rejected = check_stage_change(Status::Rejected, later, Stage::Won, NOW).unwrap_err();
        assert!(rejected.contains("rejected"));
        // The window ended but the job hasn't run yet: it counts as expired.
        assert!(check_stage_change(Status::Approved, Some(NOW), Stage::Won, NOW)
            .unwrap_err()
            .contains("expired"));
        assert!(check_stage_change(Status::Approved, later, Stage::Registered, NOW).is_err());
        assert_eq!(status_after(Stage::Won), Status::Won);
        assert_eq!(status_after(Stage::Lost), Status::Lost);
        assert_eq!(status_after(Stage::Negotiation), Status::Approved);
    }

    #[test]
    fn extensions_and_warnings() {
        let later = Some(NOW + Duration::days(3));
        assert!(check_extension_request(Status::Approved, later, 30, 90, NOW).is_ok());
        assert!(check_extension_request(Status::Approved, later, 0, 90, NOW).is_err());
        assert!(check_extension_request(Status::Approved, later, 91, 90, NOW).is_err());
        assert!(check_extension_request(Status::Expired, later, 30, 90, NOW).is_err());
        let until = NOW + Duration::days(7);
        assert!(expiry_warning_due(until, false, NOW));
        assert!(!expiry_warning_due(until, true, NOW));
        assert!(!expiry_warning_due(until + Duration::seconds(1), false, NOW));
        assert!(
            !expiry_warning_due(NOW, false, NOW),
            "already over: the expiry notice says it"
        );
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
    }
}
