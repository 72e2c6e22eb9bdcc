//! Know-your-partner documents: what a program requires (kind, name, and whether it is needed
//! before approval, before the first payout or not at all), and where each partner stands with
//! each requirement, worked out from the latest file it uploaded.

pub mod emails;

use crate::domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};
use time::Date;

pub const NAME_MAX: usize = 80;
pub const HELP_MAX: usize = 500;
pub const REASON_MAX: usize = 1000;
/// A program asks for at most this many documents.
pub const MAX_REQUIREMENTS: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    GovernmentId,
    CompanyRegistration,
    ProofOfAddress,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Self::GovernmentId,
        Self::CompanyRegistration,
        Self::ProofOfAddress,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::GovernmentId => "government_id",
            Self::CompanyRegistration => "company_registration",
            Self::ProofOfAddress => "proof_of_address",
            Self::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// The name a requirement of this kind gets when the program doesn't give one.
    pub fn label(self) -> &'static str {
        match self {
            Self::GovernmentId => "Government ID",
            Self::CompanyRegistration => "Company registration",
            Self::ProofOfAddress => "Proof of address",
            Self::Other => "Other document",
        }
    }
}

/// When a requirement must be met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeededBefore {
    Approval,
    FirstPayout,
    Optional,
}

impl NeededBefore {
    pub const ALL: [NeededBefore; 3] = [Self::Approval, Self::FirstPayout, Self::Optional];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approval => "approval",
            Self::FirstPayout => "first_payout",
            Self::Optional => "optional",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Approval => "Needed before approval",
            Self::FirstPayout => "Needed before the first payout",
            Self::Optional => "Optional",
        }
    }
}

/// A requirement as typed into the console's form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementForm {
    pub kind: String,
    pub name: String,
    pub help: String,
    pub needed_before: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub kind: Kind,
    pub name: String,
    pub help: String,
    pub needed_before: NeededBefore,
}

impl RequirementForm {
    pub fn echo(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("kind", &self.kind),
            ("name", &self.name),
            ("help", &self.help),
            ("needed_before", &self.needed_before),
        ]
    }

    /// Checks every field; a requirement of a named kind may leave its name to the kind.
    pub fn validate(&self) -> Result<Requirement, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = Kind::parse(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Choose one of the kinds of document shown.");
        }
        let name = self.name.trim();
        let name = match (name, kind) {
            ("", Some(Kind::Other)) => {
                errors.add("name", "Name the document: partners see this name.");
                String::new()
            }
            ("", Some(kind)) => kind.label().to_owned(),
            (name, _) if name.chars().count() > NAME_MAX => {
                errors.add("name", format!("Keep the name under {NAME_MAX} characters."));
                String::new()
            }
            (name, _) => name.to_owned(),
        };
        let help = self.help.trim();
        if help.chars().count() > HELP_MAX {
            errors.add("help", format!("Keep the help text under {HELP_MAX} characters."));
        }
        let needed_before = NeededBefore::parse(self.needed_before.trim());
        if needed_before.is_none() {
            errors.add("needed_before", "Choose when the document is needed.");
        }
        match (kind, needed_before) {
            (Some(kind), Some(needed_before)) if errors.is_empty() => Ok(Requirement {
                kind,
                name,
                help: help.to_owned(),
                needed_before,
            }),
            _ => Err(errors),
        }
    }
}

/// A stored file's review state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Approved,
    Rejected,
    Replaced,
}

impl Status {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "pending" => Some(Self::Pending),
            "approved" => Some(Self::Approved),
            "rejected" => Some(Self::Rejected),
            "replaced" => Some(Self::Replaced),
            _ => None,
        }
    }
}

/// The latest file a partner uploaded for a requirement, as far as its standing goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Latest {
    pub status: Status,
    pub expires_on: Option<Date>,
    pub reason: Option<String>,
    /// The newest approved file of the same requirement, when there is one. A partner who
    /// uploads next year's ID early keeps the approval it has while the new file waits.
    pub last_approval: Option<Approval>,
}

/// An approved file, as far as a later upload's standing goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Approval {
    pub expires_on: Option<Date>,
}

/// Where a partner stands with one requirement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    Missing,
    Waiting,
    /// A new file waits for review while an earlier approval still holds.
    Renewing {
        expires_on: Option<Date>,
    },
    Approved {
        expires_on: Option<Date>,
    },
    Expired {
        on: Date,
    },
    Rejected {
        reason: String,
    },
}

impl Standing {
    /// From the latest upload (none: missing). An approval lapses at the start of its expiry day.
    pub fn of(latest: Option<&Latest>, today: Date) -> Self {
        let Some(latest) = latest else {
            return Self::Missing;
        };
        match latest.status {
            Status::Pending => match latest.last_approval {
                Some(Approval { expires_on }) if expires_on.is_none_or(|on| on > today) => {
                    Self::Renewing { expires_on }
                }
                _ => Self::Waiting,
            },
            Status::Approved => match latest.expires_on {
                Some(on) if on <= today => Self::Expired { on },
                expires_on => Self::Approved { expires_on },
            },
            Status::Rejected => Self::Rejected {
                reason: latest.reason.clone().unwrap_or_default(),
            },
            // A replaced file is never the latest; read it as nothing uploaded.
            Status::Replaced => Self::Missing,
        }
    }

