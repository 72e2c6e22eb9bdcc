//! The life of a program membership: applied, then active or rejected; active members can be
//! suspended and reinstated.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MembershipStatus {
    Applied,
    Active,
    Rejected,
    Suspended,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Approve,
    Reject,
    Suspend,
    Reinstate,
}

impl MembershipStatus {
    pub const ALL: [MembershipStatus; 4] = [Self::Applied, Self::Active, Self::Rejected, Self::Suspended];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Active => "active",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Applied => "Waiting for review",
            Self::Active => "Active",
            Self::Rejected => "Rejected",
            Self::Suspended => "Suspended",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

impl Decision {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "approve" => Some(Self::Approve),
            "reject" => Some(Self::Reject),
            "suspend" => Some(Self::Suspend),
            "reinstate" => Some(Self::Reinstate),
            _ => None,
        }
    }

    /// Rejections and suspensions must say why; the partner reads the reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Reject | Self::Suspend)
    }
}

/// The status a decision leads to, or why it can't be taken from the current status.
pub fn apply(current: MembershipStatus, decision: Decision) -> Result<MembershipStatus, String> {
    use Decision::*;
    use MembershipStatus::*;
    match (current, decision) {
        (Applied, Approve) => Ok(Active),
        (Applied, Reject) => Ok(Rejected),
        (Active, Suspend) => Ok(Suspended),
        (Suspended, Reinstate) => Ok(Active),
        (status, _) => Err(format!(
            "This membership is {} and can't be changed that way.",
            status.label().to_lowercase()
        )),
    }
}

/// Whether a member may invite sub-partners: only an active member, and only where the
/// program takes sub-partners by invitation.
pub fn may_invite(status: Option<MembershipStatus>, program_takes_invites: bool) -> bool {
    program_takes_invites && status == Some(MembershipStatus::Active)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::*;
    use MembershipStatus::*;

    #[test]
    fn only_active_members_of_inviting_programs_invite() {
        assert!(may_invite(Some(Active), true));
        assert!(!may_invite(Some(Active), false));
        for status in [Applied, Rejected, Suspended] {
            assert!(!may_invite(Some(status), true), "{status:?}");
        }
        assert!(!may_invite(None, true));
    }

    #[test]
    fn only_listed_transitions_are_allowed() {
        assert_eq!(apply(Applied, Approve), Ok(Active));
        assert_eq!(apply(Applied, Reject), Ok(Rejected));
        assert_eq!(apply(Active, Suspend), Ok(Suspended));
        assert_eq!(apply(Suspended, Reinstate), Ok(Active));
        assert!(apply(Active, Approve).is_err());
        assert!(apply(Rejected, Approve).is_err());
        assert!(apply(Applied, Suspend).is_err());
    }

    #[test]
    fn reasons_are_required_for_bad_news() {
        assert!(Reject.needs_reason());
        assert!(Suspend.needs_reason());
        assert!(!Approve.needs_reason());
    }
}
