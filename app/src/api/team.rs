//! The portal's Team page: the partner's people and their roles; owners and admins invite,
//! change roles and remove people. The partner comes from the session, never the request.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonDto {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub role_label: String,
    /// Invited and not yet signed in.
    pub invited: bool,
    pub is_me: bool,
    /// Whether the viewer may change or remove this person (an admin doesn't touch owners).
    pub changeable: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamDto {
    pub people: Vec<PersonDto>,
    /// Whether the viewer invites and changes people.
    pub manages: bool,
    /// (role, label) the viewer may give.
    pub roles: Vec<(String, String)>,
    /// (label, what it may do) of every role.
    pub promises: Vec<(String, String)>,
}

#[server(input = GetUrl)]
pub async fn my_team() -> Result<TeamDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::partner_team as repo;
    use crate::domain::access::PartnerRole;
    let me = ctx::require_partner().await?;
    let (rows, invited) = repo::team(&mut *ctx::db().await?, me.partner_id, ctx::now()).await?;
    let people = rows
        .into_iter()
        .map(|row| PersonDto {
            invited: row.password_changed_at.is_none() && invited.contains(&row.id),
            is_me: row.id == me.user.id,
            changeable: me.role.manages_team() && (row.role() != PartnerRole::Owner || me.role == PartnerRole::Owner),
            role: row.role().as_str().to_owned(),
            role_label: row.role().label().to_owned(),
            id: row.id,
            name: row.display_name,
            email: row.email,
        })
        .collect();
    let roles = PartnerRole::ALL
        .into_iter()
        .filter(|r| *r != PartnerRole::Owner || me.role == PartnerRole::Owner)
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect();
    let promises = PartnerRole::ALL
        .into_iter()
        .map(|r| (r.label().to_owned(), r.promise().to_owned()))
        .collect();
    Ok(TeamDto {
        people,
        manages: me.role.manages_team(),
        roles,
        promises,
    })
}

#[server]
pub async fn invite_teammate(
    csrf_token: String,
    name: String,
    email: String,
    role: String,
) -> Result<String, AppError> {
    use crate::backend::{ctx, partner_team};
    use crate::domain::partner_team::InviteInput;
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::require_partner().await?;
    let (settings, meta) = (ctx::state()?.settings.clone(), ctx::request_meta());
    let input = InviteInput { name, email, role };
    let row = partner_team::invite(&mut *ctx::db().await?, &me, &input, &settings, &meta, ctx::now()).await?;
    let message = format!("Invitation sent to {}.", row.email);
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

/// One change to one person: `what` is "role" (with `role`) or "remove".
#[server]
pub async fn change_teammate(
    csrf_token: String,
    id: i64,
    what: String,
    #[server(default)] role: String,
) -> Result<String, AppError> {
    use crate::backend::{ctx, partner_team};
    use crate::domain::partner_team::{self as rules, TeamChange};
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::require_partner().await?;
    let change = match what.as_str() {
        "role" => TeamChange::Role(rules::role(&role).map_err(|m| AppError::field("role", m))?),
        "remove" => TeamChange::Remove,
        _ => return Err(AppError::field("what", "Choose what to change.")),
    };
    let meta = ctx::request_meta();
    let before = partner_team::change(&mut *ctx::db().await?, &me, id, change, &meta, ctx::now()).await?;
    let message = match change {
        TeamChange::Role(role) => format!("{}'s role is now {}.", before.display_name, role.label()),
        TeamChange::Remove => format!("{} was removed from your team.", before.display_name),
    };
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}
