//! The console's Operators page: who works in the console, with which role and brands; and
//! the admin's changes (invite, role, brands, deactivate, reactivate). Everything here needs
//! ManageOperators and an admin who sees every brand.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperatorDto {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub role_label: String,
    pub active: bool,
    /// Invited and not yet signed in.
    pub invited: bool,
    /// None: every brand.
    pub brands: Option<Vec<(i64, String)>>,
    pub is_me: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperatorsDto {
    pub operators: Vec<OperatorDto>,
    pub brands: Vec<(i64, String)>,
    /// (role, label, what it may do)
    pub roles: Vec<(String, String, String)>,
}

#[server(input = GetUrl)]
pub async fn operator_list() -> Result<OperatorsDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{brands, operators, password_tokens};
    use crate::domain::access::OperatorRole;
    let admin = build::require_operator_admin().await?;
    let mut conn = ctx::db().await?;
    let now = ctx::now();
    let rows = operators::list(&mut conn).await?;
    let ids: Vec<i64> = rows.iter().map(|(row, _)| row.id).collect();
    let open = password_tokens::with_open_invite(&mut conn, &ids, now).await?;
    let list = rows
        .into_iter()
        .map(|(row, assigned)| {
            let invited = row.password_changed_at.is_none() && open.contains(&row.id);
            build::operator(row, assigned, invited, admin.user.id)
        })
        .collect();
    let brands = brands::list(&mut conn, &admin.scope)
        .await?
        .into_iter()
        .map(|(b, _)| (b.id, b.name))
        .collect();
    let roles = OperatorRole::ALL
        .into_iter()
        .map(|r| (r.as_str().to_owned(), r.label().to_owned(), r.promise().to_owned()))
        .collect();
    Ok(OperatorsDto {
        operators: list,
        brands,
        roles,
    })
}

/// `brands`: the chosen brand ids; `all_brands`: "yes" when the person sees every brand.
#[server]
pub async fn invite_operator(
    csrf_token: String,
    name: String,
    email: String,
    role: String,
    #[server(default)] all_brands: Option<String>,
    #[server(default)] brands: Vec<i64>,
) -> Result<String, AppError> {
    use crate::backend::{admin, ctx};
    use crate::domain::admin::operator_form::InviteInput;
    ctx::verify_csrf(&csrf_token)?;
    let operator = build::require_operator_admin().await?;
    let input = InviteInput { name, email, role };
    let chosen = all_brands.is_none().then_some(brands.as_slice());
    let (settings, meta) = (ctx::state()?.settings.clone(), ctx::request_meta());
    let row = admin::operators::invite(
        &mut *ctx::db().await?,
        &operator.user,
        &operator.scope,
        &input,
        chosen,
        &settings,
        &meta,
        ctx::now(),
    )
    .await?;
    let message = format!("Invitation sent to {}.", row.email);
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

/// One change to one operator: `what` is "role" (with `role`), "brands" (with `all_brands` and
/// `brands`), "deactivate" or "reactivate".
#[server]
pub async fn change_operator(
    csrf_token: String,
    id: i64,
    what: String,
    #[server(default)] role: String,
    #[server(default)] all_brands: Option<String>,
    #[server(default)] brands: Vec<i64>,
) -> Result<String, AppError> {
    use crate::backend::admin::operators as flow;
    use crate::backend::ctx;
    ctx::verify_csrf(&csrf_token)?;
    let admin = build::require_operator_admin().await?;
    let (meta, mut conn) = (ctx::request_meta(), ctx::db().await?);
    let (user, scope) = (&admin.user, &admin.scope);
    let row = match what.as_str() {
        "role" => flow::change_role(&mut conn, user, scope, id, &role, &meta).await?,
        "brands" => {
            let chosen = all_brands.is_none().then_some(brands.as_slice());
            flow::set_brands(&mut conn, user, scope, id, chosen, &meta).await?
        }
        "deactivate" => flow::deactivate(&mut conn, user, scope, id, &meta).await?,
        "reactivate" => flow::reactivate(&mut conn, user, scope, id, &meta).await?,
        _ => return Err(AppError::field("what", "Choose what to change.")),
    };
    let message = build::changed_message(&what, &row.display_name);
    super::flash::after_plain_post(message.clone()).await?;
    Ok(message)
}

#[cfg(feature = "ssr")]
mod build {
    use super::OperatorDto;
    use crate::api::error::AppError;
    use crate::backend::ctx::{self, Operator};
    use crate::backend::repos::operators::OperatorRow;
    use crate::domain::access::{OperatorRole, Permission};

    /// An admin who sees every brand (a brand-scoped admin can't hand out brands they can't see).
    pub async fn require_operator_admin() -> Result<Operator, AppError> {
        let operator = ctx::require_permission_across_brands(Permission::ManageOperators).await?;
        if operator.scope.all_brands {
            Ok(operator)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn operator(row: OperatorRow, brands: Vec<(i64, String)>, invited: bool, me: i64) -> OperatorDto {
        let role = row
            .operator_role
            .as_deref()
            .and_then(OperatorRole::parse)
            .unwrap_or(OperatorRole::Viewer);
        OperatorDto {
            id: row.id,
            name: row.display_name,
            email: row.email,
            role: role.as_str().to_owned(),
            role_label: role.label().to_owned(),
            active: row.is_active,
            invited,
            brands: row.brand_scoped.then_some(brands),
            is_me: row.id == me,
        }
    }

    pub fn changed_message(what: &str, name: &str) -> String {
        match what {
            "role" => format!("{name}'s role changed."),
            "brands" => format!("{name}'s brands changed."),
            "deactivate" => format!("{name} is deactivated and signed out everywhere."),
            _ => format!("{name} is active again."),
        }
    }
}
