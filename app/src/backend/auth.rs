//! Logging in, the session's record of who is logged in, and login throttling.

use super::passwords;
use super::repos::audit::{self, Actor, NewEvent};
use super::repos::rate_limits;
use super::repos::users::{self, Account, UserRow};
use super::settings::Settings;
use crate::api::error::AppError;
use diesel_async::{AsyncConnection, AsyncPgConnection};
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
    /// The person must use two-factor sign-in and hasn't set it up: until they do, the session
    /// reaches only their settings (judged at sign-in; see `two_factor::setup_due`).
    #[serde(default)]
    pub two_factor_setup_due: bool,
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
    let password_version = password_version(&row);
    let two_factor_setup_due = match AuthUser::from_row(row) {
        Some(user) => super::two_factor::setup_due(conn, &user).await?,
        None => false,
    };
    session.cycle_id().await.map_err(session_error)?;
    session.remove_value(PENDING_KEY).await.map_err(session_error)?;
    // A new sign-in starts with every brand in view, not the last person's choice.
    super::brand_view::choose(session, None).await?;
    let auth = SessionAuth {
        user_id,
        authenticated_at: now.unix_timestamp(),
        password_version,
        device,
        two_factor_setup_due,
    };
    session.insert(SESSION_KEY, auth).await.map_err(session_error)
}

/// Whether this session's person must set up two-factor sign-in before anything else.
pub async fn two_factor_setup_due(session: &Session) -> Result<bool, AppError> {
    let auth = session.get::<SessionAuth>(SESSION_KEY).await.map_err(session_error)?;
    Ok(auth.is_some_and(|a| a.two_factor_setup_due))
}

/// The person has just set up two-factor sign-in: their session is no longer limited.
pub async fn two_factor_set_up(session: &Session) -> Result<(), AppError> {
    let Some(mut auth) = session.get::<SessionAuth>(SESSION_KEY).await.map_err(session_error)? else {
        return Err(AppError::Unauthenticated);
    };
    auth.two_factor_setup_due = false;
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
    /// The password was right; a code from the person's app (or a recovery code) comes next.
    SecondStepDue(AuthUser),
    Refused,
    Throttled {
        retry_after_secs: u64,
    },
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
    let (account, ip) = (account_key(email), ip_key(ip));
    if let Some(retry_after_secs) = count_attempt(conn, settings, &account, &ip, now).await? {
        return Ok(LoginOutcome::Throttled { retry_after_secs });
    }
    let row = users::find_by_email(conn, email.trim()).await?;
    let hash = row.as_ref().and_then(|r| r.password_hash.clone());
    let password_ok = passwords::verify(password.to_owned(), hash).await;
    match row.and_then(AuthUser::from_row).filter(|_| password_ok) {
        // A right password doesn't count against the address; against the account it stays
        // counted until the code is right too.
        Some(user) if super::two_factor::is_on(conn, user.id).await? => {
            rate_limits::release(conn, &ip).await?;
            Ok(LoginOutcome::SecondStepDue(user))
        }
        Some(user) => {
            logged_in(conn, &user, &account, &ip, None, request_id).await?;
            Ok(LoginOutcome::LoggedIn(user))
        }
        None => {
            tracing::info!(%ip, "login refused");
            Ok(LoginOutcome::Refused)
        }
    }
}

/// Counts an attempt (a password or a code) against the account and the client address before
/// anything is checked, so parallel guesses can't slip through. Past either limit, how long to
/// wait.
async fn count_attempt(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    account: &str,
    ip: &str,
    now: OffsetDateTime,
) -> Result<Option<u64>, AppError> {
    let limit = settings.login_limit;
    let by_account = rate_limits::hit(conn, account, limit.window, now).await?;
    let by_ip = rate_limits::hit(conn, ip, limit.window, now).await?;
    Ok([(by_account, limit.per_account), (by_ip, limit.per_ip)]
        .into_iter()
        .find(|(usage, max)| usage.hits > *max)
        .map(|(usage, _)| (usage.resets_at - now).whole_seconds().max(1) as u64))
}

