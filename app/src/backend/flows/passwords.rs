//! Password resets by emailed single-use token, first passwords from an invitation, and
//! password changes. Every success ends other sessions (see `auth::current_user`).

use super::RequestMeta;
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::passwords;
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::password_tokens::{self, Purpose};
use crate::backend::repos::{outbox, rate_limits, users};
use crate::backend::settings::Settings;
use crate::domain::emails;
use crate::domain::password::check_new_password;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use std::time::Duration;
use time::OffsetDateTime;

/// Reset emails per address per hour; more are silently dropped so nobody can flood an inbox.
const RESETS_PER_HOUR: i32 = 3;

/// Emails a reset link when the address belongs to an active account. The caller shows the
/// same answer either way, so the form doesn't reveal which addresses have accounts.
pub async fn request_reset(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    email: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let Some(user) = users::find_by_email(conn, email).await?.filter(|u| u.is_active) else {
            return Ok(());
        };
        let usage = rate_limits::hit(conn, &format!("reset:{}", user.id), Duration::from_secs(3600), now).await?;
        if usage.hits > RESETS_PER_HOUR {
            tracing::info!(user_id = user.id, "password reset email suppressed by rate limit");
            return Ok(());
        }
        let token = password_tokens::issue(conn, user.id, Purpose::Reset, settings.reset_token_ttl, now).await?;
        let link = format!("{}/set-password?token={token}", settings.base_url);
        outbox::enqueue(conn, &user.email, &emails::password_reset(&user.display_name, &link)).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &Actor::user(user.id, &user.email),
                action: "user.password_reset_requested",
                subject_type: "user",
                subject_id: user.id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "ip": meta.ip })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

pub const EXPIRED_LINK: &str = crate::api::auth::EXPIRED_LINK_MESSAGE;

/// Sets a password from a reset or invitation token. A weak password leaves the token unused.
pub async fn set_with_token(
    conn: &mut AsyncPgConnection,
    token: &str,
    password: &str,
    confirmation: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<i64, AppError> {
    check_new_password(password, confirmation).map_err(|(field, message)| AppError::field(field, message))?;
    let hash = passwords::hash(password.to_owned())
        .await
        .map_err(crate::backend::errors::internal)?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let user_id = password_tokens::consume(conn, token, now)
            .await?
            .ok_or_else(|| AppError::field("token", EXPIRED_LINK))?;
        users::set_password(conn, user_id, &hash).await?;
        password_tokens::revoke_all(conn, user_id, now).await?;
        let user = users::get(conn, user_id).await?;
        record(conn, &Actor::user(user.id, &user.email), "user.password_set", meta).await?;
        Ok(user_id)
    })
    .await
}

/// Changes the password of a logged-in user who knows the current one.
pub async fn change(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    current: &str,
    password: &str,
    confirmation: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let attempts = rate_limits::hit(
        conn,
        &format!("pwchange:{}", user.id),
        Duration::from_secs(900),
        OffsetDateTime::now_utc(),
    )
    .await?;
    if attempts.hits > 10 {
        let wait = (attempts.resets_at - OffsetDateTime::now_utc()).whole_seconds().max(1) as u64;
        return Err(AppError::TooManyRequests { retry_after_secs: wait });
    }
    let row = users::get(conn, user.id).await?;
    if !passwords::verify(current.to_owned(), row.password_hash).await {
        return Err(AppError::field("current_password", "That isn't your current password."));
    }
    check_new_password(password, confirmation).map_err(|(field, message)| AppError::field(field, message))?;
    let hash = passwords::hash(password.to_owned())
        .await
        .map_err(crate::backend::errors::internal)?;
    conn.transaction::<_, AppError, _>(async |conn| {
        users::set_password(conn, user.id, &hash).await?;
        password_tokens::revoke_all(conn, user.id, OffsetDateTime::now_utc()).await?;
        record(conn, &user.actor(), "user.password_changed", meta).await
    })
    .await
}

