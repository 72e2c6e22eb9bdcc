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
#[derive(Clone, Debug, Queryable)]
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

pub async fn for_attribution(mut conn: &AsyncPgConnection, id: &str) -> QueryResult<Option<ClickForAttribution>> {
    clicks::table
        .filter(clicks::id.eq(id))
        .select((
            clicks::program_id,
            clicks::partner_id,
            clicks::link_id,
            clicks::clicked_at,
            clicks::sub1,
            clicks::country,
            clicks::flag,
            clicks::creative_id,
        ))
        .first(&mut conn)
        .await
        .optional()
}
