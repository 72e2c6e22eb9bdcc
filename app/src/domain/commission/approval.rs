//! The approval workflow as a state machine. New commissions are routed by amount and flags;
//! each decision is checked against the actor's role and the earlier stages. The store makes
//! decisions append-only and refuses a second decision on the same state (see the repository).

use crate::domain::access::{OperatorRole, Permission};
use crate::domain::money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Manager,
    Finance,
}

/// The decided state of a commission (payable and paid come from time and payouts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Pending(Stage),
    OnHold,
    Approved,
    Rejected,
}

impl State {
    /// The stored (status, stage) pair.
    pub fn columns(self) -> (&'static str, Option<&'static str>) {
        match self {
            Self::Pending(Stage::Manager) => ("pending", Some("manager")),
            Self::Pending(Stage::Finance) => ("pending", Some("finance")),
            Self::OnHold => ("on_hold", None),
            Self::Approved => ("approved", None),
            Self::Rejected => ("rejected", None),
        }
    }

    pub fn from_columns(status: &str, stage: Option<&str>) -> Option<Self> {
        Some(match (status, stage) {
            ("pending", Some("finance")) => Self::Pending(Stage::Finance),
            ("pending", _) => Self::Pending(Stage::Manager),
            ("on_hold", _) => Self::OnHold,
            ("approved", _) => Self::Approved,
            ("rejected", _) => Self::Rejected,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending(Stage::Manager) => "Waiting for a manager",
            Self::Pending(Stage::Finance) => "Waiting for finance",
            Self::OnHold => "On hold",
            Self::Approved => "Approved",
            Self::Rejected => "Rejected",
        }
    }
}

/// A program's routing thresholds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Routing {
    /// Amounts below this are approved at once (unless flagged). `None`: nothing is.
    pub auto_approve_below: Option<Decimal>,
    /// Amounts above this need finance after the manager. `None`: never.
    pub finance_above: Option<Decimal>,
}

impl Routing {
    pub fn needs_finance(&self, amount: Decimal) -> bool {
        self.finance_above.is_some_and(|limit| amount > limit)
    }

