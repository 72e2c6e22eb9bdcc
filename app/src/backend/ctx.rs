//! The only way server functions reach request context: state, database, session, the current
//! user and the CSRF check. Every access rule starts here.

use super::auth::{self, AuthUser};
use super::db::DbConn;
use super::repos::programs::{self, ProgramRow};
use super::repos::users::Account;
use super::scope::Scope;
use super::state::AppState;
use crate::api::error::AppError;
use crate::domain::access::{OperatorRole, PartnerRole, Permission};
use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use time::OffsetDateTime;
use tower_sessions::Session;

/// The client address as decided by the server (socket peer or a trusted proxy header).
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| super::errors::internal("AppState is not in context"))
}

pub async fn db() -> Result<DbConn, AppError> {
    Ok(state()?.pool.get().await?)
}

/// For heavy reads only (reports, their figures): the replica when it is fit, else the primary.
/// It may be a few seconds behind, so nothing read here decides a write.
pub async fn report_db() -> Result<DbConn, AppError> {
    Ok(state()?.report_conn().await?)
}

/// Drops cached entries a change made stale, here and (by notification) in every other
/// instance.
pub async fn forget(stale: super::tracking::cache_events::Stale) -> Result<(), AppError> {
    let state = state()?;
    super::tracking::cache_events::announce(&mut *db().await?, &state.tracking, stale).await;
    Ok(())
}

/// The current time from the server's clock (shifted in browser tests).
pub fn now() -> OffsetDateTime {
    state().map_or_else(|_| OffsetDateTime::now_utc(), |s| s.settings.clock.now())
}

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

pub fn request_id() -> Option<String> {
    parts()?.headers.get("x-request-id")?.to_str().ok().map(str::to_owned)
}

pub fn client_ip() -> String {
    parts()
        .and_then(|p| p.extensions.get::<ClientIp>().map(|ip| ip.0.clone()))
        .unwrap_or_else(|| "unknown".into())
}

/// The request facts every flow records in the audit trail.
pub fn request_meta() -> super::flows::RequestMeta {
    super::flows::RequestMeta {
        request_id: request_id(),
        ip: client_ip(),
    }
}

pub fn set_status(code: u16) {
    if let (Some(options), Ok(code)) = (use_context::<ResponseOptions>(), http::StatusCode::from_u16(code)) {
        options.set_status(code);
    }
}

/// Checks the form's CSRF token against the one the CSRF middleware made for this request (from
/// the browser's cookie and its session). The middleware checks every POST too; this keeps
/// server functions safe even if mounted elsewhere (no middleware: no token, refused), and
/// holds for server functions called in process while a page renders.
pub fn verify_csrf(token: &str) -> Result<(), AppError> {
    let expected = parts().and_then(|p| p.extensions.get::<super::csrf::CsrfToken>().cloned());
    match expected {
        Some(expected) if super::csrf::matches(&expected.0, token) => Ok(()),
        _ => Err(AppError::Csrf),
    }
}

/// True for a form post from a browser without JavaScript (it asks for HTML; the hydrated app
/// asks for JSON), which ends in a redirect back to the page.
pub async fn is_plain_form_post() -> bool {
    parts()
        .and_then(|p| p.headers.get(http::header::ACCEPT)?.to_str().ok().map(str::to_owned))
        .is_some_and(|accept| accept.contains("text/html"))
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| super::errors::internal(format!("no session layer: {e}")))
}

/// The logged-in user, if any.
pub async fn viewer() -> Result<Option<AuthUser>, AppError> {
    let state = state()?;
    let session = session().await?;
    let mut conn = state.pool.get().await?;
    auth::current_user(&mut conn, &session, &state.settings).await
}

pub struct Operator {
    pub user: AuthUser,
    pub role: OperatorRole,
    /// The brands (and their programs) this operator may see; every console query takes it.
    pub scope: Scope,
}

impl Operator {
    /// This operator as the approval rules see them (commissions, adjustments, MDF).
    pub fn actor(&self) -> crate::domain::commission::approval::Actor {
        crate::domain::commission::approval::Actor {
            user_id: self.user.id,
            role: self.role,
        }
    }
}

pub struct PartnerUser {
    pub user: AuthUser,
    pub partner_id: i64,
    pub role: PartnerRole,
    /// The brand the person switched the portal to, when their programs span several; the
    /// portal's program lists then show that brand's only.
    pub brand: Option<i64>,
}

impl PartnerUser {
    /// The programs the portal shows: with the portal switched to a brand, that brand's (the
    /// caller still narrows to the partner's own); otherwise `None`, meaning every one.
    pub async fn programs_in_view(
        &self,
        conn: &mut diesel_async::AsyncPgConnection,
    ) -> Result<Option<Vec<i64>>, AppError> {
        match self.brand {
            None => Ok(None),
            Some(brand) => Ok(Some(programs::ids_of_brand(conn, brand).await?)),
        }
    }
}

/// The message for a person who must set up two-factor sign-in before anything else.
pub const TWO_FACTOR_DUE: &str =
    "Set up two-factor sign-in first: it is asked of your account, under Settings (/console/settings or /portal/settings).";

/// Refuses a session whose person must set up two-factor sign-in first (their own account's
/// server functions, which ask only `viewer`, stay open).
async fn ensure_two_factor_set_up() -> Result<(), AppError> {
    if auth::two_factor_setup_due(&session().await?).await? {
        return Err(AppError::Conflict(TWO_FACTOR_DUE.into()));
    }
    Ok(())
}

/// Any operator, with their brand scope narrowed to the brand the console is switched to;
/// partner users and visitors are refused.
pub async fn require_operator() -> Result<Operator, AppError> {
    operator(true).await
}

