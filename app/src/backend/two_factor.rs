//! Two-factor sign-in with an authenticator app: TOTP (RFC 6238) with SHA-1, 6 digits and 30
//! second steps, the steps either side of now accepted for clock drift, each step at most once;
//! and ten single-use recovery codes. The secret is sealed with the data key, as payout details
//! are. Who must use it: every operator when the installation says so, and the people of a
//! partner in a program that asks for it.

use super::auth::AuthUser;
use super::data_key::DataKey;
use super::flows::{audited, RequestMeta};
use super::repos::two_factor as repo;
use super::repos::users::Account;
use super::settings::Settings;
use crate::api::error::AppError;
use crate::domain::two_factor::{parse_code, recovery_code, Entered, CODE_WRONG, RECOVERY_CODES};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;
use totp_rs::{Algorithm, TOTP};

/// The name authenticator apps list the account under.
pub const ISSUER: &str = "Trellis";
const STEP_SECS: u64 = 30;

pub const NEEDS_DATA_KEY: &str =
    "Two-factor sign-in keeps its secret sealed with the installation's data key, and none is set (TRELLIS_DATA_KEY): ask your administrator.";
pub const ALREADY_ON: &str = "Two-factor sign-in is already on for your account.";
pub const NOT_SET_UP: &str =
    "Start setting up two-factor sign-in first: the code must come from the secret shown on this page.";

/// Where the person stands.
#[derive(Clone, Debug)]
pub enum Status {
    Off,
    /// A secret made, waiting for the first code from the app.
    SettingUp {
        secret_base32: String,
        otpauth_uri: String,
    },
    On {
        since: OffsetDateTime,
        recovery_codes_left: i64,
    },
}

/// How a sign-in's second step was passed, for the audit trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passed {
    AppCode,
    RecoveryCode,
}

impl Passed {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AppCode => "authenticator app",
            Self::RecoveryCode => "recovery code",
        }
    }
}

/// The context a person's secret is sealed for.
pub(crate) fn seal_context(user_id: i64) -> String {
    format!("user:{user_id}:totp")
}

fn key(settings: &Settings) -> Result<&DataKey, AppError> {
    settings
        .data_key
        .as_ref()
        .ok_or_else(|| AppError::Conflict(NEEDS_DATA_KEY.into()))
}

fn open_secret(settings: &Settings, row: &repo::TotpRow) -> Result<Vec<u8>, AppError> {
    key(settings)?
        .open_bytes(&row.secret_sealed, &seal_context(row.user_id))
        .map_err(|e| super::errors::internal(e.to_string()))
}

fn totp(secret: Vec<u8>) -> TOTP {
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, STEP_SECS, secret)
}

/// The step whose code is `code`, among now's and the ones either side, if it is later than
/// `last_step` (a code is good once).
pub fn matching_step(secret: &[u8], code: &str, now: OffsetDateTime, last_step: i64) -> Option<i64> {
    let current = now.unix_timestamp().max(0) / STEP_SECS as i64;
    let totp = totp(secret.to_vec());
    (current - 1..=current + 1)
        .filter(|step| *step > last_step)
        .find(|step| {
            bool::from(
                totp.generate(*step as u64 * STEP_SECS)
                    .as_bytes()
                    .ct_eq(code.as_bytes()),
            )
        })
}

/// The code an app shows at `at` (the tests play the app with it).
pub fn code_at(secret: &[u8], at: OffsetDateTime) -> String {
    totp(secret.to_vec()).generate(at.unix_timestamp().max(0) as u64)
}

fn recovery_hash(user_id: i64, code: &str) -> Vec<u8> {
    Sha256::new_with_prefix(b"trellis recovery code\0")
        .chain_update(user_id.to_be_bytes())
        .chain_update(code.as_bytes())
        .finalize()
        .to_vec()
}

