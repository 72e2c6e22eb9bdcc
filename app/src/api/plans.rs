//! Commission plans in the console: the program's plans in plain words, a new plan from the plan
//! form (a copy of an existing plan to start from), and the default plan for new partners.
//! Reading is open to every operator; changes need ManagePrograms.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanDto {
    pub id: i64,
    pub name: String,
    /// The plan in plain words, one line per rule, then caps and overrides.
    pub lines: Vec<String>,
    pub created_at: String,
    pub is_default: bool,
    /// Active partners whose terms in force use this plan now.
    pub partners: i64,
}

/// A plan to choose in a select.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanChoice {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlansPageDto {
    pub program_id: i64,
    pub program_name: String,
    pub currency: String,
    pub plans: Vec<PlanDto>,
    pub can_manage: bool,
    /// The form's fields copied from a plan (`?copy=`); empty for a blank form.
    pub prefill: Vec<(String, String)>,
    pub copied_from: Option<String>,
}

#[cfg(feature = "ssr")]
pub(crate) async fn plan_choices(
    conn: &mut diesel_async::AsyncPgConnection,
    program_id: i64,
) -> Result<Vec<PlanChoice>, AppError> {
    Ok(crate::backend::repos::plans::list(conn, program_id)
        .await?
        .into_iter()
        .map(|p| PlanChoice { id: p.id, name: p.name })
        .collect())
}

#[server(input = GetUrl)]
pub async fn program_plans(id: i64, copy: Option<i64>) -> Result<PlansPageDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{plans, terms};
    use crate::domain::{access::Permission, commission::plan_form, format};
    let operator = ctx::require_program_operator(id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, id).await?;
    let default = plans::default_plan_id(&mut conn, id).await?;
    let counts = terms::partners_per_plan(&mut conn, id, ctx::now()).await?;
    let rows = plans::list(&mut conn, id).await?;
    let (mut prefill, mut copied_from) = (Vec::new(), None);
    if let Some(copy) = copy {
        let row = rows
            .iter()
            .find(|p| p.id == copy)
            .ok_or_else(|| AppError::NotFound("The plan to copy isn't in this program.".into()))?;
        let plan = row.plan().map_err(crate::backend::errors::internal)?;
        let name: String = format!("Copy of {}", row.name)
            .chars()
            .take(plan_form::NAME_MAX)
            .collect();
        prefill = plan_form::fields_of(&name, &plan).into_iter().collect();
        copied_from = Some(row.name.clone());
    }
    let plans = rows
        .into_iter()
        .map(|p| PlanDto {
            id: p.id,
            lines: p.plan().map_or_else(
                |_| vec!["This plan's stored definition can't be read.".to_owned()],
                |plan| plan.describe(),
            ),
            created_at: format::date(p.created_at),
            is_default: default == Some(p.id),
            partners: counts.iter().find(|c| c.plan_id == p.id).map_or(0, |c| c.partners),
            name: p.name,
        })
        .collect();
    Ok(PlansPageDto {
        program_id: program.id,
        program_name: program.name,
        currency: program.currency,
        plans,
        can_manage: operator.role.can(Permission::ManagePrograms),
        prefill,
        copied_from,
    })
}

/// Saves a new plan from the plan form, whose inputs are named `fields[name]`, `fields[r0_model]`
/// and so on (serde_qs reads them into the map). Returns the new plan's id.
#[server]
pub async fn create_plan(
    csrf_token: String,
    program_id: i64,
    #[server(default)] fields: HashMap<String, String>,
) -> Result<i64, AppError> {
    use crate::backend::{commissions::plans, ctx};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let meta = ctx::request_meta();
    let mut conn = ctx::db().await?;
    let plan = plans::create(&mut conn, &operator.user, program_id, &fields, &meta, ctx::now()).await?;
    super::flash::after_plain_post(format!(
        "Plan “{}” saved. Make it the default for new partners, or move partners to it on the Terms tab.",
        plan.name
    ))
    .await?;
    // A clean form (no copy, one rule section) after saving.
    leptos_axum::redirect(&format!("/console/programs/{program_id}/plans"));
    Ok(plan.id)
}

#[server]
pub async fn make_default_plan(csrf_token: String, program_id: i64, plan_id: i64) -> Result<(), AppError> {
    use crate::backend::{commissions::plans, ctx};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let meta = ctx::request_meta();
    let plan = plans::make_default(&mut *ctx::db().await?, &operator.user, program_id, plan_id, &meta).await?;
    super::flash::after_plain_post(format!(
        "“{}” is now the default: newly approved partners get it.",
        plan.name
    ))
    .await
}
