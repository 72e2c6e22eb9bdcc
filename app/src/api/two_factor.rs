//! Two-factor sign-in (portal and console alike): where the person stands, setting it up with
//! an authenticator app, recovery codes, and turning it off; and who must use it (every
//! operator, an admin's installation setting; a program's partners, its settings).

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TwoFactorState {
    Off,
    /// Waiting for the first code: the secret to add to an app, as a QR code and as text.
    SettingUp {
        secret: String,
        qr_svg: String,
    },
    On {
        since: String,
        recovery_codes_left: i64,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorDto {
    pub state: TwoFactorState,
    /// Why the person must use it (and can't turn it off), if they must.
    pub required_because: Option<String>,
    /// Recovery codes just made, shown this once.
    pub fresh_recovery_codes: Vec<String>,
}

/// The session key of recovery codes waiting to be shown once.
#[cfg(feature = "ssr")]
const FRESH_CODES: &str = "fresh_recovery_codes";

#[server(input = GetUrl)]
pub async fn two_factor_status() -> Result<TwoFactorDto, AppError> {
    use crate::backend::{ctx, two_factor};
    use crate::domain::format::date;
    let me = ctx::viewer().await?.ok_or(AppError::Unauthenticated)?;
    let settings = ctx::state()?.settings.clone();
    let mut conn = ctx::db().await?;
    let state = match two_factor::status(&mut conn, &settings, &me).await? {
        two_factor::Status::Off => TwoFactorState::Off,
        two_factor::Status::SettingUp {
            secret_base32,
            otpauth_uri,
        } => TwoFactorState::SettingUp {
            secret: crate::domain::two_factor::grouped(&secret_base32),
            qr_svg: super::links::qr_svg(&otpauth_uri),
        },
        two_factor::Status::On {
            since,
            recovery_codes_left,
        } => TwoFactorState::On {
            since: date(since),
            recovery_codes_left,
        },
    };
    let session = ctx::session().await?;
    let fresh_recovery_codes = session
        .remove::<Vec<String>>(FRESH_CODES)
        .await
        .map_err(crate::backend::errors::internal)?
        .unwrap_or_default();
    Ok(TwoFactorDto {
        state,
        required_because: two_factor::required_because(&mut conn, &me).await?,
        fresh_recovery_codes,
    })
}

#[server]
pub async fn start_two_factor(csrf_token: String) -> Result<(), AppError> {
    use crate::backend::{ctx, two_factor};
    let (me, settings) = own_account(&csrf_token).await?;
    two_factor::start(&mut *ctx::db().await?, &settings, &me, &ctx::request_meta()).await?;
    super::flash::after_plain_post("Add the secret to your authenticator app, then enter the code it shows.").await
}

/// The signed-in person acting on their own account (a checked CSRF token), and the settings.
#[cfg(feature = "ssr")]
async fn own_account(
    csrf_token: &str,
) -> Result<
    (
        crate::backend::auth::AuthUser,
        std::sync::Arc<crate::backend::settings::Settings>,
    ),
    AppError,
> {
    use crate::backend::ctx;
    ctx::verify_csrf(csrf_token)?;
    let me = ctx::viewer().await?.ok_or(AppError::Unauthenticated)?;
    Ok((me, ctx::state()?.settings.clone()))
}

/// Keeps fresh recovery codes for the settings page's next load, which shows them once.
#[cfg(feature = "ssr")]
async fn show_once(codes: Vec<String>) -> Result<(), AppError> {
    crate::backend::ctx::session()
        .await?
        .insert(FRESH_CODES, codes)
        .await
        .map_err(crate::backend::errors::internal)
}

#[server]
pub async fn confirm_two_factor(csrf_token: String, code: String) -> Result<(), AppError> {
    use crate::backend::{auth, ctx, two_factor};
    let (me, settings) = own_account(&csrf_token).await?;
    let codes = two_factor::confirm(
        &mut *ctx::db().await?,
        &settings,
        &me,
        &code,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    auth::two_factor_set_up(&ctx::session().await?).await?;
    show_once(codes).await?;
    super::flash::after_plain_post("Two-factor sign-in is on. Save your recovery codes now.").await
}

#[server]
pub async fn renew_recovery_codes(csrf_token: String, code: String) -> Result<(), AppError> {
    use crate::backend::{ctx, two_factor};
    let (me, settings) = own_account(&csrf_token).await?;
    let codes = two_factor::renew_recovery_codes(
        &mut *ctx::db().await?,
        &settings,
        &me,
        &code,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    show_once(codes).await?;
    super::flash::after_plain_post("New recovery codes are ready; the old ones no longer work.").await
}

#[server]
pub async fn turn_off_two_factor(csrf_token: String, password: String, code: String) -> Result<(), AppError> {
    use crate::backend::{ctx, two_factor};
    let (me, settings) = own_account(&csrf_token).await?;
    let mut conn = ctx::db().await?;
    two_factor::turn_off(
        &mut conn,
        &settings,
        &me,
        &password,
        &code,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    super::flash::after_plain_post("Two-factor sign-in is off: your password alone signs you in.").await
}

/// Whether a setting about two-factor sign-in is on, and whether this operator may change it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequirementDto {
    pub required: bool,
    pub can_change: bool,
}

#[server(input = GetUrl)]
pub async fn operators_two_factor() -> Result<RequirementDto, AppError> {
    use crate::backend::{ctx, repos::two_factor as repo};
    use crate::domain::access::Permission;
    let me = ctx::require_operator().await?;
    Ok(RequirementDto {
        required: repo::operators_need_it(&mut *ctx::db().await?).await?,
        can_change: me.role.can(Permission::ManageOperators) && !me.user.brand_scoped,
    })
}

/// Requires two-factor sign-in of every operator (from their next sign-in), or stops.
#[server]
pub async fn set_operators_two_factor(
    csrf_token: String,
    #[server(default)] required: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{ctx, two_factor};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::require_permission(Permission::ManageOperators).await?;
    if me.user.brand_scoped {
        return Err(AppError::Forbidden);
    }
    let required = required.is_some();
    two_factor::require_of_operators(&mut *ctx::db().await?, &me.user, required, &ctx::request_meta()).await?;
    super::flash::after_plain_post(requirement_saved(required, "operator")).await
}

/// What saving a requirement says.
pub fn requirement_saved(required: bool, who: &str) -> String {
    if required {
        format!("Two-factor sign-in is now required of every {who}, from their next sign-in.")
    } else {
        format!("Two-factor sign-in is no longer required of every {who}; those who have it keep it.")
    }
}

#[server(input = GetUrl)]
pub async fn program_two_factor(program_id: i64) -> Result<RequirementDto, AppError> {
    use crate::backend::{ctx, repos::two_factor as repo};
    use crate::domain::access::Permission;
    let me = ctx::require_program_operator(program_id).await?;
    Ok(RequirementDto {
        required: repo::program_requires(&mut *ctx::db().await?, program_id).await?,
        can_change: me.role.can(Permission::ManagePrograms),
    })
}

/// Requires two-factor sign-in of every person of the program's partners, or stops.
#[server]
pub async fn set_program_two_factor(
    csrf_token: String,
    program_id: i64,
    #[server(default)] required: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::flows::audited;
    use crate::backend::{ctx, repos::two_factor as repo};
    use crate::domain::access::Permission;
    use diesel_async::AsyncConnection;
    ctx::verify_csrf(&csrf_token)?;
    let me = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let required = required.is_some();
    let meta = ctx::request_meta();
    let mut conn = ctx::db().await?;
    conn.transaction(async |conn| {
        repo::set_program_requires(conn, program_id, required).await?;
        let after = serde_json::json!({ "partners_need_two_factor": required });
        audited(
            conn,
            &me.user.actor(),
            "program.two_factor",
            ("program", program_id.to_string()),
            after,
            &meta,
        )
        .await
    })
    .await?;
    super::flash::after_plain_post(requirement_saved(required, "partner person in this program")).await
}