fn otpauth_uri(email: &str, secret_base32: &str) -> String {
    let label = percent_encoding::utf8_percent_encode(&format!("{ISSUER}:{email}"), percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    format!("otpauth://totp/{label}?secret={secret_base32}&issuer={ISSUER}&algorithm=SHA1&digits=6&period={STEP_SECS}")
}

pub async fn status(conn: &mut AsyncPgConnection, settings: &Settings, user: &AuthUser) -> Result<Status, AppError> {
    let Some(row) = repo::find(conn, user.id).await? else {
        return Ok(Status::Off);
    };
    Ok(match row.confirmed_at {
        Some(since) => Status::On {
            since,
            recovery_codes_left: repo::recovery_codes_left(conn, user.id).await?,
        },
        None => {
            let secret_base32 = data_encoding::BASE32_NOPAD.encode(&open_secret(settings, &row)?);
            Status::SettingUp {
                otpauth_uri: otpauth_uri(&user.email, &secret_base32),
                secret_base32,
            }
        }
    })
}

/// Whether the person has two-factor sign-in on (so a password alone doesn't sign them in).
pub async fn is_on(conn: &mut AsyncPgConnection, user_id: i64) -> Result<bool, AppError> {
    Ok(repo::find(conn, user_id)
        .await?
        .is_some_and(|row| row.confirmed_at.is_some()))
}

/// Why this person must use two-factor sign-in, if they must.
pub async fn required_because(conn: &mut AsyncPgConnection, user: &AuthUser) -> Result<Option<String>, AppError> {
    Ok(match user.account {
        Account::Operator(_) => repo::operators_need_it(conn)
            .await?
            .then(|| "This installation asks every operator to use two-factor sign-in.".to_owned()),
        Account::Partner { partner_id, .. } => {
            let programs = repo::programs_requiring(conn, partner_id).await?;
            (!programs.is_empty())
                .then(|| format!("{} asks its partners to use two-factor sign-in.", programs.join(", ")))
        }
    })
}

/// Whether the person must use it and hasn't set it up yet (their session is then limited to
/// setting it up).
pub async fn setup_due(conn: &mut AsyncPgConnection, user: &AuthUser) -> Result<bool, AppError> {
    Ok(required_because(conn, user).await?.is_some() && !is_on(conn, user.id).await?)
}

/// Makes a new secret for the person to add to their app. Starting over replaces a secret not
/// yet confirmed; once it is on, it stays until turned off.
pub async fn start(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user: &AuthUser,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let key = key(settings)?;
    let mut secret = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let sealed = key.seal_bytes(&secret, &seal_context(user.id));
    conn.transaction(async |conn| {
        if repo::put_pending(conn, user.id, &sealed, key.id()).await? == 0 {
            return Err(AppError::Conflict(ALREADY_ON.into()));
        }
        own_event(conn, user, "two_factor.setup_started", meta).await
    })
    .await
}

/// New recovery codes in place of the person's old ones; returns them, to be shown once.
async fn issue_recovery_codes(conn: &mut AsyncPgConnection, user_id: i64) -> Result<Vec<String>, AppError> {
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let mut random = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut random);
            recovery_code(random)
        })
        .collect();
    let hashes: Vec<Vec<u8>> = codes
        .iter()
        .map(|c| recovery_hash(user_id, &c.replace('-', "")))
        .collect();
    repo::replace_recovery_codes(conn, user_id, &hashes).await?;
    Ok(codes)
}

/// The audit event of a change a person made to their own two-factor sign-in.
async fn own_event(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    action: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    audited(
        conn,
        &user.actor(),
        action,
        ("user", user.id.to_string()),
        serde_json::json!({}),
        meta,
    )
    .await
}

