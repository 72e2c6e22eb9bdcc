//! Who decides MDF. A request (the plan and its budget, before money is spent) is decided by a
//! partner manager. A claim pays money out, so finance decides it, and the person who approved
//! the request can't also approve its claim: admins hold both permissions, so for them this is
//! the rule that keeps two pairs of eyes on the money. Rejecting a claim moves no money, so the
//! request's approver may do that, as a finance approver may reject a commission whose manager
//! stage they approved.

use crate::domain::access::{OperatorRole, Permission};
use crate::domain::commission::approval::Actor;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Request,
    Claim,
}

impl Subject {
    pub fn permission(self) -> Permission {
        match self {
            Self::Request => Permission::DecideMdfRequests,
            Self::Claim => Permission::DecideMdfClaims,
        }
    }
}

/// Approve (with an amount) or refuse (decline a request, reject a claim; with a reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Refuse,
}

/// A decision form's `what` and `decision`, as posted.
pub fn parse(what: &str, decision: &str) -> Option<(Subject, Verdict)> {
    Some(match (what, decision) {
        ("request", "approve") => (Subject::Request, Verdict::Approve),
        ("request", "decline") => (Subject::Request, Verdict::Refuse),
        ("claim", "approve") => (Subject::Claim, Verdict::Approve),
        ("claim", "reject") => (Subject::Claim, Verdict::Refuse),
        _ => return None,
    })
}

/// Why a decision is refused: the role can't take it at all, or this person can't.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    Role(String),
    SamePerson(String),
}

/// Whether `actor` may take `verdict` on `subject`. `request_approver` is who approved the
/// request, when someone did.
pub fn check(subject: Subject, verdict: Verdict, actor: Actor, request_approver: Option<i64>) -> Result<(), Refusal> {
    let role = actor.role.label().to_lowercase();
    if !actor.role.can(subject.permission()) {
        return Err(Refusal::Role(match subject {
            Subject::Request => format!("A partner manager decides MDF requests; a {role} can't."),
            Subject::Claim => format!("Finance decides MDF claims, which pay money out; a {role} can't."),
        }));
    }
    if subject == Subject::Claim && verdict == Verdict::Approve && request_approver == Some(actor.user_id) {
        return Err(Refusal::SamePerson(
            "You approved this request, so someone else with finance rights must approve its claim.".into(),
        ));
    }
    Ok(())
}

/// The decision forms to offer on a request's page or queue row (its status decides which of
/// them apply).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offered {
    pub request: bool,
    pub claim_approve: bool,
    pub claim_reject: bool,
}

impl Offered {
    pub fn claim(&self) -> bool {
        self.claim_approve || self.claim_reject
    }
}

pub fn offered(actor: Actor, request_approver: Option<i64>) -> Offered {
    let can = |subject, verdict| check(subject, verdict, actor, request_approver).is_ok();
    Offered {
        request: can(Subject::Request, Verdict::Approve),
        claim_approve: can(Subject::Claim, Verdict::Approve),
        claim_reject: can(Subject::Claim, Verdict::Refuse),
    }
}

/// The tab a role's MDF queue opens on: the work it may do.
pub fn first_tab(role: OperatorRole) -> &'static str {
    if !role.can(Permission::DecideMdfRequests) && role.can(Permission::DecideMdfClaims) {
        "claims"
    } else {
        "requests"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OperatorRole::*;

    fn actor(user_id: i64, role: OperatorRole) -> Actor {
        Actor { user_id, role }
    }

    #[test]
    fn managers_decide_requests_and_finance_decides_claims() {
        use Subject::*;
        use Verdict::*;
        #[rustfmt::skip]
        let table: [(OperatorRole, [bool; 4]); 4] = [
            //        request approve, request refuse, claim approve, claim refuse
            (Admin,   [true,  true,  true,  true]),
            (Manager, [true,  true,  false, false]),
            (Finance, [false, false, true,  true]),
            (Viewer,  [false, false, false, false]),
        ];
        let cases = [(Request, Approve), (Request, Refuse), (Claim, Approve), (Claim, Refuse)];
        for (role, expected) in table {
            for ((subject, verdict), allowed) in cases.into_iter().zip(expected) {
                let outcome = check(subject, verdict, actor(7, role), None);
                assert_eq!(outcome.is_ok(), allowed, "{role:?} {subject:?} {verdict:?}");
                if !allowed {
                    assert!(matches!(outcome, Err(Refusal::Role(_))));
                }
            }
        }
        let manager_on_claim = check(Claim, Approve, actor(7, Manager), None).unwrap_err();
        assert_eq!(
            manager_on_claim,
            Refusal::Role("Finance decides MDF claims, which pay money out; a partner manager can't.".into())
        );
    }

    #[test]
    fn whoever_approved_the_request_cant_approve_its_claim() {
        let admin = actor(1, Admin);
        let refused = check(Subject::Claim, Verdict::Approve, admin, Some(1)).unwrap_err();
        assert!(matches!(refused, Refusal::SamePerson(ref m) if m.contains("someone else")));
        assert_eq!(check(Subject::Claim, Verdict::Refuse, admin, Some(1)), Ok(()));
        assert_eq!(check(Subject::Claim, Verdict::Approve, admin, Some(2)), Ok(()));
        assert_eq!(
            check(Subject::Claim, Verdict::Approve, actor(3, Finance), Some(1)),
            Ok(())
        );
        assert_eq!(
            offered(admin, Some(1)),
            Offered {
                request: true,
                claim_approve: false,
                claim_reject: true
            }
        );
        assert_eq!(
            offered(actor(2, Manager), Some(2)),
            Offered {
                request: true,
                claim_approve: false,
                claim_reject: false
            }
        );
        assert!(!offered(actor(4, Viewer), None).claim() && !offered(actor(4, Viewer), None).request);
    }

    #[test]
    fn forms_and_tabs() {
        assert_eq!(parse("claim", "reject"), Some((Subject::Claim, Verdict::Refuse)));
        assert_eq!(parse("request", "decline"), Some((Subject::Request, Verdict::Refuse)));
        assert_eq!(parse("request", "reject"), None);
        assert_eq!(parse("fund", "approve"), None);
        assert_eq!(first_tab(Finance), "claims");
        assert_eq!(first_tab(Manager), "requests");
        assert_eq!(first_tab(Admin), "requests");
        assert_eq!(first_tab(Viewer), "requests");
    }
}
