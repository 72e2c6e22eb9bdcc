//! A partner's owners and admins invite people with a role, change roles and remove people.
//! Each change is checked by `domain::partner_team` against the partner's owners read under a
//! lock, runs in one transaction and is audited. Invitations are single-use, expiring
//! set-password links, as for operators.

use crate::api::error::AppError;
use crate::backend::ctx::PartnerUser;
use crate::backend::flows::{audited, RequestMeta};
use crate::backend::repos::partner_team::{self as repo, PersonRow};
use crate::backend::repos::password_tokens::{self, Purpose};
use crate::backend::repos::{outbox, partners, users};
use crate::backend::settings::Settings;
use crate::domain::access::PartnerRole;
use crate::domain::emails;
use crate::domain::partner_team::{self as rules, InviteInput, Refusal, TeamChange};
use crate::domain::validate::FieldErrors;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

pub const NO_SUCH_PERSON: &str = "That person isn't on your team.";

pub async fn invite(
    conn: &mut AsyncPgConnection,
    by: &PartnerUser,
    input: &InviteInput,
    settings: &Settings,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<PersonRow, AppError> {
    if !by.role.manages_team() {
        return Err(AppError::Forbidden);
    }
    let invite = rules::validate_invite(by.role, input).map_err(AppError::Invalid)?;
    let typed = [
        ("name", input.name.as_str()),
        ("email", input.email.as_str()),
        ("role", input.role.as_str()),
    ];
    let refuse = |message: &str| AppError::Invalid(FieldErrors::single("email", message).with_submitted(&typed));
    conn.transaction::<_, AppError, _>(async |conn| {
        let existing = users::find_by_email(conn, &invite.email).await?;
        let row = match existing {
            None => repo::insert_invited(
                conn,
                by.partner_id,
                (&invite.email, &invite.name),
                invite.role,
                by.user.id,
            )
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => refuse("This address was just taken by another account."),
                other => other,
            })?,
            // Someone removed from this team earlier comes back with the new role; someone
            // invited who never chose a password gets a new link (the old one may have expired).
            // Either way their role changes, so the team's rules apply as to a role change (only
            // an owner touches an owner, a pending owner invitation too).
            Some(user)
                if user.partner_id == Some(by.partner_id) && (!user.is_active || user.password_hash.is_none()) =>
            {
                let owners = repo::lock_owners(conn, by.partner_id).await?;
                let was = user
                    .partner_role
                    .as_deref()
                    .and_then(PartnerRole::parse)
                    .unwrap_or(PartnerRole::Member);
                rules::check(
                    (by.user.id, by.role),
                    (user.id, was),
                    TeamChange::Role(invite.role),
                    &owners,
                )
                .map_err(|r| match r {
                    Refusal::NotAllowed => AppError::Forbidden,
                    Refusal::Rule(message) => refuse(&message),
                })?;
                repo::reinstate(conn, user.id, &invite.name, invite.role, by.user.id).await?
            }
            Some(user) if user.partner_id == Some(by.partner_id) => {
                return Err(refuse(
                    "This person is already on your team. Change their role in the list instead.",
                ));
            }
            Some(_) => {
                return Err(refuse(
                    "This address already signs in elsewhere; ask them for another address.",
                ))
            }
        };
        let token = password_tokens::issue(conn, row.id, Purpose::Invite, settings.invite_token_ttl, now).await?;
        let link = format!("{}/set-password?token={token}", settings.base_url);
        let days = settings.invite_token_ttl.as_secs() / 86_400;
        let partner = partners::get(conn, by.partner_id).await?;
        let role = invite.role.label();
        let email = emails::partner_invited(&invite.name, &by.user.display_name, &partner.name, role, days, &link);
        outbox::enqueue(conn, &invite.email, &email).await?;
        let after = serde_json::json!({
            "partner_id": by.partner_id, "email": row.email, "name": row.display_name, "role": invite.role.as_str(),
        });
        audited(
            conn,
            &by.user.actor(),
            "partner_user.invite",
            ("user", row.id.to_string()),
            after,
            meta,
        )
        .await?;
        Ok(row)
    })
    .await
}

