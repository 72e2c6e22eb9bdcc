//! The people of one partner organization, as its Team page manages them. Every query is
//! scoped by the partner id, so another partner's person is simply not found.

use crate::backend::repos::password_tokens;
use crate::backend::schema::users;
use crate::domain::access::PartnerRole;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct PersonRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub partner_role: Option<String>,
    pub is_active: bool,
    /// None until an invited person chooses a password.
    pub password_changed_at: Option<OffsetDateTime>,
}

impl PersonRow {
    /// The role (a value the database allows always parses).
    pub fn role(&self) -> PartnerRole {
        self.partner_role
            .as_deref()
            .and_then(PartnerRole::parse)
            .unwrap_or(PartnerRole::Member)
    }
}

/// The partner's active people, oldest first, and which of them hold an invitation link that
/// still works (one query each, whatever the team's size).
pub async fn team(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    now: OffsetDateTime,
) -> QueryResult<(Vec<PersonRow>, Vec<i64>)> {
    let people: Vec<PersonRow> = users::table
        .filter(users::partner_id.eq(partner_id))
        .filter(users::is_active.eq(true))
        .order(users::id.asc())
        .select(PersonRow::as_select())
        .load(conn)
        .await?;
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let invited = password_tokens::with_open_invite(conn, &ids, now).await?;
    Ok((people, invited))
}

/// The partner's active owners who can sign in (an owner still invited doesn't count: their
/// link may expire unused), under a lock on their rows, so two owners demoting each other at
/// the same moment can't both succeed.
pub async fn lock_owners(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<i64>> {
    users::table
        .filter(users::partner_id.eq(partner_id))
        .filter(users::partner_role.eq(PartnerRole::Owner.as_str()))
        .filter(users::is_active.eq(true))
        .filter(users::password_hash.is_not_null())
        .select(users::id)
        .order(users::id.asc())
        .for_update()
        .load(conn)
        .await
}

/// Person `id` of partner `partner_id`, if active, with the row locked for a change.
pub async fn lock_person(conn: &mut AsyncPgConnection, partner_id: i64, id: i64) -> QueryResult<Option<PersonRow>> {
    users::table
        .filter(users::partner_id.eq(partner_id))
        .filter(users::id.eq(id))
        .filter(users::is_active.eq(true))
        .select(PersonRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// An invited person: no password until they follow their link.
pub async fn insert_invited(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    (email, display_name): (&str, &str),
    role: PartnerRole,
    invited_by: i64,
) -> QueryResult<PersonRow> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::display_name.eq(display_name),
            users::kind.eq("partner"),
            users::partner_id.eq(partner_id),
            users::partner_role.eq(role.as_str()),
            users::invited_by.eq(invited_by),
        ))
        .returning(PersonRow::as_returning())
        .get_result(conn)
        .await
}

/// Someone removed from this partner earlier, invited again: active, with the new name and
/// role, and no password until they follow the new link.
pub async fn reinstate(
    conn: &mut AsyncPgConnection,
    id: i64,
    display_name: &str,
    role: PartnerRole,
    invited_by: i64,
) -> QueryResult<PersonRow> {
    diesel::update(users::table.find(id))
        .set((
            users::is_active.eq(true),
            users::display_name.eq(display_name),
            users::partner_role.eq(role.as_str()),
            users::invited_by.eq(invited_by),
            users::password_hash.eq(None::<String>),
            users::password_changed_at.eq(None::<OffsetDateTime>),
        ))
        .returning(PersonRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn set_role(conn: &mut AsyncPgConnection, id: i64, role: PartnerRole) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::partner_role.eq(role.as_str()))
        .execute(conn)
        .await
}

/// Removing someone deactivates the login: their sessions end at once (every request checks
/// the flag) and their invitation links stop working.
pub async fn deactivate(conn: &mut AsyncPgConnection, id: i64, now: OffsetDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::is_active.eq(false))
        .execute(conn)
        .await?;
    password_tokens::revoke_all(conn, id, now).await?;
    Ok(())
}
