//! An admin or manager lists the documents a program requires, and retires them. Each change
//! takes the program's lock (so the limit and the unique name hold) and is audited.

use super::NO_SUCH_REQUIREMENT;
use crate::api::error::AppError;
use crate::backend::flows::{audited, RequestMeta};
use crate::backend::repos::audit::Actor;
use crate::backend::repos::partner_documents::{self as repo, RequirementRow};
use crate::backend::repos::programs;
use crate::domain::documents::{RequirementForm, MAX_REQUIREMENTS};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

pub async fn add(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    form: &RequirementForm,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<RequirementRow, AppError> {
    let invalid = |e: crate::domain::validate::FieldErrors| AppError::Invalid(e.with_submitted(&form.echo()));
    let requirement = form.validate().map_err(invalid)?;
    conn.transaction::<_, AppError, _>(async |conn| {
        programs::lock(conn, program_id).await?;
        let current = repo::requirements(conn, &[program_id]).await?;
        if current.len() >= MAX_REQUIREMENTS {
            return Err(AppError::field(
                "kind",
                format!("A program requires at most {MAX_REQUIREMENTS} documents: retire one first."),
            ));
        }
        if current
            .iter()
            .any(|r| r.name.to_lowercase() == requirement.name.to_lowercase())
        {
            let mut errors = crate::domain::validate::FieldErrors::default();
            errors.add(
                "name",
                format!(
                    "The program already requires a document named \"{}\".",
                    requirement.name
                ),
            );
            return Err(invalid(errors));
        }
        let row = repo::insert_requirement(conn, program_id, &requirement, now).await?;
        let after = serde_json::json!({
            "program_id": program_id, "kind": row.kind, "name": row.name, "needed_before": row.needed_before,
        });
        audited(
            conn,
            actor,
            "document_requirement.create",
            ("document_requirement", row.id.to_string()),
            after,
            meta,
        )
        .await?;
        Ok(row)
    })
    .await
}

/// Stops asking for a document; files already uploaded for it stay, readable by reviewers.
pub async fn retire(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    (program_id, id): (i64, i64),
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<RequirementRow, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        programs::lock(conn, program_id).await?;
        let row = repo::retire_requirement(conn, program_id, id, now)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_REQUIREMENT.into()))?;
        let after = serde_json::json!({ "program_id": program_id, "name": row.name, "retired": true });
        audited(
            conn,
            actor,
            "document_requirement.retire",
            ("document_requirement", row.id.to_string()),
            after,
            meta,
        )
        .await?;
        Ok(row)
    })
    .await
}
