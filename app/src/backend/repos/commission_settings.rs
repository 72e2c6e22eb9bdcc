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
