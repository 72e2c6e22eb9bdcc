//! Ledger entries and what a partner sees: accruals have their own approval state; reversals
//! and overrides follow the accrual they come from. A balance is a sum of entries.

use super::approval::State;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Earned on a conversion (stored as "commission").
    Accrual,
    /// Takes back a share of an accrual after a refund (negative).
    Reversal,
    /// An operator's correction, with a reason (either sign).
    Adjustment,
    /// A master partner's share of a sub-partner's accrual.
    Override,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accrual => "commission",
            Self::Reversal => "reversal",
            Self::Adjustment => "adjustment",
            Self::Override => "override",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Accrual, Self::Reversal, Self::Adjustment, Self::Override]
            .into_iter()
            .find(|k| k.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Accrual => "Commission",
            Self::Reversal => "Refund reversal",
            Self::Adjustment => "Adjustment",
            Self::Override => "Sub-partner override",
        }
    }
}

/// What an entry counts as in a balance right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Pending,
    OnHold,
    Approved,
    Payable,
    Rejected,
}

impl Standing {
    pub const ALL: [Standing; 5] = [
        Self::Pending,
        Self::OnHold,
        Self::Approved,
        Self::Payable,
        Self::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::OnHold => "on_hold",
            Self::Approved => "approved",
            Self::Payable => "payable",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::OnHold => "On hold",
            Self::Approved => "Approved (locked)",
            Self::Payable => "Payable",
            Self::Rejected => "Rejected",
        }
    }
}

/// An approved entry becomes payable when its lock period is over.
pub fn standing(state: State, payable_at: OffsetDateTime, now: OffsetDateTime) -> Standing {
    match state {
        State::Pending(_) => Standing::Pending,
        State::OnHold => Standing::OnHold,
        State::Rejected => Standing::Rejected,
        State::Approved if now >= payable_at => Standing::Payable,
        State::Approved => Standing::Approved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn approved_entries_become_payable_after_the_lock() {
        let lock_ends = datetime!(2026-12-01 00:00 UTC);
        assert_eq!(
            standing(State::Approved, lock_ends, datetime!(2026-11-30 23:59:59 UTC)),
            Standing::Approved
        );
        assert_eq!(standing(State::Approved, lock_ends, lock_ends), Standing::Payable);
        assert_eq!(standing(State::OnHold, lock_ends, lock_ends), Standing::OnHold);
        for kind in ["commission", "reversal", "adjustment", "override"] {
            assert_eq!(EntryKind::parse(kind).unwrap().as_str(), kind);
        }
    }
}