    pub fn is_met(&self) -> bool {
        matches!(self, Self::Approved { .. } | Self::Renewing { .. })
    }

    /// The short label of a status badge.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Missing => "Not uploaded",
            Self::Waiting => "Waiting for review",
            Self::Renewing { .. } => "Approved, new file waiting",
            Self::Approved { .. } => "Approved",
            Self::Expired { .. } => "Expired",
            Self::Rejected { .. } => "Rejected",
        }
    }

    /// The CSS class of its badge: done, waiting or needs action.
    pub fn tone(&self) -> &'static str {
        match self {
            Self::Approved { .. } | Self::Renewing { .. } => "ok",
            Self::Waiting => "waiting",
            Self::Missing | Self::Expired { .. } | Self::Rejected { .. } => "todo",
        }
    }
}

/// The names of the requirements needed by `stage` that aren't met, in the order given.
pub fn unmet(requirements: &[(String, NeededBefore, Standing)], stage: NeededBefore) -> Vec<&str> {
    requirements
        .iter()
        .filter(|(_, needed, standing)| covers(*needed, stage) && !standing.is_met())
        .map(|(name, ..)| name.as_str())
        .collect()
}

/// Whether a requirement needed at `needed` must be met by `stage`: what approval needs, the
/// first payout needs too.
fn covers(needed: NeededBefore, stage: NeededBefore) -> bool {
    match stage {
        NeededBefore::Approval => needed == NeededBefore::Approval,
        NeededBefore::FirstPayout => matches!(needed, NeededBefore::Approval | NeededBefore::FirstPayout),
        NeededBefore::Optional => false,
    }
}

/// "Government ID and Proof of address".
pub fn names_text(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// An operator's decision on a waiting file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve { expires_on: Option<Date> },
    Reject { reason: String },
}

