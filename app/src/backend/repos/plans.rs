//! Commission plans. Rows are never updated (the database refuses): a changed plan is a new plan.

use crate::backend::schema::{commission_plans, programs};
use crate::domain::commission::Plan;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = commission_plans)]
pub struct PlanRow {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub definition: Value,
    pub created_at: OffsetDateTime,
}

impl PlanRow {
    /// The stored definition; it was validated on the way in.
    pub fn plan(&self) -> Result<Plan, serde_json::Error> {
        serde_json::from_value(self.definition.clone())
    }
}

/// `None` when the program already has a plan with this name.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    name: &str,
    plan: &Plan,
    created_by: Option<i64>,
    now: OffsetDateTime,
) -> QueryResult<Option<PlanRow>> {
    let definition = serde_json::to_value(plan).expect("a plan serializes");
    diesel::insert_into(commission_plans::table)
        .values((
            commission_plans::program_id.eq(program_id),
            commission_plans::name.eq(name),
            commission_plans::definition.eq(definition),
            commission_plans::created_by.eq(created_by),
            commission_plans::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .returning(PlanRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

pub async fn get(mut conn: &AsyncPgConnection, program_id: i64, plan_id: i64) -> QueryResult<Option<PlanRow>> {
    commission_plans::table
        .filter(commission_plans::program_id.eq(program_id))
        .filter(commission_plans::id.eq(plan_id))
        .select(PlanRow::as_select())
        .first(&mut conn)
        .await
        .optional()
}

pub async fn list(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<PlanRow>> {
    commission_plans::table
        .filter(commission_plans::program_id.eq(program_id))
        .order(commission_plans::created_at.desc())
        .select(PlanRow::as_select())
        .load(conn)
        .await
}

pub async fn default_plan_id(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Option<i64>> {
    programs::table
        .find(program_id)
        .select(programs::default_plan_id)
        .first(conn)
        .await
}

pub async fn set_default(conn: &mut AsyncPgConnection, program_id: i64, plan_id: i64) -> QueryResult<()> {
    diesel::update(programs::table.find(program_id))
        .set(programs::default_plan_id.eq(plan_id))
        .execute(conn)
        .await
        .map(drop)
}