    /// Where a new commission starts, and why. A commission of zero (the conversion didn't
    /// qualify) has nothing to approve, unless a flag holds it.
    pub fn route(&self, amount: Decimal, flag: Option<&str>, currency: &str) -> (State, String) {
        if let Some(flag) = flag {
            return (State::OnHold, format!("held automatically: {flag}"));
        }
        if amount.is_zero() {
            return (State::Approved, "nothing earned, nothing to approve".into());
        }
        match self.auto_approve_below {
            Some(limit) if amount < limit => (
                State::Approved,
                format!("approved automatically: below {}", money::format(limit, currency)),
            ),
            _ if self.needs_finance(amount) => (
                State::Pending(Stage::Manager),
                "needs a manager, then finance".to_string(),
            ),
            _ => (State::Pending(Stage::Manager), "needs a manager".to_string()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Approve,
    Reject { reason: String },
    Hold { reason: String },
    Release,
}

impl Action {
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject { .. } => "reject",
            Self::Hold { .. } => "hold",
            Self::Release => "release",
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Reject { reason } | Self::Hold { reason } => Some(reason),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: OperatorRole,
}

/// The state after `action`, or why the actor may not take it.
/// `manager_approver` is who approved the manager stage, if anyone did.
pub fn decide(
    state: State,
    action: &Action,
    actor: Actor,
    amount: Decimal,
    routing: &Routing,
    manager_approver: Option<i64>,
) -> Result<State, String> {
    if action.reason().is_some_and(|r| r.trim().is_empty()) {
        return Err(format!("Say why you {} this commission.", action.verb()));
    }
    let manager = actor.role.can(Permission::ApproveCommissions);
    let finance = actor.role.can(Permission::ApproveFinance);
    match (state, action) {
        (State::Approved | State::Rejected, _) => {
            Err(format!("This commission is already {}.", state.label().to_lowercase()))
        }
        (State::Pending(Stage::Manager), Action::Approve) if manager => Ok(if routing.needs_finance(amount) {
            State::Pending(Stage::Finance)
        } else {
            State::Approved
        }),
        (State::Pending(Stage::Finance), Action::Approve) if finance => {
            if manager_approver == Some(actor.user_id) {
                Err("You approved the manager stage; someone else must approve for finance.".into())
            } else {
                Ok(State::Approved)
            }
        }
        (State::Pending(Stage::Finance), Action::Reject { .. }) if finance => Ok(State::Rejected),
        (State::Pending(Stage::Manager) | State::OnHold, Action::Reject { .. }) if manager => Ok(State::Rejected),
        (State::Pending(_), Action::Hold { .. }) if manager || finance => Ok(State::OnHold),
        (State::OnHold, Action::Release) if manager => Ok(State::Pending(Stage::Manager)),
        (State::OnHold, Action::Approve) => Err("This commission is on hold; release it before approving.".into()),
        (State::Pending(_), Action::Release) => Err("This commission is not on hold.".into()),
        (State::OnHold, Action::Hold { .. }) => Err("This commission is already on hold.".into()),
        (State::Pending(Stage::Finance), _) => Err(format!(
            "Finance decides this stage; a {} can't.",
            actor.role.label().to_lowercase()
        )),
        _ => Err(format!(
            "A partner manager decides this; a {} can't.",
            actor.role.label().to_lowercase()
        )),
    }
}

/// Which decisions to offer a person with `role` on a commission in `state`. The same rules as
/// `decide` (which still has the last word, for example on who approved the manager stage).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offered {
    pub approve: bool,
    pub reject: bool,
    pub hold: bool,
    pub release: bool,
}

impl Offered {
    pub fn any(&self) -> bool {
        self.approve || self.reject || self.hold || self.release
    }
}

pub fn offered(state: State, role: OperatorRole) -> Offered {
    let actor = Actor { user_id: 0, role };
    let routing = Routing::default();
    let can = |action: Action| decide(state, &action, actor, Decimal::ZERO, &routing, None).is_ok();
    Offered {
        approve: can(Action::Approve),
        reject: can(Action::Reject { reason: "-".into() }),
        hold: can(Action::Hold { reason: "-".into() }),
        release: can(Action::Release),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANAGER: Actor = Actor {
        user_id: 1,
        role: OperatorRole::Manager,
    };
    const FINANCE: Actor = Actor {
        user_id: 2,
        role: OperatorRole::Finance,
    };
    const ADMIN: Actor = Actor {
        user_id: 3,
        role: OperatorRole::Admin,
    };

    fn routing() -> Routing {
        Routing {
            auto_approve_below: Some(Decimal::from(50)),
            finance_above: Some(Decimal::from(500)),
        }
    }

    #[test]
    fn routing_by_amount_and_flag() {
        let r = routing();
        assert_eq!(r.route(Decimal::from(49), None, "EUR").0, State::Approved);
        assert_eq!(
            r.route(Decimal::from(50), None, "EUR").0,
            State::Pending(Stage::Manager)
        );
        assert_eq!(r.route(Decimal::from(10), Some("bot click"), "EUR").0, State::OnHold);
        assert!(!r.needs_finance(Decimal::from(500)));
        assert!(r.needs_finance(Decimal::from(501)));
        assert_eq!(
            Routing::default().route(Decimal::ONE, None, "EUR").0,
            State::Pending(Stage::Manager)
        );
        assert_eq!(Routing::default().route(Decimal::ZERO, None, "EUR").0, State::Approved);
        assert_eq!(
            Routing::default().route(Decimal::ZERO, Some("bot"), "EUR").0,
            State::OnHold
        );
    }

    #[test]
    fn two_stages_need_two_people_with_the_right_roles() {
        let r = routing();
        let big = Decimal::from(900);
        let after_manager = decide(State::Pending(Stage::Manager), &Action::Approve, MANAGER, big, &r, None).unwrap();
        assert_eq!(after_manager, State::Pending(Stage::Finance));
        assert!(decide(after_manager, &Action::Approve, MANAGER, big, &r, Some(1))
            .unwrap_err()
            .contains("Finance decides"));
        let admin_twice = decide(after_manager, &Action::Approve, ADMIN, big, &r, Some(3)).unwrap_err();
        assert!(admin_twice.contains("someone else"));
        assert_eq!(
            decide(after_manager, &Action::Approve, FINANCE, big, &r, Some(1)),
            Ok(State::Approved)
        );
        assert!(decide(State::Pending(Stage::Manager), &Action::Approve, FINANCE, big, &r, None).is_err());
        assert_eq!(
            decide(
                State::Pending(Stage::Manager),
                &Action::Approve,
                MANAGER,
                Decimal::from(100),
                &r,
                None
            ),
            Ok(State::Approved)
        );
    }

    #[test]
    fn reasons_holds_and_final_states() {
        let r = routing();
        let one = Decimal::ONE;
        let blank = Action::Reject { reason: " ".into() };
        assert!(decide(State::Pending(Stage::Manager), &blank, MANAGER, one, &r, None)
            .unwrap_err()
            .contains("Say why"));
        let hold = Action::Hold {
            reason: "checking traffic".into(),
        };
        let held = decide(State::Pending(Stage::Manager), &hold, MANAGER, one, &r, None).unwrap();
        assert!(decide(held, &Action::Approve, MANAGER, one, &r, None)
            .unwrap_err()
            .contains("release"));
        assert_eq!(
            decide(held, &Action::Release, MANAGER, one, &r, None),
            Ok(State::Pending(Stage::Manager))
        );
        let rejected = Action::Reject { reason: "fraud".into() };
        assert_eq!(decide(held, &rejected, MANAGER, one, &r, None), Ok(State::Rejected));
        assert!(decide(State::Approved, &Action::Approve, MANAGER, one, &r, None)
            .unwrap_err()
            .contains("already"));
        let viewer = Actor {
            user_id: 9,
            role: OperatorRole::Viewer,
        };
        assert!(decide(State::Pending(Stage::Manager), &Action::Approve, viewer, one, &r, None).is_err());
    }

    #[test]
    fn stored_columns_round_trip() {
        for state in [
            State::Pending(Stage::Manager),
            State::Pending(Stage::Finance),
            State::OnHold,
            State::Approved,
            State::Rejected,
        ] {
            let (status, stage) = state.columns();
            assert_eq!(State::from_columns(status, stage), Some(state));
        }
    }

    #[test]
    fn offered_decisions_follow_role_and_stage() {
        use OperatorRole::*;
        let manager_stage = State::Pending(Stage::Manager);
        let finance_stage = State::Pending(Stage::Finance);
        assert_eq!(
            offered(manager_stage, Manager),
            Offered {
                approve: true,
                reject: true,
                hold: true,
                release: false
            }
        );
        assert_eq!(
            offered(manager_stage, Finance),
            Offered {
                approve: false,
                reject: false,
                hold: true,
                release: false
            }
        );
        assert_eq!(
            offered(finance_stage, Finance),
            Offered {
                approve: true,
                reject: true,
                hold: true,
                release: false
            }
        );
        assert!(!offered(finance_stage, Manager).approve);
        assert_eq!(
            offered(State::OnHold, Manager),
            Offered {
                approve: false,
                reject: true,
                hold: false,
                release: true
            }
        );
        assert!(!offered(State::OnHold, Finance).any());
        assert!(offered(finance_stage, Admin).approve && offered(manager_stage, Admin).approve);
        for state in [
            manager_stage,
            finance_stage,
            State::OnHold,
            State::Approved,
            State::Rejected,
        ] {
            assert!(!offered(state, Viewer).any());
        }
        assert!(!offered(State::Approved, Admin).any());
    }
}
