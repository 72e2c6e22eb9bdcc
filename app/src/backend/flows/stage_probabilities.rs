//! An operator sets a program's stage probabilities for the deal forecast: checked, saved and
//! audited (before and after) in one transaction.

use super::RequestMeta;
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::errors::not_found_as;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::{programs, stage_probabilities};
use crate::domain::deals::probability_form;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

pub async fn save(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    program_id: i64,
    inputs: [&str; 4],
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let probabilities = probability_form::parse(inputs).map_err(AppError::Invalid)?;
    conn.transaction::<_, AppError, _>(async |conn| {
        programs::get(conn, program_id)
            .await
            .map_err(|e| not_found_as(e, "That program doesn't exist."))?;
        let before = stage_probabilities::get(conn, program_id).await?;
        stage_probabilities::save(conn, program_id, &probabilities, user.id, now).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &user.actor(),
                action: "program.deal_stage_probabilities",
                subject_type: "program",
                subject_id: program_id.to_string(),
                before: Some(serde_json::to_value(&before).unwrap_or_default()),
                after: Some(serde_json::to_value(&probabilities).unwrap_or_default()),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(())
    })
    .await
}