/// Reads an approval (with an optional expiry date after today) or a rejection (with a reason).
pub fn decision(approve: bool, expires_on: &str, reason: &str, today: Date) -> Result<Decision, FieldErrors> {
    let mut errors = FieldErrors::default();
    if approve {
        let expires_on = match expires_on.trim() {
            "" => None,
            text => match crate::domain::mdf::date(text, "Expiry date") {
                Ok(date) if date <= today => {
                    errors.add("expires_on", "The expiry date must be after today.");
                    None
                }
                Ok(date) => Some(date),
                Err(message) => {
                    errors.add("expires_on", message);
                    None
                }
            },
        };
        return if errors.is_empty() {
            Ok(Decision::Approve { expires_on })
        } else {
            Err(errors)
        };
    }
    let reason = reason.trim();
    if reason.is_empty() {
        errors.add(
            "reason",
            "Give a reason: the partner reads it and uploads a better file.",
        );
    } else if reason.chars().count() > REASON_MAX {
        errors.add("reason", format!("Keep the reason under {REASON_MAX} characters."));
    }
    if errors.is_empty() {
        Ok(Decision::Reject {
            reason: reason.to_owned(),
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 15);

    fn latest(status: Status, expires_on: Option<Date>) -> Latest {
        Latest {
            status,
            expires_on,
            reason: (status == Status::Rejected).then(|| "blurry".to_owned()),
            last_approval: None,
        }
    }

    #[test]
    fn requirements_are_checked_field_by_field() {
        let form = |kind: &str, name: &str, needed: &str| RequirementForm {
            kind: kind.into(),
            name: name.into(),
            help: String::new(),
            needed_before: needed.into(),
        };
        let id = form("government_id", "", "approval").validate().unwrap();
        assert_eq!(
            (id.name.as_str(), id.needed_before),
            ("Government ID", NeededBefore::Approval)
        );
        let named = form("other", " Trade licence ", "first_payout").validate().unwrap();
        assert_eq!(named.name, "Trade licence");
        let errors = form("passport_scan", "", "someday").validate().unwrap_err();
        assert!(errors.get("kind").is_some() && errors.get("needed_before").is_some());
        assert!(form("other", "", "optional")
            .validate()
            .unwrap_err()
            .get("name")
            .is_some());
        let long = "x".repeat(NAME_MAX + 1);
        assert!(form("other", &long, "optional")
            .validate()
            .unwrap_err()
            .get("name")
            .is_some());
    }

    #[test]
    fn standing_follows_the_latest_file_and_its_expiry() {
        assert_eq!(Standing::of(None, TODAY), Standing::Missing);
        assert_eq!(
            Standing::of(Some(&latest(Status::Pending, None)), TODAY),
            Standing::Waiting
        );
        let good = latest(Status::Approved, Some(date!(2026 - 06 - 16)));
        assert!(Standing::of(Some(&good), TODAY).is_met());
        let lapsed = latest(Status::Approved, Some(TODAY));
        assert_eq!(Standing::of(Some(&lapsed), TODAY), Standing::Expired { on: TODAY });
        let rejected = Standing::of(Some(&latest(Status::Rejected, None)), TODAY);
        assert_eq!(
            rejected,
            Standing::Rejected {
                reason: "blurry".into()
            }
        );
        assert!(!rejected.is_met());
    }

    #[test]
    fn a_new_file_waiting_keeps_an_earlier_approval_until_that_expires() {
        let renewal = |expires_on| Latest {
            last_approval: Some(Approval { expires_on }),
            ..latest(Status::Pending, None)
        };
        let next_month = date!(2026 - 07 - 15);
        assert_eq!(
            Standing::of(Some(&renewal(Some(next_month))), TODAY),
            Standing::Renewing {
                expires_on: Some(next_month)
            }
        );
        assert!(Standing::of(Some(&renewal(None)), TODAY).is_met());
        // An approval that has lapsed no longer carries the waiting file.
        assert_eq!(Standing::of(Some(&renewal(Some(TODAY))), TODAY), Standing::Waiting);
        // A rejected new file doesn't take the earlier approval's place.
        let rejected = Latest {
            last_approval: Some(Approval { expires_on: None }),
            ..latest(Status::Rejected, None)
        };
        assert!(!Standing::of(Some(&rejected), TODAY).is_met());
    }

    #[test]
    fn what_approval_and_payouts_wait_for() {
        let reqs = vec![
            ("ID".to_owned(), NeededBefore::Approval, Standing::Missing),
            ("Registration".to_owned(), NeededBefore::FirstPayout, Standing::Waiting),
            ("Address".to_owned(), NeededBefore::Optional, Standing::Missing),
            (
                "Licence".to_owned(),
                NeededBefore::Approval,
                Standing::Approved { expires_on: None },
            ),
        ];
        assert_eq!(unmet(&reqs, NeededBefore::Approval), ["ID"]);
        assert_eq!(unmet(&reqs, NeededBefore::FirstPayout), ["ID", "Registration"]);
        assert_eq!(
            names_text(&["ID", "Registration", "Address"]),
            "ID, Registration and Address"
        );
    }

    #[test]
    fn decisions_need_a_future_expiry_or_a_reason() {
        assert_eq!(
            decision(true, "", "", TODAY),
            Ok(Decision::Approve { expires_on: None })
        );
        assert_eq!(
            decision(true, "2027-06-15", "", TODAY),
            Ok(Decision::Approve {
                expires_on: Some(date!(2027 - 06 - 15))
            })
        );
        assert!(decision(true, "2026-06-15", "", TODAY)
            .unwrap_err()
            .get("expires_on")
            .is_some());
        assert!(decision(true, "15/06/2027", "", TODAY)
            .unwrap_err()
            .get("expires_on")
            .is_some());
        assert!(decision(false, "", "  ", TODAY).unwrap_err().get("reason").is_some());
        assert_eq!(
            decision(false, "", " Blurry scan ", TODAY),
            Ok(Decision::Reject {
                reason: "Blurry scan".into()
            })
        );
    }

    fn any_latest() -> impl Strategy<Value = Option<Latest>> {
        let status = prop_oneof![Just(Status::Pending), Just(Status::Approved), Just(Status::Rejected),];
        let day = || proptest::option::of(-400i64..400).prop_map(|d| d.map(|d| TODAY + time::Duration::days(d)));
        let approval = proptest::option::of(day().prop_map(|expires_on| Approval { expires_on }));
        proptest::option::of(
            (status, day(), approval).prop_map(|(status, expires_on, last_approval)| Latest {
                expires_on: expires_on.filter(|_| status == Status::Approved),
                last_approval,
                ..latest(status, None)
            }),
        )
    }

    /// Whether an approval is in force today.
    fn current(expires_on: Option<Date>) -> bool {
        expires_on.is_none_or(|on| on > TODAY)
    }

    proptest! {
        /// A requirement counts as met exactly when its latest file is approved and not past
        /// its expiry, or waits for review while an earlier approval is still current; nothing
        /// else (a rejected or expired file, a first file waiting) meets it.
        #[test]
        fn met_means_approved_and_current(latest in any_latest()) {
            let met = Standing::of(latest.as_ref(), TODAY).is_met();
            let expected = latest.as_ref().is_some_and(|l| match l.status {
                Status::Approved => current(l.expires_on),
                Status::Pending => l.last_approval.is_some_and(|a| current(a.expires_on)),
                _ => false,
            });
            prop_assert_eq!(met, expected);
        }

        /// Whatever approval waits for, the first payout waits for too.
        #[test]
        fn payouts_wait_for_whatever_approval_waits_for(
            standings in proptest::collection::vec((0usize..3, any_latest()), 0..8)
        ) {
            let reqs: Vec<(String, NeededBefore, Standing)> = standings
                .iter()
                .enumerate()
                .map(|(i, (needed, latest))| {
                    (format!("doc {i}"), NeededBefore::ALL[*needed], Standing::of(latest.as_ref(), TODAY))
                })
                .collect();
            let before_payout = unmet(&reqs, NeededBefore::FirstPayout);
            for name in unmet(&reqs, NeededBefore::Approval) {
                prop_assert!(before_payout.contains(&name));
            }
        }
    }
}
