//! Logging in, the session's record of who is logged in, and login throttling.

use super::passwords;
use super::repos::audit::{self, Actor, NewEvent};
use super::repos::rate_limits;
use super::repos::users::{self, Account, UserRow};
use super::settings::Settings;
use crate::api::error::AppError;
use diesel_async::AsyncPgConnection;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_sessions::Session;

/// The session data's key for [`SessionAuth`] (also read in SQL by `backend::signed_in`).
pub(crate) const SESSION_KEY: &str = "auth";

/// What the session remembers: who, since when (for absolute expiry), and which password was
/// current at login (a later password change ends the session, whatever the clocks say), and
/// where it was started from, so the person can tell their sessions apart.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct SessionAuth {
    pub user_id: i64,
    pub authenticated_at: i64,
    pub password_version: Option<i128>,
    #[serde(default)]
    pub device: Device,
}

/// Where a session was started: the client's address and its User-Agent header.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Device {
    pub ip: String,
    pub user_agent: String,
}

impl Device {
    /// Bounded copies of what the request said (the header is the client's to fill).
    pub fn new(ip: &str, user_agent: &str) -> Self {
        Self {
            ip: ip.chars().take(64).collect(),
            user_agent: user_agent.chars().take(300).collect(),
        }
    }
}

impl SessionAuth {
    /// Whether this login still holds for the user's row at `now`: within the absolute
    /// lifetime and started with the password the user has now.
    pub(crate) fn holds_for(&self, row: &UserRow, settings: &Settings, now: OffsetDateTime) -> bool {
        let started = OffsetDateTime::from_unix_timestamp(self.authenticated_at).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        started + settings.session_absolute > now && password_version(row) == self.password_version
    }
}

fn password_version(row: &UserRow) -> Option<i128> {
    row.password_changed_at.map(|t| t.unix_timestamp_nanos())
}

/// The logged-in user of a request.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub account: Account,
    /// An operator limited to some brands (see `backend::scope`).
    pub brand_scoped: bool,
}

impl AuthUser {
    fn from_row(row: UserRow) -> Option<Self> {
        let account = row.account()?;
        row.is_active.then_some(Self {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            account,
            brand_scoped: row.brand_scoped,
        })
    }

    pub fn actor(&self) -> Actor {
        Actor::user(self.id, &self.email)
    }
}

fn session_error(e: tower_sessions::session::Error) -> AppError {
    super::errors::internal(format!("session: {e}"))
}

/// Starts an authenticated session with a new id (so a planted id can't be reused).
pub async fn start_session(
    conn: &mut AsyncPgConnection,
    session: &Session,
    user_id: i64,
    device: Device,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let row = users::get(conn, user_id).await?;
    session.cycle_id().await.map_err(session_error)?;
    let auth = SessionAuth {
        user_id,
        authenticated_at: now.unix_timestamp(),
        password_version: password_version(&row),
        device,
    };
    session.insert(SESSION_KEY, auth).await.map_err(session_error)
}

/// Keeps the current session valid after its own user changed the password: a new session id,
/// the new password version, and the original login time (absolute expiry doesn't restart).
pub async fn refresh_session(conn: &mut AsyncPgConnection, session: &Session, user_id: i64) -> Result<(), AppError> {
    let Some(mut auth) = session.get::<SessionAuth>(SESSION_KEY).await.map_err(session_error)? else {
        return Err(AppError::Unauthenticated);
    };
    auth.password_version = password_version(&users::get(conn, user_id).await?);
    session.cycle_id().await.map_err(session_error)?;
    session.insert(SESSION_KEY, auth).await.map_err(session_error)
}

