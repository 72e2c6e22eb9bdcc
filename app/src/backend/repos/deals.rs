//! Deal registrations. The partial unique index `deals_one_open_per_domain_idx` decides
//! conflicts: an insert that collides with an open registration for the same domain and program
//! inserts nothing, and the caller gets `Registered::Conflict` without learning whose it is.

use crate::backend::schema::deals;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = deals)]
pub struct NewDeal {
    pub program_id: i64,
    pub partner_id: i64,
    pub company: String,
    pub domain: String,
    pub country: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_title: Option<String>,
    pub value: Decimal,
    pub currency: String,
    pub expected_close: Date,
    pub notes: Option<String>,
    pub warnings: Vec<String>,
    pub submitted_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Registered {
    Created(i64),
    /// An open registration for this domain exists in the program.
    Conflict,
}

/// Registers the deal unless an open registration holds its domain. The insert runs in its own
/// transaction (a savepoint inside the caller's), so a conflict leaves the caller's usable.
pub async fn register(conn: &mut AsyncPgConnection, deal: &NewDeal) -> QueryResult<Registered> {
    let inserted = conn
        .transaction::<i64, DieselError, _>(async |conn| {
            diesel::insert_into(deals::table)
                .values(deal)
                .returning(deals::id)
                .get_result(conn)
                .await
        })
        .await;
    match inserted {
        Ok(id) => Ok(Registered::Created(id)),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
            if info.constraint_name() == Some("deals_one_open_per_domain_idx") =>
        {
            Ok(Registered::Conflict)
        }
        Err(other) => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;
    use diesel::sql_types::BigInt;

    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    async fn number(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
        diesel::sql_query(sql).get_result::<N>(conn).await.unwrap().n
    }

    fn deal(program_id: i64, partner_id: i64, domain: &str) -> NewDeal {
        NewDeal {
            program_id,
            partner_id,
            company: "Acme".into(),
            domain: domain.into(),
            country: "DE".into(),
            contact_name: "Eve".into(),
            contact_email: "eve@acme.com".into(),
            contact_title: None,
            value: Decimal::from(10_000),
            currency: "EUR".into(),
            expected_close: time::macros::date!(2027 - 03 - 31),
            notes: None,
            warnings: vec![],
            submitted_at: OffsetDateTime::now_utc(),
        }
    }

    /// Of 100 concurrent registrations of one account by different partners, exactly one wins;
    /// once it is no longer open (rejected), the account can be registered again.
    #[tokio::test]
    async fn exactly_one_of_a_hundred_concurrent_registrations_wins() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let program = number(
            &mut conn,
            "WITH b AS (INSERT INTO brands (name, slug) VALUES ('Acme', 'acme') RETURNING id)
             INSERT INTO programs (brand_id, name, slug, currency, terms) SELECT id, 'Resellers', 'resellers', 'EUR', 't' FROM b RETURNING id AS n",
        )
        .await;
        diesel::sql_query(format!(
            "WITH p AS (INSERT INTO partners (name, email, kind, country)
                        SELECT 'P' || i, 'p' || i || '@x.test', 'reseller', 'DE' FROM generate_series(1, 100) i RETURNING id)
             INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
             SELECT id, {program}, 'active', 'resale', now() FROM p"
        ))
        .execute(&mut conn)
        .await
        .unwrap();
        let partners: Vec<i64> = crate::backend::repos::memberships::active_partner_ids(&mut conn, program)
            .await
            .unwrap();
        assert_eq!(partners.len(), 100);
        let first = partners[0];
        let mut tasks = Vec::new();
        for partner in partners {
            let pool = db.pool();
            tasks.push(tokio::spawn(async move {
                let mut conn = pool.get().await.unwrap();
                register(&mut conn, &deal(program, partner, "acme.com")).await.unwrap()
            }));
        }
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.unwrap());
        }
        let winners: Vec<_> = outcomes
            .iter()
            .filter(|o| matches!(o, Registered::Created(_)))
            .collect();
        assert_eq!(winners.len(), 1, "{outcomes:?}");
        assert_eq!(number(&mut conn, "SELECT count(*) AS n FROM deals").await, 1);
        // A conflict inside a caller's transaction leaves that transaction usable.
        let inside = conn
            .transaction::<_, DieselError, _>(async |conn| {
                let outcome = register(conn, &deal(program, first, "acme.com")).await?;
                let count = number(conn, "SELECT count(*) AS n FROM deals").await;
                Ok((outcome, count))
            })
            .await
            .unwrap();
        assert_eq!(inside, (Registered::Conflict, 1));
        diesel::sql_query("UPDATE deals SET status = 'rejected'")
            .execute(&mut conn)
            .await
            .unwrap();
        let again = register(&mut conn, &deal(program, first, "acme.com")).await.unwrap();
        assert!(
            matches!(again, Registered::Created(_)),
            "a rejected registration no longer holds the account"
        );
        let other = register(&mut conn, &deal(program, first, "acme.co.uk")).await.unwrap();
        assert!(
            matches!(other, Registered::Created(_)),
            "a near match is a warning, not a conflict"
        );
    }
}