/// The first code from the app turns it on. Returns the recovery codes, to be shown once.
pub async fn confirm(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user: &AuthUser,
    code: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<Vec<String>, AppError> {
    let Entered::AppCode(code) = parse_code(code).map_err(|m| AppError::field("code", m))? else {
        return Err(AppError::field(
            "code",
            "Enter the 6-digit code your authenticator app shows.",
        ));
    };
    conn.transaction(async |conn| {
        let row = match repo::find_for_update(conn, user.id).await? {
            Some(row) if row.confirmed_at.is_some() => return Err(AppError::Conflict(ALREADY_ON.into())),
            Some(row) => row,
            None => return Err(AppError::Conflict(NOT_SET_UP.into())),
        };
        let step = matching_step(&open_secret(settings, &row)?, &code, now, row.last_step)
            .ok_or_else(|| AppError::field("code", CODE_WRONG))?;
        repo::confirm(conn, user.id, step, now).await?;
        let codes = issue_recovery_codes(conn, user.id).await?;
        own_event(conn, user, "two_factor.on", meta).await?;
        Ok(codes)
    })
    .await
}

/// Checks a code for a person with two-factor sign-in on, and uses it up. `None` when it is
/// wrong, already used, or two-factor sign-in is off. Call inside a transaction.
pub async fn use_code(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user_id: i64,
    entered: &Entered,
    now: OffsetDateTime,
) -> Result<Option<Passed>, AppError> {
    let Some(row) = repo::find_for_update(conn, user_id)
        .await?
        .filter(|r| r.confirmed_at.is_some())
    else {
        return Ok(None);
    };
    Ok(match entered {
        Entered::AppCode(code) => match matching_step(&open_secret(settings, &row)?, code, now, row.last_step) {
            Some(step) => {
                repo::use_step(conn, user_id, step).await?;
                Some(Passed::AppCode)
            }
            None => None,
        },
        Entered::RecoveryCode(code) => repo::use_recovery_code(conn, user_id, &recovery_hash(user_id, code), now)
            .await?
            .then_some(Passed::RecoveryCode),
    })
}

/// A current code (from the app, or a recovery code) for an action on the person's own
/// account; a wrong one is the `code` field's error.
async fn require_code(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user_id: i64,
    code: &str,
    now: OffsetDateTime,
) -> Result<Passed, AppError> {
    let entered = parse_code(code).map_err(|m| AppError::field("code", m))?;
    use_code(conn, settings, user_id, &entered, now)
        .await?
        .ok_or_else(|| AppError::field("code", CODE_WRONG))
}

/// New recovery codes in place of the old ones, for a current code.
pub async fn renew_recovery_codes(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user: &AuthUser,
    code: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<Vec<String>, AppError> {
    conn.transaction(async |conn| {
        require_code(conn, settings, user.id, code, now).await?;
        let codes = issue_recovery_codes(conn, user.id).await?;
        own_event(conn, user, "two_factor.recovery_codes_renewed", meta).await?;
        Ok(codes)
    })
    .await
}

pub const PASSWORD_WRONG: &str = "That is not your current password.";

/// Turns two-factor sign-in off: needs the password and a current code, and is refused while
/// the person must use it. The person is told by email, in case it wasn't them.
pub async fn turn_off(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user: &AuthUser,
    password: &str,
    code: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    if let Some(reason) = required_because(conn, user).await? {
        return Err(AppError::Conflict(format!("{reason} It can't be turned off.")));
    }
    if password.is_empty() {
        return Err(AppError::field("password", "Enter your password."));
    }
    let hash = super::repos::users::get(conn, user.id).await?.password_hash;
    if !super::passwords::verify(password.to_owned(), hash).await {
        return Err(AppError::field("password", PASSWORD_WRONG));
    }
    conn.transaction(async |conn| {
        require_code(conn, settings, user.id, code, now).await?;
        repo::remove(conn, user.id).await?;
        own_event(conn, user, "two_factor.off", meta).await?;
        super::repos::outbox::enqueue(
            conn,
            &user.email,
            &crate::domain::emails::two_factor_off(&user.display_name),
        )
        .await?;
        Ok(())
    })
    .await
}

/// Requires (or stops requiring) two-factor sign-in of every operator. Takes effect at each
/// operator's next sign-in.
pub async fn require_of_operators(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    required: bool,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    conn.transaction(async |conn| {
        repo::set_operators_need_it(conn, required).await?;
        let after = serde_json::json!({ "operators_need_two_factor": required });
        audited(
            conn,
            &admin.actor(),
            "installation.two_factor",
            ("installation", "1".into()),
            after,
            meta,
        )
        .await
    })
    .await
}