/// Any operator with every one of their brands, whatever the console is switched to: for the
/// pages whose objects span brands or stand above them (operators, brands, payout runs), where
/// a narrowed scope would hide or drop another brand's part.
pub async fn require_operator_across_brands() -> Result<Operator, AppError> {
    operator(false).await
}

async fn operator(focused: bool) -> Result<Operator, AppError> {
    match viewer().await? {
        Some(user) => match user.account {
            Account::Operator(role) => {
                ensure_two_factor_set_up().await?;
                let mut conn = db().await?;
                let mut scope = Scope::of_operator(&mut conn, user.id, user.brand_scoped).await?;
                if focused {
                    let focus = super::brand_view::chosen(&session().await?).await;
                    scope = scope.focused_on(&mut conn, focus).await?;
                }
                Ok(Operator { user, role, scope })
            }
            Account::Partner { .. } => Err(AppError::Forbidden),
        },
        None => Err(AppError::Unauthenticated),
    }
}

/// An operator whose role grants `permission`.
pub async fn require_permission(permission: Permission) -> Result<Operator, AppError> {
    permitted(require_operator().await?, permission)
}

/// As `require_permission`, with every one of the operator's brands (see
/// `require_operator_across_brands`).
pub async fn require_permission_across_brands(permission: Permission) -> Result<Operator, AppError> {
    permitted(require_operator_across_brands().await?, permission)
}

fn permitted(operator: Operator, permission: Permission) -> Result<Operator, AppError> {
    if operator.role.can(permission) {
        Ok(operator)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The message for a partner person who hasn't accepted an agreement version in force yet.
pub const AGREEMENT_DUE: &str =
    "Accept your program's partner agreement first: it is waiting for you under Agreements (/portal/agreements).";

/// Put on a request by the access middleware once it found that the session's partner person
/// has no agreement left to accept, so the page's server functions don't ask again.
#[derive(Clone, Copy, Debug)]
pub struct AgreementsAccepted;

/// A partner person who has accepted every agreement version in force (the portal's gate: page
/// loads are sent to /portal/agreements by the access middleware, server functions refuse).
pub async fn require_partner() -> Result<PartnerUser, AppError> {
    let me = require_partner_person().await?;
    ensure_agreements_accepted(me.partner_id, me.user.id).await?;
    Ok(me)
}

/// Refuses a partner person with an agreement version in force still to accept. Asked once per
/// request: a page load the access middleware already checked is not asked again.
pub async fn ensure_agreements_accepted(partner_id: i64, user_id: i64) -> Result<(), AppError> {
    if parts().is_some_and(|p| p.extensions.get::<AgreementsAccepted>().is_some()) {
        return Ok(());
    }
    let mut conn = state()?.pool.get().await?;
    if crate::backend::repos::agreements::any_due(&mut conn, partner_id, user_id).await? {
        return Err(AppError::Conflict(AGREEMENT_DUE.into()));
    }
    Ok(())
}

/// A partner person, whether or not an agreement waits for them: only for reading and
/// accepting agreements, and for the person's own account. The partner id comes from the
/// session, never from the request.
pub async fn require_partner_person() -> Result<PartnerUser, AppError> {
    match viewer().await? {
        Some(user) => match user.account {
            Account::Partner { partner_id, role } => {
                ensure_two_factor_set_up().await?;
                let brand = match super::brand_view::chosen(&session().await?).await {
                    // A choice is kept while it is still one of two or more brands of the
                    // partner's (an application rejected since can take a brand away).
                    Some(brand) => {
                        let theirs = super::repos::brands::of_partner(&mut *db().await?, partner_id).await?;
                        (theirs.len() > 1 && theirs.iter().any(|b| b.id == brand)).then_some(brand)
                    }
                    None => None,
                };
                Ok(PartnerUser {
                    user,
                    partner_id,
                    role,
                    brand,
                })
            }
            Account::Operator(_) => Err(AppError::Forbidden),
        },
        None => Err(AppError::Unauthenticated),
    }
}

/// The message for anything outside an operator's brands: the same as for what doesn't exist,
/// so a scoped operator learns nothing about other brands.
pub const NO_SUCH_PROGRAM: &str = "That program doesn't exist.";

/// An operator who may see program `program_id`; any other program is "not found".
pub async fn require_program_operator(program_id: i64) -> Result<Operator, AppError> {
    let operator = require_operator().await?;
    if operator.scope.has_program(program_id) {
        return Ok(operator);
    }
    // Outside the brand the console is narrowed to, but one of theirs: say how to reach it.
    if operator.scope.focus.is_some() {
        let whole = Scope::of_operator(&mut *db().await?, operator.user.id, operator.user.brand_scoped).await?;
        if whole.has_program(program_id) {
            return Err(AppError::NotFound(OUTSIDE_FOCUS.into()));
        }
    }
    Err(AppError::NotFound(NO_SUCH_PROGRAM.into()))
}

/// For a program of the operator's that the console's brand switch hides.
pub const OUTSIDE_FOCUS: &str =
    "That program belongs to another of your brands: choose \"All brands\" in the top bar's Brand switch to open it.";

/// Program `id`, read with the operator's scope in the query: one outside it is "not found",
/// like one that doesn't exist.
pub async fn program_in_scope(
    conn: &mut diesel_async::AsyncPgConnection,
    operator: &Operator,
    id: i64,
) -> Result<ProgramRow, AppError> {
    programs::get_in_scope(conn, &operator.scope, id)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_SUCH_PROGRAM.into()))
}

/// An operator whose role grants `permission`, acting on program `program_id` in their scope.
pub async fn require_program_permission(program_id: i64, permission: Permission) -> Result<Operator, AppError> {
    let operator = require_program_operator(program_id).await?;
    if operator.role.can(permission) {
        Ok(operator)
    } else {
        Err(AppError::Forbidden)
    }
}
