//! What the console shows about one accrual beyond its row: every decision with the name of who
//! made it, and the entries derived from it (masters' overrides, refund reversals).

use crate::backend::schema::{commission_decisions, users};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, SmallInt, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable)]
pub struct DecisionLine {
    pub seq: i32,
    pub status: String,
    pub stage: Option<String>,
    /// `None` for the routing rules.
    pub actor: Option<String>,
    pub reason: String,
    pub created_at: OffsetDateTime,
}

/// Every decision on the accrual, oldest first.
pub async fn history(conn: &mut AsyncPgConnection, commission_id: i64) -> QueryResult<Vec<DecisionLine>> {
    commission_decisions::table
        .left_join(users::table.on(users::id.nullable().eq(commission_decisions::actor_id)))
        .filter(commission_decisions::commission_id.eq(commission_id))
        .order(commission_decisions::seq.asc())
        .select((
            commission_decisions::seq,
            commission_decisions::status,
            commission_decisions::stage,
            users::display_name.nullable(),
            commission_decisions::reason,
            commission_decisions::created_at,
        ))
        .load(conn)
        .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct DerivedEntry {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub partner_name: String,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Nullable<SmallInt>)]
    pub level: Option<i16>,
    #[diesel(sql_type = Text)]
    pub explanation: String,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: OffsetDateTime,
}

/// Entries that follow the accrual: overrides and reversals (including reversals of its
/// overrides), oldest first.
pub async fn derived(conn: &mut AsyncPgConnection, commission_id: i64) -> QueryResult<Vec<DerivedEntry>> {
    diesel::sql_query(
        "SELECT c.id, c.kind, p.name AS partner_name, c.amount, c.currency, c.level, c.explanation, c.created_at
         FROM commissions c JOIN partners p ON p.id = c.partner_id
         WHERE c.source_id = $1
            OR c.source_id IN (SELECT o.id FROM commissions o WHERE o.source_id = $1)
         ORDER BY c.created_at, c.id",
    )
    .bind::<BigInt, _>(commission_id)
    .load(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::ledger::{self, NewEntry};
    use crate::backend::repos::testing_ledger::{accrual, program_with_partners};
    use crate::backend::testing::TestDb;
    use crate::domain::commission::approval::{Stage, State};

    #[tokio::test]
    async fn history_names_the_deciders_and_derived_entries_follow_the_accrual() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let now = OffsetDateTime::now_utc();
        let (program, [ada, bob]) = program_with_partners(&mut conn).await;
        let id = accrual(&mut conn, program, ada, "A-1", 40, State::Pending(Stage::Manager), now).await;
        let other = accrual(&mut conn, program, bob, "B-1", 50, State::Pending(Stage::Manager), now).await;
        let admin = crate::backend::repos::users::find_by_email(&mut conn, "admin@example.com")
            .await
            .unwrap()
            .unwrap();
        ledger::decide(&conn, id, 2, State::Approved, Some(admin.id), "approved", now)
            .await
            .unwrap();
        let lines = history(&mut conn, id).await.unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].actor, None);
        assert_eq!(lines[1].actor.as_deref(), Some("Avery"));

        let all = crate::backend::scope::Scope::everything(&mut conn).await.unwrap();
        let entry = ledger::get_in_scope(&mut conn, &all, id).await.unwrap().unwrap();
        let over = ledger::insert(
            &conn,
            &NewEntry {
                conversion_id: entry.conversion_id,
                program_id: program,
                partner_id: bob,
                kind: "override".into(),
                amount: Decimal::from(4),
                currency: "EUR".into(),
                refund_id: None,
                explanation: "level 1 override".into(),
                terms_version_id: None,
                inputs: None,
                source_id: Some(id),
                level: Some(1),
                reason: None,
                created_by: None,
                payable_at: entry.payable_at,
                created_at: now,
            },
        )
        .await
        .unwrap();
        let derived_entries = derived(&mut conn, id).await.unwrap();
        assert_eq!(derived_entries.len(), 1);
        assert_eq!(
            (derived_entries[0].id, derived_entries[0].partner_name.as_str()),
            (over.id, "Bob Deals")
        );
        assert!(derived(&mut conn, other).await.unwrap().is_empty());
    }
}
