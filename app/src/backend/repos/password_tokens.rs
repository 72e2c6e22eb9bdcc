//! Single-use, expiring tokens for password resets and first-password invitations.

use crate::backend::schema::password_tokens;
use crate::backend::tokens::{hash_token, new_token};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::time::Duration;
use time::OffsetDateTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Reset,
    Invite,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::Invite => "invite",
        }
    }
}

/// Which of `user_ids` hold an invitation link that still works (one query for a whole list).
pub async fn with_open_invite(
    conn: &mut AsyncPgConnection,
    user_ids: &[i64],
    now: OffsetDateTime,
) -> QueryResult<Vec<i64>> {
    password_tokens::table
        .filter(password_tokens::user_id.eq_any(user_ids))
        .filter(password_tokens::purpose.eq(Purpose::Invite.as_str()))
        .filter(password_tokens::used_at.is_null())
        .filter(password_tokens::expires_at.gt(now))
        .select(password_tokens::user_id)
        .distinct()
        .load(conn)
        .await
}

/// Stores the hash of a new token and returns the token itself (to put in a link).
pub async fn issue(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    purpose: Purpose,
    ttl: Duration,
    now: OffsetDateTime,
) -> QueryResult<String> {
    let token = new_token();
    diesel::insert_into(password_tokens::table)
        .values((
            password_tokens::user_id.eq(user_id),
            password_tokens::token_hash.eq(hash_token(&token)),
            password_tokens::purpose.eq(purpose.as_str()),
            password_tokens::created_at.eq(now),
            password_tokens::expires_at.eq(now + ttl),
        ))
        .execute(conn)
        .await?;
    Ok(token)
}

/// The user a token belongs to, if it is unused and unexpired, without using it.
pub async fn peek(conn: &mut AsyncPgConnection, token: &str, now: OffsetDateTime) -> QueryResult<Option<i64>> {
    password_tokens::table
        .filter(password_tokens::token_hash.eq(hash_token(token)))
        .filter(password_tokens::used_at.is_null())
        .filter(password_tokens::expires_at.gt(now))
        .select(password_tokens::user_id)
        .first(conn)
        .await
        .optional()
}

/// Marks the token used and returns its user, atomically: of two concurrent uses, one wins.
pub async fn consume(conn: &mut AsyncPgConnection, token: &str, now: OffsetDateTime) -> QueryResult<Option<i64>> {
    diesel::update(
        password_tokens::table
            .filter(password_tokens::token_hash.eq(hash_token(token)))
            .filter(password_tokens::used_at.is_null())
            .filter(password_tokens::expires_at.gt(now)),
    )
    .set(password_tokens::used_at.eq(now))
    .returning(password_tokens::user_id)
    .get_result(conn)
    .await
    .optional()
}

/// Every open token of the user stops working: once a password is set, or the person is removed.
pub async fn revoke_all(conn: &mut AsyncPgConnection, user_id: i64, now: OffsetDateTime) -> QueryResult<usize> {
    diesel::update(
        password_tokens::table
            .filter(password_tokens::user_id.eq(user_id))
            .filter(password_tokens::used_at.is_null()),
    )
    .set(password_tokens::used_at.eq(now))
    .execute(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::users;
    use crate::backend::testing::TestDb;
    use crate::domain::access::OperatorRole;

    #[tokio::test]
    async fn tokens_work_once_and_expire() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let user = users::insert_operator(&mut conn, "a@example.com", "A", OperatorRole::Admin, "h")
            .await
            .unwrap();
        let now = OffsetDateTime::now_utc();
        let hour = Duration::from_secs(3600);
        let token = issue(&mut conn, user.id, Purpose::Reset, hour, now).await.unwrap();

        assert_eq!(peek(&mut conn, &token, now).await.unwrap(), Some(user.id));
        assert_eq!(peek(&mut conn, "forged", now).await.unwrap(), None);
        let later = now + Duration::from_secs(3601);
        assert_eq!(consume(&mut conn, &token, later).await.unwrap(), None, "expired");
        assert_eq!(consume(&mut conn, &token, now).await.unwrap(), Some(user.id));
        assert_eq!(consume(&mut conn, &token, now).await.unwrap(), None, "used");

        let other = issue(&mut conn, user.id, Purpose::Invite, hour, now).await.unwrap();
        assert_eq!(revoke_all(&mut conn, user.id, now).await.unwrap(), 1);
        assert_eq!(peek(&mut conn, &other, now).await.unwrap(), None);
    }
}
