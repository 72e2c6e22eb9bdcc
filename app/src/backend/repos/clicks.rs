//! Recorded clicks. Rows are written in batches by the click writer and never changed.

use crate::backend::schema::clicks;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

pub use super::click_batch::insert_with_rollups;

#[derive(Clone, Debug, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = clicks)]
pub struct ClickRow {
    pub id: String,
    pub link_id: i64,
    pub partner_id: i64,
    pub program_id: i64,
    pub clicked_at: OffsetDateTime,
    pub ip: String,
    pub user_agent: String,
    pub referrer: Option<String>,
    pub sub1: Option<String>,
    pub sub2: Option<String>,
    pub sub3: Option<String>,
    pub sub4: Option<String>,
    pub sub5: Option<String>,
    pub country: Option<String>,
    pub flag: Option<String>,
    /// The creative whose code the visitor followed, if any.
    pub creative_id: Option<i64>,
}

/// What attribution needs to know about a click id.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = clicks)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct ClickForAttribution {
    pub program_id: i64,
    pub partner_id: i64,
    pub link_id: i64,
    pub clicked_at: OffsetDateTime,
    pub sub1: Option<String>,
    pub country: Option<String>,
    pub flag: Option<String>,
    pub creative_id: Option<i64>,
}

/// [`for_attribution`] for several click ids, in one statement, each with its id.
pub async fn for_attribution_many(
    mut conn: &AsyncPgConnection,
    ids: &[&str],
) -> QueryResult<Vec<(String, ClickForAttribution)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    clicks::table
        .filter(clicks::id.eq_any(ids))
        .select((clicks::id, ClickForAttribution::as_select()))
        .load(&mut conn)
        .await
}

pub async fn for_attribution(mut conn: &AsyncPgConnection, id: &str) -> QueryResult<Option<ClickForAttribution>> {
    clicks::table
        .filter(clicks::id.eq(id))
        .select(ClickForAttribution::as_select())
        .first(&mut conn)
        .await
        .optional()
}
