//! A program's tracking settings.

use crate::backend::schema::programs;
use crate::backend::scope::Scope;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

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

/// The programs in the operator's scope, by name.
pub async fn list(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<Vec<TrackingSettings>> {
    programs::table
        .filter(programs::id.eq_any(&scope.programs))
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
