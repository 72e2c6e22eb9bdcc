//! Who may do what. Operators have one role each; partner users are owners or members of one
//! partner organization.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperatorRole {
    Admin,
    Manager,
    Finance,
    Viewer,
}

/// Actions in the console that not every role may take. Reading is open to every operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    ReviewApplications,
    /// Tracking settings, commission rule, coupons, API keys, switching links off.
    ManagePrograms,
    ManageOperators,
    ReadMailbox,
    /// The manager stage of commission approval, holds, adjustments.
    ApproveCommissions,
    /// The finance stage of commission approval.
    ApproveFinance,
    /// Deal registrations, their protection extensions and corrections.
    ApproveDeals,
}

impl OperatorRole {
    pub const ALL: [OperatorRole; 4] = [Self::Admin, Self::Manager, Self::Finance, Self::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Manager => "manager",
            Self::Finance => "finance",
            Self::Viewer => "viewer",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Admin",
            Self::Manager => "Partner manager",
            Self::Finance => "Finance",
            Self::Viewer => "Viewer",
        }
    }

    pub fn can(self, permission: Permission) -> bool {
        match permission {
            Permission::ReviewApplications | Permission::ManagePrograms => matches!(self, Self::Admin | Self::Manager),
            Permission::ManageOperators => self == Self::Admin,
            Permission::ReadMailbox => self == Self::Admin,
            Permission::ApproveCommissions => matches!(self, Self::Admin | Self::Manager),
            Permission::ApproveFinance => matches!(self, Self::Admin | Self::Finance),
            Permission::ApproveDeals => matches!(self, Self::Admin | Self::Manager),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartnerRole {
    Owner,
    Member,
}

impl PartnerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Member => "member",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "owner" => Some(Self::Owner),
            "member" => Some(Self::Member),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_and_managers_review_applications() {
        let reviewers: Vec<_> = OperatorRole::ALL
            .into_iter()
            .filter(|r| r.can(Permission::ReviewApplications))
            .collect();
        assert_eq!(reviewers, [OperatorRole::Admin, OperatorRole::Manager]);
        assert!(!OperatorRole::Finance.can(Permission::ManageOperators));
        assert!(OperatorRole::Admin.can(Permission::ManageOperators));
    }

    #[test]
    fn roles_round_trip_through_text() {
        for role in OperatorRole::ALL {
            assert_eq!(OperatorRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(OperatorRole::parse("root"), None);
        assert_eq!(PartnerRole::parse("owner"), Some(PartnerRole::Owner));
        assert_eq!(PartnerRole::parse("boss"), None);
    }
}