/// A login that passed every step: it doesn't count against the account or the address, and
/// the audit trail says how the second step (if any) was passed.
async fn logged_in(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    account: &str,
    ip: &str,
    second_step: Option<super::two_factor::Passed>,
    request_id: Option<&str>,
) -> Result<(), AppError> {
    rate_limits::clear(conn, account).await?;
    rate_limits::release(conn, ip).await?;
    audit::record(
        conn,
        NewEvent {
            actor: &user.actor(),
            action: "user.login",
            subject_type: "user",
            subject_id: user.id.to_string(),
            before: None,
            after: second_step.map(|p| serde_json::json!({ "second_factor": p.as_str() })),
            request_id,
        },
    )
    .await?;
    Ok(())
}

/// The session key of a login waiting for its second step.
const PENDING_KEY: &str = "login_pending";
/// How long the code step waits after the password.
const SECOND_STEP_SECS: i64 = 300;

/// A login whose password was right, waiting in the session for its code.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct PendingLogin {
    user_id: i64,
    email: String,
    at: i64,
    device: Device,
    next: String,
}

/// Remembers a login whose password was right until its code comes (a new session id, and no
/// one signed in yet).
pub async fn await_second_step(
    session: &Session,
    user: &AuthUser,
    device: Device,
    next: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    // A new login replaces whoever was signed in in this browser.
    session.cycle_id().await.map_err(session_error)?;
    session.remove_value(SESSION_KEY).await.map_err(session_error)?;
    super::brand_view::choose(session, None).await?;
    let pending = PendingLogin {
        user_id: user.id,
        email: user.email.clone(),
        at: now.unix_timestamp(),
        device,
        next: next.chars().take(2000).collect(),
    };
    session.insert(PENDING_KEY, pending).await.map_err(session_error)
}

#[derive(Debug)]
pub enum CodeOutcome {
    /// Signed in: the person, where they were going, and where they signed in from.
    LoggedIn {
        user: AuthUser,
        next: String,
        device: Device,
    },
    Refused(&'static str),
    /// No login waits for a code (never started, or more than five minutes ago).
    Expired,
    Throttled {
        retry_after_secs: u64,
    },
}

/// The second step of a login: a code from the app or a recovery code, counted by the same
/// throttle as passwords.
pub async fn authenticate_code(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    session: &Session,
    code: &str,
    ip: &str,
    request_id: Option<&str>,
    now: OffsetDateTime,
) -> Result<CodeOutcome, AppError> {
    let pending = session.get::<PendingLogin>(PENDING_KEY).await.map_err(session_error)?;
    let Some(pending) = pending.filter(|p| now.unix_timestamp() - p.at <= SECOND_STEP_SECS) else {
        session.remove_value(PENDING_KEY).await.map_err(session_error)?;
        return Ok(CodeOutcome::Expired);
    };
    let (account, ip) = (account_key(&pending.email), ip_key(ip));
    if let Some(retry_after_secs) = count_attempt(conn, settings, &account, &ip, now).await? {
        return Ok(CodeOutcome::Throttled { retry_after_secs });
    }
    let entered = match crate::domain::two_factor::parse_code(code) {
        Ok(entered) => entered,
        Err(message) => return Ok(CodeOutcome::Refused(message)),
    };
    let Some(user) = AuthUser::from_row(users::get(conn, pending.user_id).await?) else {
        return Ok(CodeOutcome::Expired);
    };
    let passed = conn
        .transaction(async |conn| super::two_factor::use_code(conn, settings, user.id, &entered, now).await)
        .await?;
    let Some(passed) = passed else {
        tracing::info!(%ip, "login code refused");
        return Ok(CodeOutcome::Refused(crate::domain::two_factor::CODE_WRONG));
    };
    logged_in(conn, &user, &account, &ip, Some(passed), request_id).await?;
    Ok(CodeOutcome::LoggedIn {
        user,
        next: pending.next,
        device: pending.device,
    })
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
