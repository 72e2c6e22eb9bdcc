//! Partners' own material: the program's rules (audited), a partner's submission (with an
//! optional screenshot) and what the checks flag, and the operator's decision, which is audited and emailed to the submitter.

use crate::api::error::AppError;
use crate::backend::creatives::flows::{self, Upload};
use crate::backend::creatives::image;
use crate::backend::flows::{audited, RequestMeta};
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::promo::{self, NewSubmission};
use crate::backend::repos::{memberships, outbox, programs};
use crate::domain::promo::{self as rules, Rules, SubmissionInput};
use crate::domain::validate::FieldErrors;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use time::OffsetDateTime;

pub const NO_SUCH_SUBMISSION: &str = "That submission doesn't exist in this program.";

pub async fn save_rules(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    new: &Rules,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let before = promo::rules(conn, program_id).await?;
        promo::save_rules(conn, program_id, new, now).await?;
        audit::record(
            conn,
            NewEvent {
                actor,
                action: "promo.rules",
                subject_type: "program",
                subject_id: program_id.to_string(),
                before: serde_json::to_value(&before).ok(),
                after: serde_json::to_value(new).ok(),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

/// A partner submits material to a program it is active in. Returns the id and the flags.
pub async fn submit(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    partner_id: i64,
    input: &SubmissionInput,
    screenshot: Option<&Upload>,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(i64, Vec<String>), AppError> {
    let refused = |errors: FieldErrors| AppError::Invalid(errors.with_submitted(&input.echo()));
    let valid = rules::submission(input).map_err(refused)?;
    // Checked by its bytes and decoded within bounds, as a banner is.
    let screenshot = match screenshot {
        Some(upload) => {
            let inspected = image::inspect_off_thread(&upload.bytes).await.map_err(|m| {
                refused(FieldErrors::single(
                    "screenshot",
                    format!("The screenshot can't be used: {m}"),
                ))
            })?;
            Some((
                flows::sha256_hex(&upload.bytes),
                inspected.image_type.content_type(),
                upload,
            ))
        }
        None => None,
    };
    let active = memberships::find(conn, partner_id, valid.program_id)
        .await?
        .is_some_and(|m| m.status == "active");
    if !active {
        return Err(AppError::NotFound(
            "That program doesn't exist, or you aren't active in it.".into(),
        ));
    }
    let program_rules = promo::rules(conn, valid.program_id).await?;
    let flags = rules::flags(&program_rules, valid.channel, &valid.body);
    let new = NewSubmission {
        program_id: valid.program_id,
        partner_id,
        submitted_by: actor.user_id.unwrap_or_default(),
        channel: valid.channel.as_str().to_owned(),
        url: valid.url,
        body: valid.body,
        flags: flags.clone(),
        created_at: now,
        screenshot_type: screenshot
            .as_ref()
            .map(|(_, content_type, _)| (*content_type).to_owned()),
        screenshot: screenshot.as_ref().map(|(.., upload)| upload.bytes.clone()),
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        let id = promo::insert(conn, &new).await?;
        let after = json!({ "program_id": new.program_id, "partner_id": partner_id, "channel": new.channel, "url": new.url, "flags": new.flags, "screenshot_sha256": screenshot.as_ref().map(|(sha, ..)| sha) });
        audited(conn, actor, "promo.submit", ("promo_submission", id.to_string()), after, meta).await?;
        Ok((id, flags))
    })
    .await
}

/// Approves or rejects a pending submission of the program, and emails the person who sent it.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    id: i64,
    approve: bool,
    reason: &str,
    base_url: &str,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let row = promo::lock_in_program(conn, program_id, id)
            .await?
            .ok_or_else(|| AppError::NotFound(NO_SUCH_SUBMISSION.into()))?;
        let status = rules::decide(&row.status, approve, reason).map_err(|m| {
            if row.status == "pending" {
                AppError::field("reason", m)
            } else {
                AppError::Conflict(m)
            }
        })?;
        let reason = Some(reason.trim()).filter(|r| !r.is_empty());
        promo::set_decision(conn, id, status, reason, actor.user_id.unwrap_or_default(), now).await?;
        let (email, name) = promo::submitter(conn, row.submitted_by).await?;
        let program = programs::get(conn, program_id).await?;
        let content = rules::decided_email(
            &name,
            &program.name,
            &row.url,
            approve,
            reason,
            &format!("{base_url}/portal/material"),
        );
        outbox::enqueue_for_program(conn, program_id, &email, &content).await?;
        let after = json!({ "status": status, "reason": reason });
        audited(
            conn,
            actor,
            &format!("promo.{status}"),
            ("promo_submission", id.to_string()),
            after,
            meta,
        )
        .await
    })
    .await
}
