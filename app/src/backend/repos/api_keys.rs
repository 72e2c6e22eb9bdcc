//! Program API keys. A key is shown once; only its SHA-256 is stored (keys are 256-bit random,
//! so a fast hash is enough, and lookups by hash stay cheap on the ingestion path).

use crate::backend::schema::api_keys;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRow {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    name: &str,
    prefix: &str,
    key_hash: &[u8],
    created_by: Option<i64>,
    now: OffsetDateTime,
) -> QueryResult<ApiKeyRow> {
    diesel::insert_into(api_keys::table)
        .values((
            api_keys::program_id.eq(program_id),
            api_keys::name.eq(name),
            api_keys::prefix.eq(prefix),
            api_keys::key_hash.eq(key_hash),
            api_keys::created_by.eq(created_by),
            api_keys::created_at.eq(now),
        ))
        .returning(ApiKeyRow::as_returning())
        .get_result(conn)
        .await
}

/// The program of an active (not revoked) key.
pub async fn program_for(conn: &mut AsyncPgConnection, key_hash: &[u8]) -> QueryResult<Option<i64>> {
    api_keys::table
        .filter(api_keys::key_hash.eq(key_hash))
        .filter(api_keys::revoked_at.is_null())
        .select(api_keys::program_id)
        .first(conn)
        .await
        .optional()
}

pub async fn for_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<ApiKeyRow>> {
    api_keys::table
        .filter(api_keys::program_id.eq(program_id))
        .select(ApiKeyRow::as_select())
        .order((api_keys::revoked_at.is_not_null(), api_keys::created_at.desc()))
        .load(conn)
        .await
}

/// Revokes a key of `program_id`; revoking twice keeps the first time.
pub async fn revoke(conn: &mut AsyncPgConnection, program_id: i64, id: i64, now: OffsetDateTime) -> QueryResult<usize> {
    diesel::update(
        api_keys::table
            .filter(api_keys::id.eq(id))
            .filter(api_keys::program_id.eq(program_id))
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(now))
    .execute(conn)
    .await
}
