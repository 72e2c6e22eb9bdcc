//! Operators as the console's Operators page manages them: invitations, roles, brands and
//! deactivation. (Logging in and passwords live in `users`.)

use crate::backend::schema::{brands, operator_brands, users};
use crate::domain::access::OperatorRole;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct OperatorRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub operator_role: Option<String>,
    pub is_active: bool,
    pub brand_scoped: bool,
    pub created_at: OffsetDateTime,
    /// None until the invited person chooses a password.
    pub password_changed_at: Option<OffsetDateTime>,
}

/// Every operator, oldest first, with the names of the brands each is limited to.
pub async fn list(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(OperatorRow, Vec<(i64, String)>)>> {
    let rows: Vec<OperatorRow> = users::table
        .filter(users::kind.eq("operator"))
        .order(users::id.asc())
        .select(OperatorRow::as_select())
        .load(conn)
        .await?;
    let assigned: Vec<(i64, i64, String)> = operator_brands::table
        .inner_join(brands::table)
        .select((operator_brands::user_id, brands::id, brands::name))
        .order(brands::name.asc())
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let names = assigned
                .iter()
                .filter(|(user, _, _)| *user == row.id)
                .map(|(_, id, name)| (*id, name.clone()))
                .collect();
            (row, names)
        })
        .collect())
}

pub async fn get(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<OperatorRow>> {
    users::table
        .filter(users::kind.eq("operator"))
        .filter(users::id.eq(id))
        .select(OperatorRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Whether any operator exists at all (the first-run setup is open only while none does).
pub async fn any_exists(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(users::table.filter(users::kind.eq("operator"))))
        .get_result(conn)
        .await
}

/// Active admins, counted under a lock on their rows, so two admins demoting each other at
/// the same moment can't both succeed.
pub async fn lock_active_admins(conn: &mut AsyncPgConnection) -> QueryResult<Vec<i64>> {
    users::table
        .filter(users::kind.eq("operator"))
        .filter(users::operator_role.eq(OperatorRole::Admin.as_str()))
        .filter(users::is_active.eq(true))
        .select(users::id)
        .order(users::id.asc())
        .for_update()
        .load(conn)
        .await
}

/// An invited operator: no password until they follow their link.
pub async fn insert_invited(
    conn: &mut AsyncPgConnection,
    email: &str,
    display_name: &str,
    role: OperatorRole,
    invited_by: i64,
) -> QueryResult<OperatorRow> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::display_name.eq(display_name),
            users::kind.eq("operator"),
            users::operator_role.eq(role.as_str()),
            users::invited_by.eq(invited_by),
        ))
        .returning(OperatorRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn set_role(conn: &mut AsyncPgConnection, id: i64, role: OperatorRole) -> QueryResult<usize> {
    diesel::update(users::table.filter(users::kind.eq("operator")).filter(users::id.eq(id)))
        .set(users::operator_role.eq(role.as_str()))
        .execute(conn)
        .await
}

/// Deactivating ends the person's sessions at once: every request checks `is_active`.
pub async fn set_active(conn: &mut AsyncPgConnection, id: i64, active: bool) -> QueryResult<usize> {
    diesel::update(users::table.filter(users::kind.eq("operator")).filter(users::id.eq(id)))
        .set(users::is_active.eq(active))
        .execute(conn)
        .await
}

/// Limits an operator to `brands` (scoped), or lets them see every brand.
pub async fn set_brands(conn: &mut AsyncPgConnection, id: i64, scoped: bool, brands: &[i64]) -> QueryResult<()> {
    diesel::update(users::table.filter(users::kind.eq("operator")).filter(users::id.eq(id)))
        .set(users::brand_scoped.eq(scoped))
        .execute(conn)
        .await?;
    diesel::delete(operator_brands::table.filter(operator_brands::user_id.eq(id)))
        .execute(conn)
        .await?;
    if scoped {
        let rows: Vec<_> = brands
            .iter()
            .map(|b| (operator_brands::user_id.eq(id), operator_brands::brand_id.eq(*b)))
            .collect();
        diesel::insert_into(operator_brands::table)
            .values(rows)
            .execute(conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::{programs, users as user_repo};
    use crate::backend::testing::TestDb;

    #[tokio::test]
    async fn invited_operators_get_roles_brands_and_can_be_deactivated() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        assert!(!any_exists(&mut conn).await.unwrap());
        let admin = user_repo::insert_operator(&mut conn, "a@example.com", "A", OperatorRole::Admin, "h")
            .await
            .unwrap();
        assert!(any_exists(&mut conn).await.unwrap());
        let brand = programs::insert_brand(&mut conn, "Globex", "globex").await.unwrap();
        let invited = insert_invited(&mut conn, "v@example.com", "V", OperatorRole::Viewer, admin.id)
            .await
            .unwrap();
        assert!(invited.password_changed_at.is_none() && invited.is_active);

        set_role(&mut conn, invited.id, OperatorRole::Finance).await.unwrap();
        set_brands(&mut conn, invited.id, true, &[brand]).await.unwrap();
        let listed = list(&mut conn).await.unwrap();
        let (row, brands) = listed.iter().find(|(r, _)| r.id == invited.id).unwrap();
        assert_eq!(row.operator_role.as_deref(), Some("finance"));
        assert!(row.brand_scoped);
        assert_eq!(brands, &vec![(brand, "Globex".to_owned())]);

        set_brands(&mut conn, invited.id, false, &[]).await.unwrap();
        assert!(!get(&mut conn, invited.id).await.unwrap().unwrap().brand_scoped);
        assert_eq!(lock_active_admins(&mut conn).await.unwrap(), vec![admin.id]);
        set_active(&mut conn, admin.id, false).await.unwrap();
        assert!(lock_active_admins(&mut conn).await.unwrap().is_empty());
        // A partner user's id is not an operator: nothing changes.
        assert!(get(&mut conn, 999_999).await.unwrap().is_none());
        let open = crate::backend::repos::password_tokens::with_open_invite(
            &mut conn,
            &[invited.id],
            OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
        assert!(open.is_empty(), "insert_invited issues no link by itself");
    }
}
