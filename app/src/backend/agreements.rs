//! Publishing a partner agreement version and accepting one, each in one audited transaction.

use crate::api::error::AppError;
use crate::backend::flows::{audited, RequestMeta};
use crate::backend::repos::agreements::{self, AgreementRow, NewAcceptance, NewAgreement};
use crate::backend::repos::audit::Actor;
use crate::backend::repos::programs;
use crate::domain::agreements::{self as rules, AgreementInput};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// The hash an acceptance refers to: SHA-256 of the text exactly as stored, in hex.
pub fn text_hash(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

/// Publishes the program's next version. From then on every partner person of the program
/// accepts it at their next visit.
pub async fn publish(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    input: &AgreementInput,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<AgreementRow, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        programs::lock(conn, program_id).await?;
        let current = agreements::in_force(conn, program_id).await?;
        let valid = rules::validate(input, current.as_ref().map(|c| c.body_markdown.as_str()))
            .map_err(|e| AppError::Invalid(e.with_submitted(&input.echo())))?;
        let row = agreements::publish(
            conn,
            NewAgreement {
                program_id,
                version: 0,
                text_sha256: text_hash(&valid.body),
                title: valid.title,
                body_markdown: valid.body,
                changes: valid.changes,
                published_by: actor.user_id.unwrap_or_default(),
                published_at: now,
            },
        )
        .await?;
        let after = serde_json::json!({
            "program_id": program_id, "version": row.version, "title": row.title, "text_sha256": row.text_sha256,
        });
        audited(
            conn,
            actor,
            "agreement.publish",
            ("agreement", row.id.to_string()),
            after,
            meta,
        )
        .await?;
        Ok(row)
    })
    .await
}

/// Records that a partner person accepted `version` of agreement `agreement_id`, which must be
/// the version in force of one of the partner's programs. Any other id is "not found"; an older
/// version is refused and records nothing.
pub async fn accept(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    (partner_id, user_id): (i64, i64),
    agreement_id: i64,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let agreement = agreements::for_partner(conn, agreement_id, partner_id)
            .await?
            .ok_or_else(|| AppError::NotFound("That agreement doesn't exist.".into()))?;
        let in_force = agreements::in_force(conn, agreement.program_id)
            .await?
            .map_or(agreement.version, |row| row.version);
        rules::check_acceptance(agreement.version, in_force).map_err(AppError::Conflict)?;
        let written = agreements::accept(
            conn,
            &NewAcceptance {
                agreement_id,
                user_id,
                partner_id,
                accepted_at: now,
                ip: meta.ip.chars().take(64).collect(),
                text_sha256: agreement.text_sha256.clone(),
            },
        )
        .await?;
        if written {
            let after = serde_json::json!({
                "program_id": agreement.program_id, "version": agreement.version,
                "partner_id": partner_id, "text_sha256": agreement.text_sha256,
            });
            audited(
                conn,
                actor,
                "agreement.accept",
                ("agreement", agreement_id.to_string()),
                after,
                meta,
            )
            .await?;
        }
        Ok(())
    })
    .await
}
