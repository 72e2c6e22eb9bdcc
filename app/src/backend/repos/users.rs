//! People who log in: operators (one role each) and partner users (one role each in their team).

use crate::backend::schema::{operator_brands, programs, users};
use crate::backend::sql::lower;
use crate::domain::access::{OperatorRole, PartnerRole};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub kind: String,
    pub operator_role: Option<String>,
    pub partner_id: Option<i64>,
    pub partner_role: Option<String>,
    pub is_active: bool,
    pub password_changed_at: Option<OffsetDateTime>,
    pub brand_scoped: bool,
}

/// What kind of account a user row is, with its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Account {
    Operator(OperatorRole),
    Partner { partner_id: i64, role: PartnerRole },
}

impl UserRow {
    pub fn account(&self) -> Option<Account> {
        match (
            self.kind.as_str(),
            self.operator_role.as_deref(),
            self.partner_id,
            self.partner_role.as_deref(),
        ) {
            ("operator", Some(role), None, _) => OperatorRole::parse(role).map(Account::Operator),
            ("partner", None, Some(partner_id), Some(role)) => {
                PartnerRole::parse(role).map(|role| Account::Partner { partner_id, role })
            }
            _ => None,
        }
    }
}

pub async fn find_by_email(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(lower(users::email).eq(lower(email)))
        .select(UserRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn get(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<UserRow> {
    users::table.find(id).select(UserRow::as_select()).first(conn).await
}

pub async fn insert_operator(
    conn: &mut AsyncPgConnection,
    email: &str,
    display_name: &str,
    role: OperatorRole,
    password_hash: &str,
) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::display_name.eq(display_name),
            users::kind.eq("operator"),
            users::operator_role.eq(role.as_str()),
            users::password_hash.eq(password_hash),
            users::password_changed_at.eq(diesel::dsl::now),
        ))
        .returning(UserRow::as_returning())
        .get_result(conn)
        .await
}

/// A partner user without a password: they choose one through an emailed link.
pub async fn insert_partner_user(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    email: &str,
    display_name: &str,
    role: PartnerRole,
) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::display_name.eq(display_name),
            users::kind.eq("partner"),
            users::partner_id.eq(partner_id),
            users::partner_role.eq(role.as_str()),
        ))
        .returning(UserRow::as_returning())
        .get_result(conn)
        .await
}

/// The owner of a partner organization (who receives program emails).
pub async fn partner_owner(mut conn: &AsyncPgConnection, partner_id: i64) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::partner_id.eq(partner_id))
        .filter(users::partner_role.eq("owner"))
        .filter(users::is_active.eq(true))
        .select(UserRow::as_select())
        .order(users::id.asc())
        .first(&mut conn)
        .await
        .optional()
}

pub async fn set_password(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    password_hash: &str,
) -> QueryResult<OffsetDateTime> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(password_hash),
            users::password_changed_at.eq(diesel::dsl::now),
        ))
        .returning(users::password_changed_at.assume_not_null())
        .get_result(conn)
        .await
}

/// Active operators with one of `roles` who may see program `program_id` (those who see every
/// brand, and those assigned to its brand): (email, display name), for emails about it.
pub async fn active_operators(
    conn: &mut AsyncPgConnection,
    roles: &[&str],
    program_id: i64,
) -> QueryResult<Vec<(String, String)>> {
    let program_brand = programs::table
        .filter(programs::id.eq(program_id))
        .select(programs::brand_id);
    let assigned = operator_brands::table
        .filter(operator_brands::brand_id.eq_any(program_brand))
        .select(operator_brands::user_id);
    users::table
        .filter(users::kind.eq("operator"))
        .filter(users::is_active.eq(true))
        .filter(users::operator_role.eq_any(roles))
        .filter(users::brand_scoped.eq(false).or(users::id.eq_any(assigned)))
        .order(users::email.asc())
        .select((users::email, users::display_name))
        .load(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::partners::{self, NewPartner};
    use crate::backend::testing::TestDb;

    #[tokio::test]
    async fn operators_and_partner_users_share_one_email_namespace() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let op = insert_operator(&mut conn, "Boss@Example.com", "Boss", OperatorRole::Manager, "h")
            .await
            .unwrap();
        assert_eq!(op.account(), Some(Account::Operator(OperatorRole::Manager)));
        assert_eq!(
            find_by_email(&mut conn, "boss@example.com").await.unwrap().unwrap().id,
            op.id
        );

        let partner = partners::insert(
            &mut conn,
            &NewPartner {
                name: "P",
                email: "p@example.com",
                kind: "affiliate",
                country: "DE",
                website: None,
            },
        )
        .await
        .unwrap();
        let user = insert_partner_user(&mut conn, partner.id, "p@example.com", "P", PartnerRole::Owner)
            .await
            .unwrap();
        assert_eq!(
            user.account(),
            Some(Account::Partner {
                partner_id: partner.id,
                role: PartnerRole::Owner
            })
        );
        assert!(user.password_hash.is_none());
        assert_eq!(partner_owner(&conn, partner.id).await.unwrap().unwrap().id, user.id);

        let clash = insert_partner_user(&mut conn, partner.id, "BOSS@example.com", "X", PartnerRole::Member).await;
        assert!(clash.is_err(), "an operator's email can't become a partner login");

        let changed = set_password(&mut conn, user.id, "new-hash").await.unwrap();
        let reloaded = get(&mut conn, user.id).await.unwrap();
        assert_eq!(reloaded.password_hash.as_deref(), Some("new-hash"));
        assert_eq!(reloaded.password_changed_at, Some(changed));
    }
}
