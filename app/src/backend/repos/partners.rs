//! Partner organizations: one identity per email address across every program.

use crate::backend::schema::partners;
use crate::backend::sql::lower;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = partners)]
pub struct PartnerRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub kind: String,
    pub country: String,
    pub website: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = partners)]
pub struct NewPartner<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub kind: &'a str,
    pub country: &'a str,
    pub website: Option<&'a str>,
}

pub async fn find_by_email(conn: &mut AsyncPgConnection, email: &str) -> QueryResult<Option<PartnerRow>> {
    partners::table
        .filter(lower(partners::email).eq(lower(email)))
        .select(PartnerRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewPartner<'_>) -> QueryResult<PartnerRow> {
    diesel::insert_into(partners::table)
        .values(new)
        .returning(PartnerRow::as_returning())
        .get_result(conn)
        .await
}

/// The partner, locked until the transaction ends: changes to its payout details queue here.
pub async fn lock(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<PartnerRow> {
    partners::table
        .find(id)
        .select(PartnerRow::as_select())
        .for_update()
        .first(conn)
        .await
}

pub async fn get(mut conn: &AsyncPgConnection, id: i64) -> QueryResult<PartnerRow> {
    partners::table
        .find(id)
        .select(PartnerRow::as_select())
        .first(&mut conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;

    #[tokio::test]
    async fn one_identity_per_email_whatever_its_case() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let new = NewPartner {
            name: "Ada <Deals>",
            email: "Ada@Example.com",
            kind: "creator",
            country: "GB",
            website: None,
        };
        let ada = insert(&mut conn, &new).await.unwrap();
        assert_eq!(
            find_by_email(&mut conn, "ada@example.COM").await.unwrap().unwrap().id,
            ada.id
        );
        assert_eq!(get(&conn, ada.id).await.unwrap().name, "Ada <Deals>");
        let twin = NewPartner {
            email: "ADA@example.com",
            ..new
        };
        let err = insert(&mut conn, &twin).await.unwrap_err();
        assert!(matches!(
            err,
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
        ));
        let count: i64 = partners::table.count().get_result(&mut conn).await.unwrap();
        assert_eq!(count, 1);
    }
}
