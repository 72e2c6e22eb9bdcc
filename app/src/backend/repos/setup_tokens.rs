//! The one-time setup link of a new installation. Only the token's hash is stored; a token
//! works once, for an hour, and only while no operator exists (the flow checks that).

use crate::backend::schema::setup_tokens;
use crate::backend::tokens::{hash_token, new_token};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::time::Duration;
use time::OffsetDateTime;

pub const LIFETIME: Duration = Duration::from_secs(3600);

/// A new token; earlier unused ones stop working, so only the link printed last is valid.
pub async fn issue(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> QueryResult<String> {
    diesel::update(setup_tokens::table.filter(setup_tokens::used_at.is_null()))
        .set(setup_tokens::used_at.eq(now))
        .execute(conn)
        .await?;
    let token = new_token();
    diesel::insert_into(setup_tokens::table)
        .values((
            setup_tokens::token_hash.eq(hash_token(&token)),
            setup_tokens::created_at.eq(now),
            setup_tokens::expires_at.eq(now + LIFETIME),
        ))
        .execute(conn)
        .await?;
    Ok(token)
}

/// Whether the token is unused and unexpired, without using it.
pub async fn is_valid(conn: &mut AsyncPgConnection, token: &str, now: OffsetDateTime) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        setup_tokens::table
            .filter(setup_tokens::token_hash.eq(hash_token(token)))
            .filter(setup_tokens::used_at.is_null())
            .filter(setup_tokens::expires_at.gt(now)),
    ))
    .get_result(conn)
    .await
}

/// Uses the token, atomically: of two concurrent uses, one wins.
pub async fn consume(conn: &mut AsyncPgConnection, token: &str, now: OffsetDateTime) -> QueryResult<bool> {
    let used = diesel::update(
        setup_tokens::table
            .filter(setup_tokens::token_hash.eq(hash_token(token)))
            .filter(setup_tokens::used_at.is_null())
            .filter(setup_tokens::expires_at.gt(now)),
    )
    .set(setup_tokens::used_at.eq(now))
    .execute(conn)
    .await?;
    Ok(used == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;

    #[tokio::test]
    async fn a_token_works_once_for_an_hour_and_only_the_newest() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let now = OffsetDateTime::now_utc();
        let first = issue(&mut conn, now).await.unwrap();
        assert!(is_valid(&mut conn, &first, now).await.unwrap());
        let second = issue(&mut conn, now).await.unwrap();
        assert!(
            !is_valid(&mut conn, &first, now).await.unwrap(),
            "replaced by the newer link"
        );
        assert!(!is_valid(&mut conn, "", now).await.unwrap());
        let later = now + LIFETIME;
        assert!(!consume(&mut conn, &second, later).await.unwrap(), "expired");
        assert!(consume(&mut conn, &second, now).await.unwrap());
        assert!(!consume(&mut conn, &second, now).await.unwrap(), "used");
    }
}
