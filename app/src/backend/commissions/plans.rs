//! Saving plans from the console: a new plan (parsed from the form, validated, inserted and
//! audited in one transaction) and the plan newly approved partners get. Plans are never edited.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::errors::not_found_as;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::plans::{self, PlanRow};
use crate::backend::repos::programs;
use crate::domain::commission::plan_form::{self, rule_key, Fields, MAX_RULES, PLAN_FIELDS, RULE_FIELDS};
use crate::domain::validate::FieldErrors;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

/// The form's own fields as typed, to fill it again after an error (other keys are dropped).
fn echo(fields: &Fields) -> Vec<(String, String)> {
    let rule_keys = (0..MAX_RULES).flat_map(|i| RULE_FIELDS.iter().map(move |f| rule_key(i, f)));
    PLAN_FIELDS
        .iter()
        .map(|f| f.to_string())
        .chain(rule_keys)
        .filter_map(|key| fields.get(&key).map(|value| (key, value.clone())))
        .collect()
}

fn invalid(errors: FieldErrors, fields: &Fields) -> AppError {
    let typed = echo(fields);
    let pairs: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    AppError::Invalid(errors.with_submitted(&pairs))
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    program_id: i64,
    fields: &Fields,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<PlanRow, AppError> {
    let program = programs::get(conn, program_id)
        .await
        .map_err(|e| not_found_as(e, "That program doesn't exist."))?;
    let (name, plan) = plan_form::parse(fields, &program.currency).map_err(|e| invalid(e, fields))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let Some(row) = plans::insert(conn, program_id, &name, &plan, Some(operator.id), now).await? else {
            let message = format!("This program already has a plan called “{name}”. Choose another name.");
            return Err(invalid(FieldErrors::single("name", message), fields));
        };
        audit::record(
            conn,
            NewEvent {
                actor: &operator.actor(),
                action: "plan.create",
                subject_type: "plan",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "program_id": program_id, "name": row.name, "definition": row.definition,
                })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(row)
    })
    .await
}

/// Makes `plan_id` the plan that newly approved partners get.
pub async fn make_default(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    program_id: i64,
    plan_id: i64,
    meta: &RequestMeta,
) -> Result<PlanRow, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let plan = plans::get(conn, program_id, plan_id)
            .await?
            .ok_or_else(|| AppError::NotFound("That plan isn't in this program.".into()))?;
        let before = plans::default_plan_id(conn, program_id)
            .await
            .map_err(|e| not_found_as(e, "That program doesn't exist."))?;
        plans::set_default(conn, program_id, plan.id).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &operator.actor(),
                action: "plan.default",
                subject_type: "program",
                subject_id: program_id.to_string(),
                before: Some(serde_json::json!({ "default_plan_id": before })),
                after: Some(serde_json::json!({ "default_plan_id": plan.id, "name": plan.name })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(plan)
    })
    .await
}
