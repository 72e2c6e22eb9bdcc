//! Inviting operators, changing their roles and brands, deactivating and reactivating them.
//! Only admins who see every brand manage operators (a brand-scoped admin could otherwise hand
//! out brands they can't see). The last active admin can't be demoted or deactivated.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::operators::{self, OperatorRow};
use crate::backend::repos::password_tokens::{self, Purpose};
use crate::backend::repos::{outbox, users};
use crate::backend::scope::Scope;
use crate::backend::settings::Settings;
use crate::domain::access::OperatorRole;
use crate::domain::admin::operator_form::{self, AdminChange, InviteInput};
use crate::domain::emails;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

pub const NO_SUCH_OPERATOR: &str = "That operator doesn't exist.";

/// The brands an operator is limited to: `None` sees every brand. Every brand must exist.
fn checked_brands(scope: &Scope, brands: Option<&[i64]>) -> Result<Option<Vec<i64>>, AppError> {
    match brands {
        None => Ok(None),
        Some([]) => Err(AppError::field(
            "brands",
            "Choose at least one brand, or let this person see every brand.",
        )),
        Some(ids) if ids.iter().all(|b| scope.has_brand(*b)) => {
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids.dedup();
            Ok(Some(ids))
        }
        Some(_) => Err(AppError::field("brands", "Choose brands from the list.")),
    }
}

fn require_all_brands(scope: &Scope) -> Result<(), AppError> {
    if scope.all_brands {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn invite(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    scope: &Scope,
    input: &InviteInput,
    brands: Option<&[i64]>,
    settings: &Settings,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<OperatorRow, AppError> {
    require_all_brands(scope)?;
    let invite = operator_form::validate_invite(input).map_err(AppError::Invalid)?;
    let brands = checked_brands(scope, brands)?;
    let typed = [
        ("name", input.name.as_str()),
        ("email", input.email.as_str()),
        ("role", input.role.as_str()),
    ];
    let refuse = |message: &str| {
        AppError::Invalid(crate::domain::validate::FieldErrors::single("email", message).with_submitted(&typed))
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        if let Some(existing) = users::find_by_email(conn, &invite.email).await? {
            return Err(refuse(if existing.kind == "operator" {
                "This person is already an operator. Change their role in the list instead."
            } else {
                "This address belongs to a partner's login; an operator needs an address of their own."
            }));
        }
        let row = operators::insert_invited(conn, &invite.email, &invite.name, invite.role, admin.id)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => refuse("This address was just taken by another account."),
                other => other,
            })?;
        if let Some(ids) = &brands {
            operators::set_brands(conn, row.id, true, ids).await?;
        }
        let token = password_tokens::issue(conn, row.id, Purpose::Invite, settings.invite_token_ttl, now).await?;
        let link = format!("{}/set-password?token={token}", settings.base_url);
        let days = settings.invite_token_ttl.as_secs() / 86_400;
        let email = emails::operator_invited(&invite.name, &admin.display_name, invite.role.label(), days, &link);
        outbox::enqueue(conn, &invite.email, &email).await?;
        let after = serde_json::json!({
            "email": row.email, "name": row.display_name, "role": invite.role.as_str(), "brands": brands,
        });
        super::record(conn, admin, "operator.invite", ("user", row.id), after, meta).await?;
        Ok(row)
    })
    .await
}

/// A change of role or of active state, checked against the last-admin rule under a lock.
async fn guarded_change(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    scope: &Scope,
    id: i64,
    change: AdminChange,
    meta: &RequestMeta,
) -> Result<OperatorRow, AppError> {
    require_all_brands(scope)?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let admins = operators::lock_active_admins(conn).await?;
        let target = operators::get(conn, id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_OPERATOR.into()))?;
        operator_form::keeps_an_admin(&admins, id, change).map_err(AppError::Conflict)?;
        let (action, after) = match change {
            AdminChange::Demote(role) => {
                operators::set_role(conn, id, role).await?;
                let before = target.operator_role.clone().unwrap_or_default();
                (
                    "operator.role",
                    serde_json::json!({ "from": before, "to": role.as_str() }),
                )
            }
            AdminChange::Deactivate => {
                operators::set_active(conn, id, false).await?;
                ("operator.deactivate", serde_json::json!({ "active": false }))
            }
        };
        super::record(conn, admin, action, ("user", id), after, meta).await?;
        Ok(operators::get(conn, id).await?.unwrap_or(target))
    })
    .await
}

pub async fn change_role(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    scope: &Scope,
    id: i64,
    role: &str,
    meta: &RequestMeta,
) -> Result<OperatorRow, AppError> {
    let role: OperatorRole = operator_form::role(role).map_err(|m| AppError::field("role", m))?;
    guarded_change(conn, admin, scope, id, AdminChange::Demote(role), meta).await
}

/// Deactivating ends the person's sessions at once (every request checks the flag).
pub async fn deactivate(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    scope: &Scope,
    id: i64,
    meta: &RequestMeta,
) -> Result<OperatorRow, AppError> {
    guarded_change(conn, admin, scope, id, AdminChange::Deactivate, meta).await
}

pub async fn reactivate(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    scope: &Scope,
    id: i64,
    meta: &RequestMeta,
) -> Result<OperatorRow, AppError> {
    require_all_brands(scope)?;
    conn.transaction::<_, AppError, _>(async |conn| {
        if operators::set_active(conn, id, true).await? == 0 {
            return Err(AppError::NotFound(NO_SUCH_OPERATOR.into()));
        }
        let after = serde_json::json!({ "active": true });
        super::record(conn, admin, "operator.reactivate", ("user", id), after, meta).await?;
        operators::get(conn, id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_OPERATOR.into()))
    })
    .await
}

/// Limits an operator to some brands (`Some`), or lets them see every brand (`None`).
pub async fn set_brands(
    conn: &mut AsyncPgConnection,
    admin: &AuthUser,
    scope: &Scope,
    id: i64,
    brands: Option<&[i64]>,
    meta: &RequestMeta,
) -> Result<OperatorRow, AppError> {
    require_all_brands(scope)?;
    let brands = checked_brands(scope, brands)?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let target = operators::get(conn, id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_OPERATOR.into()))?;
        operators::set_brands(conn, id, brands.is_some(), brands.as_deref().unwrap_or_default()).await?;
        let after = serde_json::json!({ "brands": brands });
        super::record(conn, admin, "operator.brands", ("user", id), after, meta).await?;
        Ok(operators::get(conn, id).await?.unwrap_or(target))
    })
    .await
}
