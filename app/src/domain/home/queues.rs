//! "Waiting for you": every queue of decisions, who may act on it (the permission matrix in
//! `access`), where its filtered list lives, and when its items are late.
//!
//! SLAs: commissions use their program's reminder and escalation hours and deals their
//! program's `deal_sla_hours` (escalated at twice that, as the deal job does). Applications and
//! MDF have no setting of their own, so they use the house default: the 48 and 96 hours that a
//! new program starts with for commissions. Commissions on hold wait on purpose: no SLA runs.

use crate::domain::access::{OperatorRole, Permission};
use crate::domain::commission::sla::{self, Sla};
use time::{Duration, OffsetDateTime};

pub const HOUSE_REMIND_HOURS: i32 = 48;
pub const HOUSE_ESCALATE_HOURS: i32 = 96;

/// A deal waiting this many times its program's `deal_sla_hours` is escalated.
pub const DEAL_ESCALATE_FACTOR: i32 = 2;

pub fn deal_escalate_hours(sla_hours: i32) -> i32 {
    sla_hours.saturating_mul(DEAL_ESCALATE_FACTOR)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Queue {
    Applications,
    CommissionsManager,
    CommissionsFinance,
    CommissionsOnHold,
    Deals,
    DealExtensions,
    MdfRequests,
    MdfClaims,
}

impl Queue {
    pub const ALL: [Queue; 8] = [
        Self::Applications,
        Self::CommissionsManager,
        Self::CommissionsFinance,
        Self::CommissionsOnHold,
        Self::Deals,
        Self::DealExtensions,
        Self::MdfRequests,
        Self::MdfClaims,
    ];

    /// The key the home page's query reports each queue under.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applications => "applications",
            Self::CommissionsManager => "commissions_manager",
            Self::CommissionsFinance => "commissions_finance",
            Self::CommissionsOnHold => "commissions_on_hold",
            Self::Deals => "deals",
            Self::DealExtensions => "deal_extensions",
            Self::MdfRequests => "mdf_requests",
            Self::MdfClaims => "mdf_claims",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.as_str() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Applications => "Partner applications",
            Self::CommissionsManager => "Commissions for a manager",
            Self::CommissionsFinance => "Commissions for finance",
            Self::CommissionsOnHold => "Commissions on hold",
            Self::Deals => "Deal registrations",
            Self::DealExtensions => "Deal protection extensions",
            Self::MdfRequests => "MDF requests",
            Self::MdfClaims => "MDF claims",
        }
    }

    /// Who decides the items: holds are released by a manager, like the manager stage.
    pub fn permission(self) -> Permission {
        match self {
            Self::Applications => Permission::ReviewApplications,
            Self::CommissionsManager | Self::CommissionsOnHold => Permission::ApproveCommissions,
            Self::CommissionsFinance => Permission::ApproveFinance,
            Self::Deals | Self::DealExtensions => Permission::ApproveDeals,
            Self::MdfRequests => Permission::DecideMdfRequests,
            Self::MdfClaims => Permission::DecideMdfClaims,
        }
    }

    /// The queue's list, filtered to what waits, oldest first. Extensions have no list of their
    /// own: they are decided on their deal's page, so the page links the oldest one's deal.
    pub fn href(self, oldest_id: i64) -> String {
        match self {
            Self::Applications => "/console/applications?status=applied&sort=oldest".into(),
            Self::CommissionsManager => "/console/commissions?tab=manager".into(),
            Self::CommissionsFinance => "/console/commissions?tab=finance".into(),
            Self::CommissionsOnHold => "/console/commissions?tab=on_hold".into(),
            Self::Deals => "/console/deals?tab=pending&sort=oldest".into(),
            Self::DealExtensions => format!("/console/deals/{oldest_id}"),
            Self::MdfRequests => "/console/mdf?tab=requests&sort=oldest".into(),
            Self::MdfClaims => "/console/mdf?tab=claims&sort=oldest".into(),
        }
    }

    /// The list narrowed to late items, where the queue has that filter.
    pub fn late_href(self) -> Option<&'static str> {
        match self {
            Self::CommissionsManager => Some("/console/commissions?tab=manager&overdue=yes"),
            Self::CommissionsFinance => Some("/console/commissions?tab=finance&overdue=yes"),
            _ => None,
        }
    }

    pub fn has_sla(self) -> bool {
        self != Self::CommissionsOnHold
    }
}

/// Whether a person decides a queue's items or only reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Act,
    Read,
}

/// The queues a person sees: the ones their role decides, or, for a role that decides none (a
/// viewer), every queue to read.
pub fn visible(role: OperatorRole) -> Vec<(Queue, Access)> {
    let acting: Vec<(Queue, Access)> = Queue::ALL
        .into_iter()
        .filter(|q| role.can(q.permission()))
        .map(|q| (q, Access::Act))
        .collect();
    if acting.is_empty() {
        Queue::ALL.into_iter().map(|q| (q, Access::Read)).collect()
    } else {
        acting
    }
}

