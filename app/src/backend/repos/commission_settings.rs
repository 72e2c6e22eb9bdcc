//! A program's commission settings: routing thresholds, lock period, SLA hours, whether partners
//! may invite sub-partners, and the default plan.

use crate::backend::schema::programs;
use crate::domain::commission::approval::Routing;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, AsChangeset)]
#[diesel(table_name = programs, treat_none_as_null = true)]
pub struct CommissionSettings {
    pub auto_approve_below: Option<Decimal>,
    pub finance_above: Option<Decimal>,
    pub lock_days: i32,
    pub sla_remind_hours: i32,
    pub sla_escalate_hours: i32,
    pub sub_partner_invites: bool,
}

impl CommissionSettings {
    pub fn routing(&self) -> Routing {
        Routing {
            auto_approve_below: self.auto_approve_below,
            finance_above: self.finance_above,
        }
    }
}

pub async fn get(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<CommissionSettings> {
    programs::table
        .find(program_id)
        .select(CommissionSettings::as_select())
        .first(conn)
        .await
}

pub async fn update(conn: &mut AsyncPgConnection, program_id: i64, settings: &CommissionSettings) -> QueryResult<()> {
    diesel::update(programs::table.find(program_id))
        .set(settings)
        .execute(conn)
        .await
        .map(drop)
}

/// The program's review threshold for manual adjustments (0: every adjustment waits for finance).
pub async fn adjustment_review_above(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Decimal> {
    programs::table
        .find(program_id)
        .select(programs::adjustment_review_above)
        .first(conn)
        .await
}

pub async fn set_adjustment_review_above(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    amount: Decimal,
) -> QueryResult<()> {
    diesel::update(programs::table.find(program_id))
        .set(programs::adjustment_review_above.eq(amount))
        .execute(conn)
        .await
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::testing_ledger::program_with_partners;
    use crate::backend::testing::TestDb;

    #[tokio::test]
    async fn the_adjustment_threshold_defaults_to_zero_and_refuses_negatives() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let (program, _) = program_with_partners(&mut conn).await;
        assert_eq!(
            adjustment_review_above(&mut conn, program).await.unwrap(),
            Decimal::ZERO
        );
        set_adjustment_review_above(&mut conn, program, Decimal::new(25050, 2))
            .await
            .unwrap();
        assert_eq!(
            adjustment_review_above(&mut conn, program).await.unwrap(),
            Decimal::new(25050, 2)
        );
        let other_settings = get(&mut conn, program).await.unwrap();
        assert_eq!(other_settings.lock_days, 30, "the other settings are untouched");
        assert!(set_adjustment_review_above(&mut conn, program, Decimal::from(-1))
            .await
            .is_err());
        assert!(adjustment_review_above(&mut conn, program + 1000).await.is_err());
    }
}