/// Changes person `id`'s role, or removes them, and returns them as they were before.
pub async fn change(
    conn: &mut AsyncPgConnection,
    by: &PartnerUser,
    id: i64,
    change: TeamChange,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<PersonRow, AppError> {
    if !by.role.manages_team() {
        return Err(AppError::Forbidden);
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let owners = repo::lock_owners(conn, by.partner_id).await?;
        // The actor's role as it is now, not as the request began: a change made meanwhile
        // (someone just made them a member) counts.
        let actor = repo::lock_person(conn, by.partner_id, by.user.id)
            .await?
            .ok_or(AppError::Forbidden)?;
        let target = repo::lock_person(conn, by.partner_id, id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_PERSON.into()))?;
        rules::check((actor.id, actor.role()), (target.id, target.role()), change, &owners).map_err(|r| match r {
            Refusal::NotAllowed => AppError::Forbidden,
            Refusal::Rule(message) => AppError::Conflict(message),
        })?;
        let (action, after) = match change {
            TeamChange::Role(role) => {
                repo::set_role(conn, id, role).await?;
                let from = target.role().as_str();
                (
                    "partner_user.role",
                    serde_json::json!({ "from": from, "to": role.as_str() }),
                )
            }
            TeamChange::Remove => {
                repo::deactivate(conn, id, now).await?;
                ("partner_user.remove", serde_json::json!({ "active": false }))
            }
        };
        let after = serde_json::json!({ "partner_id": by.partner_id, "change": after });
        audited(conn, &by.user.actor(), action, ("user", id.to_string()), after, meta).await?;
        Ok(target)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::auth::AuthUser;
    use crate::backend::repos::users::{self, Account};
    use crate::backend::testing::TestDb;
    use crate::domain::access::PartnerRole;
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }

    async fn owner(conn: &mut AsyncPgConnection, partner_id: i64, email: &str) -> PartnerUser {
        let row = users::insert_partner_user(conn, partner_id, email, email, PartnerRole::Owner)
            .await
            .unwrap();
        users::set_password(conn, row.id, "hash").await.unwrap();
        PartnerUser {
            user: AuthUser {
                brand_scoped: false,
                id: row.id,
                email: row.email,
                display_name: row.display_name,
                account: Account::Partner {
                    partner_id,
                    role: PartnerRole::Owner,
                },
            },
            partner_id,
            role: PartnerRole::Owner,
            brand: None,
        }
    }

    /// Two owners who make each other members at the same moment: the owners' rows are read
    /// under a lock, so one change waits for the other, then finds its author a member and is
    /// refused; an owner remains.
    #[tokio::test]
    async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let partner: N = diesel::sql_query(
            "INSERT INTO partners (name, email, kind, country) VALUES ('Ada', 'ada@x.test', 'affiliate', 'DE') RETURNING id AS n",
        )
        .get_result(&mut conn)
        .await
        .unwrap();
        let (a, b) = (
            owner(&mut conn, partner.n, "a@x.test").await,
            owner(&mut conn, partner.n, "b@x.test").await,
        );
        let (mut one, mut two) = (db.conn().await, db.conn().await);
        let meta = RequestMeta::default();
        let now = OffsetDateTime::now_utc();
        let member = TeamChange::Role(PartnerRole::Member);
        let (first, second) = tokio::join!(
            change(&mut one, &a, b.user.id, member, &meta, now),
            change(&mut two, &b, a.user.id, member, &meta, now),
        );
        assert!(
            first.is_ok() != second.is_ok(),
            "exactly one wins: {first:?} {second:?}"
        );
        let refused = first.err().or(second.err()).unwrap();
        // The loser is a member by the time its change runs, so it may change nobody.
        assert!(matches!(refused, AppError::Forbidden), "{refused:?}");
        let owners = repo::lock_owners(&mut conn, partner.n).await.unwrap();
        assert_eq!(owners.len(), 1);
    }
}
