//! A program's commission settings from the console: checked field by field (so the database's
//! CHECKs never answer a typing mistake with an error page), saved and audited together; and the
//! review threshold for manual adjustments, which finance sets on its own (a manager, whose
//! adjustments it holds back, can't raise it).

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::errors::not_found_as;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::commission_settings::{self, CommissionSettings};
use crate::backend::repos::programs;
use crate::domain::commission::settings_form::{self, SettingsInput};
use diesel_async::{AsyncConnection, AsyncPgConnection};

fn json(s: &CommissionSettings) -> serde_json::Value {
    serde_json::json!({
        "auto_approve_below": s.auto_approve_below.map(|d| d.to_string()),
        "finance_above": s.finance_above.map(|d| d.to_string()),
        "lock_days": s.lock_days,
        "sla_remind_hours": s.sla_remind_hours,
        "sla_escalate_hours": s.sla_escalate_hours,
        "sub_partner_invites": s.sub_partner_invites,
    })
}

pub async fn save(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    program_id: i64,
    input: &SettingsInput,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let program = programs::get(conn, program_id)
            .await
            .map_err(|e| not_found_as(e, "That program doesn't exist."))?;
        let values = input.parse(&program.currency).map_err(AppError::Invalid)?;
        let before = commission_settings::get(conn, program_id).await?;
        let after = CommissionSettings {
            auto_approve_below: values.auto_approve_below,
            finance_above: values.finance_above,
            lock_days: values.lock_days,
            sla_remind_hours: values.sla_remind_hours,
            sla_escalate_hours: values.sla_escalate_hours,
            sub_partner_invites: values.sub_partner_invites,
        };
        commission_settings::update(conn, program_id, &after).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &operator.actor(),
                action: "program.commission_settings",
                subject_type: "program",
                subject_id: program_id.to_string(),
                before: Some(json(&before)),
                after: Some(json(&after)),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

/// Sets the review threshold for manual adjustments from the amount as typed.
pub async fn save_adjustment_review(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    program_id: i64,
    typed: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let program = programs::get(conn, program_id)
            .await
            .map_err(|e| not_found_as(e, "That program doesn't exist."))?;
        let amount = settings_form::adjustment_review_above(typed, &program.currency)
            .map_err(|m| AppError::field("adjustment_review_above", m))?;
        let before = commission_settings::adjustment_review_above(conn, program_id).await?;
        commission_settings::set_adjustment_review_above(conn, program_id, amount).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &operator.actor(),
                action: "program.adjustment_review",
                subject_type: "program",
                subject_id: program_id.to_string(),
                before: Some(serde_json::json!({ "adjustment_review_above": before.to_string() })),
                after: Some(serde_json::json!({ "adjustment_review_above": amount.to_string() })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(())
    })
    .await
}