pub async fn end_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// The session's user, if the session is still valid: within its absolute lifetime, the user
/// active, and the password unchanged since login.
/// The session's user, judged by the server's clock (every caller sees the same time).
pub async fn current_user(
    conn: &mut AsyncPgConnection,
    session: &Session,
    settings: &Settings,
) -> Result<Option<AuthUser>, AppError> {
    let now = settings.clock.now();
    let Some(auth) = session.get::<SessionAuth>(SESSION_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    let row = match users::get(conn, auth.user_id).await {
        Ok(row) => Some(row),
        Err(diesel::result::Error::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let user = row
        .filter(|r| auth.holds_for(r, settings, now))
        .and_then(AuthUser::from_row);
    if user.is_none() {
        end_session(session).await?;
    }
    Ok(user)
}

#[derive(Debug)]
pub enum LoginOutcome {
    LoggedIn(AuthUser),
    Refused,
    Throttled { retry_after_secs: u64 },
}

fn account_key(email: &str) -> String {
    format!("login:account:{}", email.trim().to_lowercase())
}

fn ip_key(ip: &str) -> String {
    format!("login:ip:{ip}")
}

/// Checks a login attempt. Failures count against the account and the client IP; past either
/// limit, attempts are refused without checking the password until the window ends.
pub async fn authenticate(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    email: &str,
    password: &str,
    ip: &str,
    request_id: Option<&str>,
    now: OffsetDateTime,
) -> Result<LoginOutcome, AppError> {
    let limit = settings.login_limit;
    let account = account_key(email);
    let ip = ip_key(ip);
    // Count the attempt before checking the password, so parallel guesses can't slip through.
    let by_account = rate_limits::hit(conn, &account, limit.window, now).await?;
    let by_ip = rate_limits::hit(conn, &ip, limit.window, now).await?;
    for (usage, max) in [(by_account, limit.per_account), (by_ip, limit.per_ip)] {
        if usage.hits > max {
            let wait = (usage.resets_at - now).whole_seconds().max(1) as u64;
            return Ok(LoginOutcome::Throttled { retry_after_secs: wait });
        }
    }
    let row = users::find_by_email(conn, email.trim()).await?;
    let hash = row.as_ref().and_then(|r| r.password_hash.clone());
    let password_ok = passwords::verify(password.to_owned(), hash).await;
    match row.and_then(AuthUser::from_row).filter(|_| password_ok) {
        Some(user) => {
            // Successful logins don't count against the account or the address.
            rate_limits::clear(conn, &account).await?;
            rate_limits::release(conn, &ip).await?;
            audit::record(
                conn,
                NewEvent {
                    actor: &user.actor(),
                    action: "user.login",
                    subject_type: "user",
                    subject_id: user.id.to_string(),
                    before: None,
                    after: None,
                    request_id,
                },
            )
            .await?;
            Ok(LoginOutcome::LoggedIn(user))
        }
        None => {
            tracing::info!(%ip, "login refused");
            Ok(LoginOutcome::Refused)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;
    use crate::domain::access::OperatorRole;

    #[tokio::test]
    async fn wrong_passwords_are_counted_and_throttled() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let settings = Settings::for_local(std::env::temp_dir());
        let hash = passwords::hash("correct horse battery".into()).await.unwrap();
        users::insert_operator(&mut conn, "op@example.com", "Op", OperatorRole::Admin, &hash)
            .await
            .unwrap();
        let now = OffsetDateTime::now_utc();

        let ok = authenticate(
            &mut conn,
            &settings,
            "OP@example.com",
            "correct horse battery",
            "1.1.1.1",
            None,
            now,
        )
        .await
        .unwrap();
        assert!(matches!(ok, LoginOutcome::LoggedIn(ref u) if u.email == "op@example.com"));

        for _ in 0..settings.login_limit.per_account {
            let outcome = authenticate(&mut conn, &settings, "op@example.com", "wrong", "2.2.2.2", None, now)
                .await
                .unwrap();
            assert!(matches!(outcome, LoginOutcome::Refused));
        }
        // Even the right password is refused while the account is throttled.
        let throttled = authenticate(
            &mut conn,
            &settings,
            "op@example.com",
            "correct horse battery",
            "3.3.3.3",
            None,
            now,
        )
        .await
        .unwrap();
        assert!(matches!(throttled, LoginOutcome::Throttled { retry_after_secs } if retry_after_secs > 800));
        // After the window the account works again.
        let later = now + settings.login_limit.window + std::time::Duration::from_secs(1);
        let again = authenticate(
            &mut conn,
            &settings,
            "op@example.com",
            "correct horse battery",
            "3.3.3.3",
            None,
            later,
        )
        .await
        .unwrap();
        assert!(matches!(again, LoginOutcome::LoggedIn(_)));
    }

    #[tokio::test]
    async fn unknown_accounts_and_password_less_users_are_refused() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let settings = Settings::for_local(std::env::temp_dir());
        let now = OffsetDateTime::now_utc();
        let outcome = authenticate(
            &mut conn,
            &settings,
            "ghost@example.com",
            "whatever123",
            "9.9.9.9",
            None,
            now,
        )
        .await
        .unwrap();
        assert!(matches!(outcome, LoginOutcome::Refused));
    }
}
