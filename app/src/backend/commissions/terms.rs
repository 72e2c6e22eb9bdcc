//! Changing partner terms: a new version per partner with its author, reason and effective
//! time, one audit event and one email each. A bulk amendment is the same change applied to
//! every partner chosen, in one transaction.

use super::accrue::effective_plan;
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::terms::{self, NewTerms};
use crate::backend::repos::{outbox, partners, plans, programs};
use crate::domain::commission::TermOverrides;
use crate::domain::emails;
use crate::domain::validate::FieldErrors;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::{Duration, OffsetDateTime};

/// What an operator asks for.
#[derive(Clone, Debug)]
pub struct TermsChange {
    pub plan_id: i64,
    pub overrides: TermOverrides,
    pub effective_from: OffsetDateTime,
    pub reason: String,
}

/// Checks the change against the program: the plan exists there, the overrides make a valid
/// plan, the reason is given, and the change does not reach into the past.
async fn check(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    change: &TermsChange,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    let plan = plans::get(conn, program_id, change.plan_id).await?;
    match &plan {
        None => errors.add("plan_id", "Choose one of this program's plans."),
        Some(plan) => {
            let overrides = serde_json::to_value(&change.overrides).expect("overrides serialize");
            let checked = effective_plan(&plan.definition, &overrides).map_err(|e| e.to_string());
            if let Err(reason) = checked.and_then(|plan| plan.validate()) {
                errors.add(
                    "overrides",
                    format!("With these overrides the plan is invalid: {reason}"),
                );
            }
        }
    }
    if change.reason.trim().is_empty() {
        errors.add("reason", "Say why the terms change; the partner's history shows it.");
    } else if change.reason.chars().count() > 500 {
        errors.add("reason", "Keep the reason under 500 characters.");
    }
    // The form is precise to the minute, so this minute (or the one just gone, for a slow
    // submit) means "now"; `change` stores such a start as now.
    let this_minute = now
        .replace_second(0)
        .and_then(|t| t.replace_nanosecond(0))
        .unwrap_or(now);
    if change.effective_from < this_minute - Duration::minutes(1) {
        errors.add(
            "effective_from",
            "Terms can't start in the past: commissions already computed keep the terms they used.",
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Applies the change to each partner and returns the new version ids. Partners must be
/// members of the program.
#[allow(clippy::too_many_arguments)]
pub async fn change(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    program_id: i64,
    partner_ids: &[i64],
    change: &TermsChange,
    meta: &RequestMeta,
    base_url: &str,
    now: OffsetDateTime,
) -> Result<Vec<i64>, AppError> {
    check(conn, program_id, change, now).await?;
    // A start a moment ago is stored as now: commissions computed meanwhile used the old terms.
    let effective_from = change.effective_from.max(now);
    if partner_ids.is_empty() {
        return Err(AppError::field("partners", "No active partner matches this selection."));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let program = programs::get(conn, program_id).await?;
        let plan = plans::get(conn, program_id, change.plan_id)
            .await?
            .ok_or_else(|| AppError::field("plan_id", "Choose one of this program's plans."))?;
        let overrides = serde_json::to_value(&change.overrides).expect("overrides serialize");
        let summary = effective_plan(&plan.definition, &overrides)?.describe();
        let mut ids = Vec::with_capacity(partner_ids.len());
        for partner_id in partner_ids {
            let before = terms::in_force(conn, program_id, *partner_id, effective_from).await?;
            let id = terms::insert(
                conn,
                &NewTerms {
                    program_id,
                    partner_id: *partner_id,
                    plan_id: plan.id,
                    overrides: overrides.clone(),
                    effective_from,
                    author_id: Some(operator.id),
                    reason: change.reason.trim(),
                },
                now,
            )
            .await
            .map_err(|e| crate::backend::errors::not_found_as(e, "That partner is not in this program."))?;
            audit::record(
                conn,
                NewEvent {
                    actor: &operator.actor(),
                    action: "terms.change",
                    subject_type: "membership",
                    subject_id: format!("{program_id}:{partner_id}"),
                    before: before.map(
                        |t| serde_json::json!({ "version": t.version, "plan": t.plan_name, "overrides": t.overrides }),
                    ),
                    after: Some(serde_json::json!({
                        "terms_id": id, "plan": plan.name, "overrides": overrides,
                        "effective_from": effective_from.to_string(), "reason": change.reason.trim(),
                    })),
                    request_id: meta.request_id.as_deref(),
                },
            )
            .await?;
            let partner = partners::get(conn, *partner_id).await?;
            let to = crate::backend::partner_mail::address(conn, &partner).await?;
            let effective = crate::domain::format::datetime(effective_from);
            let content = emails::terms_changed(
                &partner.name,
                &program.name,
                &effective,
                &summary,
                &format!("{base_url}/portal/terms"),
            );
            outbox::enqueue(conn, &to, &content).await?;
            ids.push(id);
        }
        Ok(ids)
    })
    .await
}

/// Version 1 for a newly approved partner, from the program's default plan (if it has one and
/// the partner has no terms yet).
pub async fn ensure_initial(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let Some(plan_id) = plans::default_plan_id(conn, program_id).await? else {
        return Ok(());
    };
    if !terms::history(conn, program_id, partner_id).await?.is_empty() {
        return Ok(());
    }
    terms::insert(
        conn,
        &NewTerms {
            program_id,
            partner_id,
            plan_id,
            overrides: serde_json::json!({}),
            effective_from: now,
            author_id: None,
            reason: "Approved into the program: the program's default plan",
        },
        now,
    )
    .await?;
    Ok(())
}
