//! Where a person is signed in: their live sessions, found in the session table by the user id
//! in the session data, and ending one of them (or all but the current one). A session is named
//! to the browser by a handle, a hash of its id, so the secret id never leaves the server.

use super::auth::{SessionAuth, SESSION_KEY};
use super::repos::users;
use super::schema::sessions;
use super::settings::Settings;
use crate::api::error::AppError;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// One live session of the person.
#[derive(Clone, Debug)]
pub struct LiveSession {
    pub handle: String,
    pub current: bool,
    pub started_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub ip: String,
    pub user_agent: String,
}

/// The name a session goes by in pages and forms.
pub fn handle(session_id: &str) -> String {
    hex::encode(&Sha256::digest(session_id.as_bytes())[..12])
}

/// The user's sessions as (id, auth, expiry), still valid now: unexpired and holding for the
/// user as `auth::current_user` judges it (`SessionAuth::holds_for`). The filter on the user id
/// is the expression the `sessions_user_idx` index is built on.
async fn valid_sessions(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    settings: &Settings,
) -> Result<Vec<(String, SessionAuth, OffsetDateTime)>, AppError> {
    let now = settings.clock.now();
    let user = users::get(conn, user_id).await?;
    let rows: Vec<(String, serde_json::Value, OffsetDateTime)> = sessions::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>(&format!("data -> '{SESSION_KEY}' ->> 'user_id' = "))
                .bind::<diesel::sql_types::Text, _>(user_id.to_string()),
        )
        .filter(sessions::expires_at.gt(now))
        .select((sessions::id, sessions::data, sessions::expires_at))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, data, expires)| {
            let auth: SessionAuth = serde_json::from_value(data.get(SESSION_KEY)?.clone()).ok()?;
            let valid = auth.user_id == user_id && user.is_active && auth.holds_for(&user, settings, now);
            valid.then_some((id, auth, expires))
        })
        .collect())
}

/// The person's live sessions, the current one first, then the newest.
pub async fn list(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    current_id: Option<&str>,
    settings: &Settings,
) -> Result<Vec<LiveSession>, AppError> {
    let mut live: Vec<LiveSession> = valid_sessions(conn, user_id, settings)
        .await?
        .into_iter()
        .map(|(id, auth, expires_at)| LiveSession {
            handle: handle(&id),
            current: current_id == Some(id.as_str()),
            started_at: OffsetDateTime::from_unix_timestamp(auth.authenticated_at)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            expires_at,
            ip: auth.device.ip,
            user_agent: auth.device.user_agent,
        })
        .collect();
    live.sort_by_key(|s| (!s.current, std::cmp::Reverse(s.started_at)));
    Ok(live)
}

/// Ends the person's sessions that `which` picks (by id). Returns how many ended.
async fn end_where(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    settings: &Settings,
    which: impl Fn(&str) -> bool,
) -> Result<usize, AppError> {
    let ids: Vec<String> = valid_sessions(conn, user_id, settings)
        .await?
        .into_iter()
        .map(|(id, ..)| id)
        .filter(|id| which(id))
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(diesel::delete(sessions::table.filter(sessions::id.eq_any(&ids)))
        .execute(conn)
        .await?)
}

/// Ends the person's session named `handle`. A handle that isn't one of theirs is "not found".
pub async fn end(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    session_handle: &str,
    settings: &Settings,
) -> Result<(), AppError> {
    match end_where(conn, user_id, settings, |id| handle(id) == session_handle).await? {
        0 => Err(AppError::NotFound(
            "That session doesn't exist or has already ended.".into(),
        )),
        _ => Ok(()),
    }
}

/// Ends every session of the person but `current_id`. Returns how many ended.
pub async fn end_others(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    current_id: &str,
    settings: &Settings,
) -> Result<usize, AppError> {
    end_where(conn, user_id, settings, |id| id != current_id).await
}
