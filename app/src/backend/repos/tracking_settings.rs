//! A program's tracking settings and its simple commission rule.

use crate::backend::schema::{commission_rules, programs};
use crate::domain::commission::{RuleKind, SimpleRule};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Queryable, Selectable)]
#[diesel(table_name = programs)]
pub struct TrackingSettings {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub currency: String,
    pub allowed_domains: Vec<String>,
    pub default_landing_url: Option<String>,
    pub cookie_days: i32,
    pub attribution_model: String,
    pub click_param: String,
    pub coupons_override: bool,
}

#[derive(Clone, Debug, AsChangeset)]
#[diesel(table_name = programs)]
pub struct SettingsChange {
    pub allowed_domains: Vec<String>,
    pub default_landing_url: Option<String>,
    pub cookie_days: i32,
    pub attribution_model: String,
    pub click_param: String,
    pub coupons_override: bool,
}

pub async fn get(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<TrackingSettings> {
    programs::table
        .find(program_id)
        .select(TrackingSettings::as_select())
        .first(conn)
        .await
}

pub async fn list(conn: &mut AsyncPgConnection) -> QueryResult<Vec<TrackingSettings>> {
    programs::table
        .order(programs::name.asc())
        .select(TrackingSettings::as_select())
        .load(conn)
        .await
}

pub async fn update(conn: &mut AsyncPgConnection, program_id: i64, change: &SettingsChange) -> QueryResult<()> {
    diesel::update(programs::table.find(program_id))
        .set(change)
        .execute(conn)
        .await
        .map(drop)
}

/// The program's rule; a program nobody has configured pays nothing until someone does.
pub async fn rule(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Option<SimpleRule>> {
    let row: Option<(String, Decimal)> = commission_rules::table
        .find(program_id)
        .select((commission_rules::kind, commission_rules::value))
        .first(conn)
        .await
        .optional()?;
    Ok(row.and_then(|(kind, value)| RuleKind::parse(&kind).map(|kind| SimpleRule { kind, value })))
}

pub async fn set_rule(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    rule: &SimpleRule,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::insert_into(commission_rules::table)
        .values((
            commission_rules::program_id.eq(program_id),
            commission_rules::kind.eq(rule.kind.as_str()),
            commission_rules::value.eq(rule.value),
            commission_rules::updated_at.eq(now),
        ))
        .on_conflict(commission_rules::program_id)
        .do_update()
        .set((
            commission_rules::kind.eq(rule.kind.as_str()),
            commission_rules::value.eq(rule.value),
            commission_rules::updated_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}