async fn record(conn: &mut AsyncPgConnection, actor: &Actor, action: &str, meta: &RequestMeta) -> Result<(), AppError> {
    audit::record(
        conn,
        NewEvent {
            actor,
            action,
            subject_type: "user",
            subject_id: actor.user_id.map(|id| id.to_string()).unwrap_or_default(),
            before: None,
            after: None,
            request_id: meta.request_id.as_deref(),
        },
    )
    .await
    .map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::schema;
    use crate::backend::testing::TestDb;
    use crate::domain::access::OperatorRole;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;

    fn token_from(text: &str) -> String {
        text.split("token=")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned()
    }

    #[tokio::test]
    async fn a_reset_link_sets_the_password_once() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let settings = Settings::for_local(std::env::temp_dir());
        let user = users::insert_operator(&mut conn, "op@example.com", "Op", OperatorRole::Admin, "old")
            .await
            .unwrap();
        let now = OffsetDateTime::now_utc();
        let meta = RequestMeta::default();
        request_reset(&mut conn, &settings, "OP@example.com", &meta, now)
            .await
            .unwrap();
        request_reset(&mut conn, &settings, "nobody@example.com", &meta, now)
            .await
            .unwrap();
        let texts: Vec<String> = schema::email_outbox::table
            .select(schema::email_outbox::body_text)
            .load(&mut conn)
            .await
            .unwrap();
        assert_eq!(texts.len(), 1, "only real accounts get mail");
        let token = token_from(&texts[0]);

        let weak = set_with_token(&mut conn, &token, "short", "short", &meta, now).await;
        assert!(matches!(weak, Err(AppError::Invalid(ref e)) if e.get("password").is_some()));
        assert_eq!(
            users::get(&mut conn, user.id).await.unwrap().password_hash.as_deref(),
            Some("old"),
            "unchanged"
        );

        set_with_token(&mut conn, &token, "a much better one", "a much better one", &meta, now)
            .await
            .unwrap();
        let hash = users::get(&mut conn, user.id).await.unwrap().password_hash.unwrap();
        assert!(passwords::verify("a much better one".into(), Some(hash.clone())).await);

        let reused = set_with_token(&mut conn, &token, "another password", "another password", &meta, now).await;
        assert!(matches!(reused, Err(AppError::Invalid(ref e)) if e.get("token") == Some(EXPIRED_LINK)));
        assert_eq!(
            users::get(&mut conn, user.id).await.unwrap().password_hash.unwrap(),
            hash,
            "unchanged"
        );
    }

    #[tokio::test]
    async fn an_expired_link_changes_nothing() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let settings = Settings::for_local(std::env::temp_dir());
        users::insert_operator(&mut conn, "op@example.com", "Op", OperatorRole::Admin, "old")
            .await
            .unwrap();
        let then = OffsetDateTime::now_utc() - time::Duration::hours(2);
        request_reset(&mut conn, &settings, "op@example.com", &RequestMeta::default(), then)
            .await
            .unwrap();
        let text: String = schema::email_outbox::table
            .select(schema::email_outbox::body_text)
            .first(&mut conn)
            .await
            .unwrap();
        let expired = set_with_token(
            &mut conn,
            &token_from(&text),
            "a much better one",
            "a much better one",
            &RequestMeta::default(),
            OffsetDateTime::now_utc(),
        )
        .await;
        assert!(matches!(expired, Err(AppError::Invalid(ref e)) if e.get("token").is_some()));
        let hash: Option<String> = schema::users::table
            .select(schema::users::password_hash)
            .first(&mut conn)
            .await
            .unwrap();
        assert_eq!(hash.as_deref(), Some("old"));
    }

    #[tokio::test]
    async fn reset_mail_is_rate_limited_per_account() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let settings = Settings::for_local(std::env::temp_dir());
        users::insert_operator(&mut conn, "op@example.com", "Op", OperatorRole::Admin, "old")
            .await
            .unwrap();
        let now = OffsetDateTime::now_utc();
        for _ in 0..6 {
            request_reset(&mut conn, &settings, "op@example.com", &RequestMeta::default(), now)
                .await
                .unwrap();
        }
        let sent: i64 = schema::email_outbox::table.count().get_result(&mut conn).await.unwrap();
        assert_eq!(sent, RESETS_PER_HOUR as i64);
    }
}
