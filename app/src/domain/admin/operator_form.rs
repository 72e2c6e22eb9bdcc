//! Operator management rules: invitations and the last-admin guard.

use crate::domain::access::OperatorRole;
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
    pub role: OperatorRole,
}

pub fn role(value: &str) -> Result<OperatorRole, String> {
    OperatorRole::parse(value).ok_or_else(|| "Choose a role: admin, partner manager, finance or viewer.".into())
}

pub fn validate_invite(input: &InviteInput) -> Result<Invite, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", validate::required_text(&input.name, "Name", 120));
    let email = errors.check("email", validate::email(&input.email));
    let role = errors.check("role", role(&input.role));
    match (name, email, role) {
        (Some(name), Some(email), Some(role)) if errors.is_empty() => Ok(Invite { name, email, role }),
        _ => Err(errors.with_submitted(&[("name", &input.name), ("email", &input.email), ("role", &input.role)])),
    }
}

/// A change to an operator that could leave the installation without an active admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminChange {
    Demote(OperatorRole),
    Deactivate,
}

/// Refuses a change that would remove the last active admin. `active_admins` are the ids of
/// every active admin (read under a lock), `target` the operator being changed.
pub fn keeps_an_admin(active_admins: &[i64], target: i64, change: AdminChange) -> Result<(), String> {
    let removes_admin = match change {
        AdminChange::Demote(role) => role != OperatorRole::Admin,
        AdminChange::Deactivate => true,
    };
    if removes_admin && active_admins == [target] {
        Err(match change {
            AdminChange::Demote(_) => "This is the last active admin. Make someone else an admin first.".into(),
            AdminChange::Deactivate => {
                "This is the last active admin and can't be deactivated. Make someone else an admin first.".into()
            }
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invites_need_a_name_an_email_and_a_role() {
        let ok = validate_invite(&InviteInput {
            name: "Vera".into(),
            email: " vera@acme.test ".into(),
            role: "viewer".into(),
        })
        .unwrap();
        assert_eq!((ok.email.as_str(), ok.role), ("vera@acme.test", OperatorRole::Viewer));
        let bad = validate_invite(&InviteInput {
            name: String::new(),
            email: "nope".into(),
            role: "root".into(),
        })
        .unwrap_err();
        for field in ["name", "email", "role"] {
            assert!(bad.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn the_last_active_admin_stays() {
        use AdminChange::*;
        assert!(keeps_an_admin(&[1], 1, Demote(OperatorRole::Manager)).is_err());
        assert!(keeps_an_admin(&[1], 1, Deactivate).is_err());
        assert!(keeps_an_admin(&[1], 1, Demote(OperatorRole::Admin)).is_ok());
        assert!(keeps_an_admin(&[1, 2], 1, Deactivate).is_ok());
        // Changing someone who isn't an admin never touches the guard.
        assert!(keeps_an_admin(&[1], 5, Deactivate).is_ok());
    }
}
