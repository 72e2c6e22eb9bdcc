//! A program's tracking settings.

use crate::backend::schema::{program_memberships as pm, programs};
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

/// The settings of every program the partner is active in, in one query: most recently applied
/// to first, as the partner's program list shows them.
pub async fn of_active_memberships(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
) -> QueryResult<Vec<TrackingSettings>> {
    pm::table
        .inner_join(programs::table)
        .filter(pm::partner_id.eq(partner_id))
        .filter(pm::status.eq("active"))
        .order((pm::applied_at.desc(), pm::id.desc()))
        .select(TrackingSettings::as_select())
        .load(conn)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::testing_home::{brands, execute};
    use crate::backend::testing::TestDb;

    #[tokio::test]
    async fn of_active_memberships_reads_the_partners_active_programs_only() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let ids = brands(&mut conn).await;
        let names = |rows: Vec<TrackingSettings>| rows.into_iter().map(|s| s.name).collect::<Vec<_>>();
        // Ada: active in Acme EUR (applied 10 days ago) and Acme USD (40 days), applied to Globex.
        assert_eq!(
            names(of_active_memberships(&mut conn, ids.ada).await.unwrap()),
            ["Acme EUR", "Acme USD"]
        );
        // Most recently applied to first, whatever the names and ids.
        execute(
            &mut conn,
            &format!(
                "UPDATE program_memberships SET applied_at = now() WHERE partner_id = {} AND program_id = {}",
                ids.ada, ids.acme_usd
            ),
        )
        .await;
        assert_eq!(
            names(of_active_memberships(&mut conn, ids.ada).await.unwrap()),
            ["Acme USD", "Acme EUR"]
        );
        // Bob: applied to Acme EUR, active in Acme USD.
        assert_eq!(
            names(of_active_memberships(&mut conn, ids.bob).await.unwrap()),
            ["Acme USD"]
        );
        let acme_usd = of_active_memberships(&mut conn, ids.bob).await.unwrap().remove(0);
        assert_eq!(
            acme_usd,
            get(&mut conn, ids.acme_usd).await.unwrap(),
            "the same settings `get` reads"
        );
    }
}
