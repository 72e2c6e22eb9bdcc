//! Program API keys: making one (shown once) and finding the program of a presented key.

use super::ApiError;
use crate::backend::repos::api_keys::{self, ApiKeyRow};
use crate::backend::tokens;
use crate::backend::tracking::program_cache::ProgramCache;
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

pub const KEY_PREFIX: &str = "trk_";

/// A new key: the full secret (to show once) and its stored row.
pub async fn create(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    name: &str,
    created_by: Option<i64>,
    now: OffsetDateTime,
) -> diesel::QueryResult<(String, ApiKeyRow)> {
    let secret = format!("{KEY_PREFIX}{}", tokens::new_token());
    let row = api_keys::insert(
        conn,
        program_id,
        name,
        &secret[..KEY_PREFIX.len() + 6],
        &tokens::hash_token(&secret),
        created_by,
        now,
    )
    .await?;
    Ok((secret, row))
}

/// The program of the key in an `Authorization: Bearer` header value (or a postback's `key`),
/// through the instance's cache of live keys.
pub async fn authenticate(
    conn: &mut AsyncPgConnection,
    programs: &ProgramCache,
    presented: Option<&str>,
) -> Result<i64, ApiError> {
    let key = presented.map(str::trim).filter(|k| !k.is_empty()).ok_or_else(|| {
        ApiError::new(
            401,
            "unauthenticated",
            "an API key is required: send Authorization: Bearer KEY",
        )
    })?;
    programs
        .program_for_key(conn, &tokens::hash_token(key))
        .await?
        .ok_or_else(|| ApiError::new(401, "unauthenticated", "the API key is unknown or has been revoked"))
}

/// The key from an Authorization header value.
pub fn bearer(header: Option<&str>) -> Option<&str> {
    let value = header?.trim();
    let (scheme, key) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(key.trim())
}