/// The roles that make and approve payout runs: their home points to the Payouts page.
pub fn sees_payouts(role: OperatorRole) -> bool {
    role.can(Permission::ApproveFinance)
}

/// How late a queue is: by its worst item (`late` items past the reminder, `escalated` past the
/// escalation time; both counted with the queue's own hours).
pub fn lateness(queue: Queue, late: i64, escalated: i64) -> Option<Sla> {
    if !queue.has_sla() {
        None
    } else if escalated > 0 {
        Some(Sla::Escalation)
    } else if late > 0 {
        Some(Sla::Reminder)
    } else {
        Some(Sla::OnTime)
    }
}

/// How long the oldest item has waited: "under 1 h", "5 h", "2 d 4 h".
pub fn age_text(since: OffsetDateTime, now: OffsetDateTime) -> String {
    if now - since < Duration::hours(1) {
        "under 1 h".into()
    } else {
        sla::waited_text(since, now)
    }
}

/// The mark in words: "On time", "2 past the SLA", "2 past the SLA, 1 escalated".
pub fn lateness_text(mark: Sla, late: i64, escalated: i64) -> String {
    match mark {
        Sla::OnTime => "On time".into(),
        Sla::Reminder => format!("{late} past the SLA"),
        Sla::Escalation => format!("{late} past the SLA, {escalated} escalated"),
    }
}

/// What to do when nothing waits, by what the role is for.
pub fn next_step(role: OperatorRole) -> &'static str {
    match role {
        OperatorRole::Admin => {
            "Nothing waits for you. Look at the figures below, or open Programs to invite partners and tune their terms."
        }
        OperatorRole::Manager => {
            "Nothing waits for you. Get in touch with the partners whose numbers fell, below, or share a program's join page to find new ones."
        }
        OperatorRole::Finance => {
            "Nothing waits for you. Commissions reach finance after a manager approves them, and MDF claims when partners send their receipts."
        }
        OperatorRole::Viewer => "Nothing waits in your brands. The figures below show how the last 30 days went.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OperatorRole::*;
    use Queue::*;

    #[test]
    fn each_role_sees_the_queues_it_decides() {
        let acting = |role| -> Vec<Queue> { visible(role).into_iter().map(|(q, _)| q).collect() };
        assert_eq!(acting(Admin), Queue::ALL);
        assert_eq!(
            acting(Manager),
            [
                Applications,
                CommissionsManager,
                CommissionsOnHold,
                Deals,
                DealExtensions,
                MdfRequests
            ]
        );
        assert_eq!(acting(Finance), [CommissionsFinance, MdfClaims]);
        for role in [Admin, Manager, Finance] {
            assert!(visible(role).iter().all(|(_, a)| *a == Access::Act), "{role:?}");
        }
        // A viewer decides nothing and reads every queue.
        let viewer = visible(Viewer);
        assert_eq!(viewer.len(), Queue::ALL.len());
        assert!(viewer.iter().all(|(_, a)| *a == Access::Read));
        assert!(sees_payouts(Finance) && sees_payouts(Admin) && !sees_payouts(Manager) && !sees_payouts(Viewer));
    }

    #[test]
    fn keys_round_trip_and_links_filter_the_queue() {
        for q in Queue::ALL {
            assert_eq!(Queue::parse(q.as_str()), Some(q));
            assert!(q.href(7).starts_with("/console/"), "{q:?}");
        }
        assert_eq!(Queue::parse("payouts"), None);
        assert_eq!(DealExtensions.href(42), "/console/deals/42");
        assert_eq!(CommissionsFinance.href(0), "/console/commissions?tab=finance");
        assert_eq!(
            CommissionsManager.late_href(),
            Some("/console/commissions?tab=manager&overdue=yes")
        );
        assert_eq!(Applications.late_href(), None);
    }

    #[test]
    fn a_queue_is_as_late_as_its_most_overdue_item() {
        assert_eq!(lateness(Deals, 0, 0), Some(Sla::OnTime));
        assert_eq!(lateness(Deals, 3, 0), Some(Sla::Reminder));
        assert_eq!(lateness(Deals, 3, 1), Some(Sla::Escalation));
        assert_eq!(lateness(CommissionsOnHold, 3, 1), None, "holds wait on purpose");
        assert_eq!(lateness_text(Sla::OnTime, 0, 0), "On time");
        let now = time::macros::datetime!(2026-12-05 12:00 UTC);
        assert_eq!(age_text(now - Duration::minutes(59), now), "under 1 h");
        assert_eq!(age_text(now - Duration::hours(52), now), "2 d 4 h");
        assert_eq!(lateness_text(Sla::Escalation, 3, 1), "3 past the SLA, 1 escalated");
        assert_eq!(deal_escalate_hours(48), 96);
        assert_eq!(deal_escalate_hours(i32::MAX), i32::MAX);
    }
}
