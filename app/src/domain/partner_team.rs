//! A partner's team: who may invite, change and remove whom. Owners and admins manage the team;
//! only an owner touches an owner (or makes one), and the last owner can't be removed or made
//! something else, so a partner never loses the person who controls its money and documents.

use crate::domain::access::PartnerRole;
use crate::domain::validate::{self, FieldErrors};

#[derive(Clone, Debug, Default)]
pub struct InviteInput {
    pub name: String,
    pub email: String,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    pub name: String,
    pub email: String,
    pub role: PartnerRole,
}

pub fn role(value: &str) -> Result<PartnerRole, String> {
    PartnerRole::parse(value).ok_or_else(|| "Choose a role: owner, admin, member or finance.".into())
}

/// A person the inviter may add: a valid name, email and role, and no owner from an admin.
pub fn validate_invite(inviter: PartnerRole, input: &InviteInput) -> Result<Invite, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", validate::required_text(&input.name, "Name", 120));
    let email = errors.check("email", validate::email(&input.email));
    let role = errors.check(
        "role",
        role(&input.role).and_then(|r| {
            if r == PartnerRole::Owner && inviter != PartnerRole::Owner {
                Err(ONLY_OWNERS.to_owned())
            } else {
                Ok(r)
            }
        }),
    );
    match (name, email, role) {
        (Some(name), Some(email), Some(role)) if errors.is_empty() => Ok(Invite { name, email, role }),
        _ => Err(errors.with_submitted(&[("name", &input.name), ("email", &input.email), ("role", &input.role)])),
    }
}

/// One change to one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamChange {
    Role(PartnerRole),
    Remove,
}

/// Why a change is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The actor's role doesn't manage the team.
    NotAllowed,
    /// A rule of the team, said to the person.
    Rule(String),
}

const ONLY_OWNERS: &str = "Only an owner can make someone an owner.";

/// Checks `change` by `actor` (id, role) to `target` (id, role). `owners` are the ids of the
/// partner's active owners, read under a lock.
pub fn check(
    actor: (i64, PartnerRole),
    target: (i64, PartnerRole),
    change: TeamChange,
    owners: &[i64],
) -> Result<(), Refusal> {
    let (actor_id, actor_role) = actor;
    let (target_id, target_role) = target;
    if !actor_role.manages_team() {
        return Err(Refusal::NotAllowed);
    }
    let touches_owner = target_role == PartnerRole::Owner || change == TeamChange::Role(PartnerRole::Owner);
    if touches_owner && actor_role != PartnerRole::Owner {
        return Err(Refusal::Rule(if target_role == PartnerRole::Owner {
            "Only an owner can change or remove an owner.".into()
        } else {
            ONLY_OWNERS.into()
        }));
    }
    let ends_an_owner = target_role == PartnerRole::Owner && change != TeamChange::Role(PartnerRole::Owner);
    if ends_an_owner && owners == [target_id] {
        let whom = if actor_id == target_id { "You are" } else { "This is" };
        return Err(Refusal::Rule(format!(
            "{whom} the last owner. Make someone else an owner first."
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use PartnerRole::*;

    #[test]
    fn invites_need_a_name_an_email_and_a_role_an_inviter_may_give() {
        let input = |role: &str| InviteInput {
            name: "Fay".into(),
            email: " fay@bright.test ".into(),
            role: role.into(),
        };
        let ok = validate_invite(Admin, &input("finance")).unwrap();
        assert_eq!((ok.email.as_str(), ok.role), ("fay@bright.test", Finance));
        assert!(validate_invite(Owner, &input("owner")).is_ok());
        let refused = validate_invite(Admin, &input("owner")).unwrap_err();
        assert_eq!(refused.get("role"), Some(ONLY_OWNERS));
        let bad = validate_invite(
            Owner,
            &InviteInput {
                name: String::new(),
                email: "nope".into(),
                role: "boss".into(),
            },
        )
        .unwrap_err();
        for field in ["name", "email", "role"] {
            assert!(bad.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn owners_change_owners_and_the_last_one_stays() {
        use TeamChange::*;
        // Members and finance people change nobody.
        assert_eq!(check((2, Member), (3, Member), Remove, &[1]), Err(Refusal::NotAllowed));
        assert_eq!(
            check((2, Finance), (3, Member), Role(Admin), &[1]),
            Err(Refusal::NotAllowed)
        );
        // Admins manage everyone but owners, and can't make one.
        assert!(check((2, Admin), (3, Member), Role(Finance), &[1]).is_ok());
        assert!(check((2, Admin), (2, Admin), Remove, &[1]).is_ok());
        assert!(matches!(
            check((2, Admin), (1, Owner), Remove, &[1, 4]),
            Err(Refusal::Rule(_))
        ));
        assert!(matches!(
            check((2, Admin), (3, Member), Role(Owner), &[1]),
            Err(Refusal::Rule(_))
        ));
        // The last owner can't go, nor stop being an owner; with two, either may.
        assert_eq!(
            check((1, Owner), (1, Owner), Remove, &[1]),
            Err(Refusal::Rule(
                "You are the last owner. Make someone else an owner first.".into()
            ))
        );
        assert!(check((1, Owner), (1, Owner), Role(Member), &[1]).is_err());
        assert!(check((1, Owner), (1, Owner), Role(Owner), &[1]).is_ok());
        assert!(check((1, Owner), (4, Owner), Remove, &[1, 4]).is_ok());
        assert!(check((1, Owner), (3, Member), Role(Owner), &[1]).is_ok());
    }

    fn any_role() -> impl Strategy<Value = PartnerRole> {
        prop::sample::select(PartnerRole::ALL.to_vec())
    }

    fn any_change() -> impl Strategy<Value = TeamChange> {
        prop_oneof![any_role().prop_map(TeamChange::Role), Just(TeamChange::Remove)]
    }

    proptest! {
        /// Whatever people of a team try, in any order, the team keeps an owner, and only
        /// owners ever change who is an owner.
        #[test]
        fn a_team_always_keeps_an_owner(
            extra in proptest::collection::vec(any_role(), 0..5),
            attempts in proptest::collection::vec((0usize..6, 0usize..6, any_change()), 0..40),
        ) {
            let mut team: Vec<(i64, PartnerRole)> = vec![(0, Owner)];
            team.extend(extra.into_iter().enumerate().map(|(i, r)| (i as i64 + 1, r)));
            for (who, whom, change) in attempts {
                let (Some(&actor), Some(&target)) = (team.get(who % team.len()), team.get(whom % team.len())) else {
                    continue;
                };
                let owners: Vec<i64> = team.iter().filter(|(_, r)| *r == Owner).map(|(id, _)| *id).collect();
                let owners_before = owners.clone();
                if check(actor, target, change, &owners).is_err() {
                    continue;
                }
                match change {
                    TeamChange::Remove => team.retain(|(id, _)| *id != target.0),
                    TeamChange::Role(role) => {
                        team.iter_mut().filter(|(id, _)| *id == target.0).for_each(|p| p.1 = role);
                    }
                }
                let owners_after: Vec<i64> = team.iter().filter(|(_, r)| *r == Owner).map(|(id, _)| *id).collect();
                prop_assert!(!owners_after.is_empty(), "no owner left");
                if owners_after != owners_before {
                    prop_assert_eq!(actor.1, Owner);
                }
            }
        }
    }
}
