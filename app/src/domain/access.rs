//! Who may do what. Operators have one role each; partner users have one role (owner, admin,
//! member or finance) in one partner organization.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperatorRole {
    Admin,
    Manager,
    Finance,
    Viewer,
}

/// Actions in the console that not every role may take. Reading is open to every operator
/// (within their brands); a viewer holds none of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    ReviewApplications,
    /// A program's settings: tracking, plans, terms, coupons, API keys, links, deal and MDF setup.
    ManagePrograms,
    /// Creating and archiving programs, and editing brands.
    ManageBrands,
    /// Inviting operators, changing their roles and brands, deactivating them.
    ManageOperators,
    ReadMailbox,
    /// The manager stage of commission approval, and holds.
    ApproveCommissions,
    /// The finance stage of commission approval, and manual adjustments made by someone else.
    ApproveFinance,
    /// Writing a manual adjustment (which may then wait for finance).
    AdjustCommissions,
    /// Deal registrations, their protection extensions and corrections.
    ApproveDeals,
    /// MDF requests: the plan and its budget, before money is spent.
    DecideMdfRequests,
    /// MDF claims, which pay money out.
    DecideMdfClaims,
    /// Payout runs: making, approving (not one's own), exporting and settling them, and the
    /// payout settings.
    RunPayouts,
    /// Partners' identity documents: opening and deciding them. They hold personal data, so
    /// only admins and finance (who check who gets paid) see them.
    ReviewDocuments,
}

impl Permission {
    pub const ALL: [Permission; 13] = [
        Self::ReviewApplications,
        Self::ManagePrograms,
        Self::ManageBrands,
        Self::ManageOperators,
        Self::ReadMailbox,
        Self::ApproveCommissions,
        Self::ApproveFinance,
        Self::AdjustCommissions,
        Self::ApproveDeals,
        Self::DecideMdfRequests,
        Self::DecideMdfClaims,
        Self::RunPayouts,
        Self::ReviewDocuments,
    ];
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

    /// What the role is for, in the words of the operator list and the invitation form.
    pub fn promise(self) -> &'static str {
        match self {
            Self::Admin => "Everything, including brands, programs and operators.",
            Self::Manager => "Runs the partner relationship: applications, program settings, deals, MDF requests, commissions and adjustments.",
            Self::Finance => "Decides money: the finance stage of commissions, adjustments and MDF claims, payout runs, and partners' documents.",
            Self::Viewer => "Reads everything in their brands and changes nothing.",
        }
    }

    /// The permission matrix. An admin holds every permission; the other roles hold exactly
    /// what their names promise.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Self::Admin => true,
            Self::Manager => matches!(
                permission,
                ReviewApplications
                    | ManagePrograms
                    | ApproveCommissions
                    | AdjustCommissions
                    | ApproveDeals
                    | DecideMdfRequests
            ),
            Self::Finance => matches!(
                permission,
                ApproveFinance | DecideMdfClaims | RunPayouts | ReviewDocuments
            ),
            Self::Viewer => false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartnerRole {
    Owner,
    Admin,
    Member,
    Finance,
}

impl PartnerRole {
    pub const ALL: [PartnerRole; 4] = [Self::Owner, Self::Admin, Self::Member, Self::Finance];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Member => "member",
            Self::Finance => "finance",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Owner => "Owner",
            Self::Admin => "Admin",
            Self::Member => "Member",
            Self::Finance => "Finance",
        }
    }

    /// What the role may do, as the team page explains it.
    pub fn promise(self) -> &'static str {
        match self {
            Self::Owner => "Everything, including where payouts go, documents and who is on the team.",
            Self::Admin => "Links, creatives, deals and training, and inviting and removing people (not owners).",
            Self::Member => "Links, creatives, deals and training. No money.",
            Self::Finance => "Payouts and statements, besides what members do.",
        }
    }

    /// Invites people and changes the team (only owners touch owners: `domain::partner_team`).
    pub fn manages_team(self) -> bool {
        matches!(self, Self::Owner | Self::Admin)
    }

    /// Owners and admins keep the partner's profile, as they keep its team.
    pub fn edits_profile(self) -> bool {
        self.manages_team()
    }

    /// Sees payouts, balances and statements.
    pub fn sees_money(self) -> bool {
        matches!(self, Self::Owner | Self::Finance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole matrix, as a table: every role against every permission.
    #[test]
    fn every_role_holds_exactly_its_permissions() {
        use Permission::*;
        #[rustfmt::skip]
        let table: [(Permission, [bool; 4]); 13] = [
            //                     admin  manager finance viewer
            (ReviewApplications,  [true,  true,   false,  false]),
            (ManagePrograms,      [true,  true,   false,  false]),
            (ManageBrands,        [true,  false,  false,  false]),
            (ManageOperators,     [true,  false,  false,  false]),
            (ReadMailbox,         [true,  false,  false,  false]),
            (ApproveCommissions,  [true,  true,   false,  false]),
            (ApproveFinance,      [true,  false,  true,   false]),
            (AdjustCommissions,   [true,  true,   false,  false]),
            (ApproveDeals,        [true,  true,   false,  false]),
            (DecideMdfRequests,   [true,  true,   false,  false]),
            (DecideMdfClaims,     [true,  false,  true,   false]),
            (RunPayouts,          [true,  false,  true,   false]),
            (ReviewDocuments,     [true,  false,  true,   false]),
        ];
        assert_eq!(table.len(), Permission::ALL.len());
        for (permission, expected) in table {
            for (role, allowed) in OperatorRole::ALL.into_iter().zip(expected) {
                assert_eq!(role.can(permission), allowed, "{role:?} {permission:?}");
            }
        }
        assert!(Permission::ALL.iter().all(|p| !OperatorRole::Viewer.can(*p)));
    }

    #[test]
    fn roles_round_trip_through_text() {
        for role in OperatorRole::ALL {
            assert_eq!(OperatorRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(OperatorRole::parse("root"), None);
        for role in PartnerRole::ALL {
            assert_eq!(PartnerRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(PartnerRole::parse("boss"), None);
    }
}
