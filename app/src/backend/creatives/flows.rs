//! Adding and archiving creatives. The banner is read (bounded) before anything is written; the
//! files, the creative and its audit event then commit together.

use super::image;
use crate::api::error::AppError;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::creatives::{self, NewCreative};
use crate::backend::repos::tracking_settings;
use crate::backend::schema::{partners, program_memberships as memberships};
use crate::domain::creatives::form::{self, Audience, CreativeInput};
use crate::domain::creatives::Visibility;
use crate::domain::mdf::upload::safe_filename;
use crate::domain::validate::FieldErrors;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// An uploaded file: the name the browser gave it, and its bytes.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Adds a creative to a program the caller may manage (the caller checked). Returns its id.
pub async fn create(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    input: &CreativeInput,
    upload: Option<Upload>,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<i64, AppError> {
    let submitted = |errors: FieldErrors| AppError::Invalid(errors.with_submitted(&submitted_values(input)));
    let inspected = match upload.as_ref() {
        Some(upload) => Some(
            image::inspect_off_thread(&upload.bytes)
                .await
                .map_err(|m| submitted(FieldErrors::single("image", m)))?,
        ),
        None => None,
    };
    let allowed = tracking_settings::get(conn, program_id).await?.allowed_domains;
    let valid = form::validate(input, &allowed, inspected.is_some()).map_err(submitted)?;
    let visibility = match valid.audience.clone() {
        Audience::Decided(visibility) => visibility,
        Audience::PartnerEmails(emails) => Visibility::Partners(
            partners_in_program(conn, program_id, &emails)
                .await?
                .map_err(|m| submitted(FieldErrors::single("audience", m)))?,
        ),
    };
    let (visibility_name, visible_kinds, visible_tiers, visible_partners) = visibility.columns();
    let image_sha = upload.as_ref().map(|u| sha256_hex(&u.bytes));
    let thumb_sha = inspected.as_ref().map(|i| sha256_hex(&i.thumbnail));
    let new = NewCreative {
        program_id,
        kind: valid.kind.as_str().to_owned(),
        name: valid.name,
        landing_url: valid.landing_url,
        body: valid.body,
        alt_text: valid.alt_text,
        tags: valid.tags,
        image_sha256: image_sha.clone(),
        image_type: inspected.as_ref().map(|i| i.image_type.content_type().to_owned()),
        thumb_sha256: thumb_sha.clone(),
        file_name: upload.as_ref().map(|u| safe_filename(&u.file_name)),
        width: inspected.as_ref().map(|i| i.width as i32),
        height: inspected.as_ref().map(|i| i.height as i32),
        active_from: valid.active_from,
        active_until: valid.active_until,
        visibility: visibility_name.to_owned(),
        visible_kinds,
        visible_tiers,
        visible_partners,
        created_by: actor.user_id.unwrap_or_default(),
        created_at: now,
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        if let (Some(upload), Some(inspected), Some(image_sha), Some(thumb_sha)) =
            (&upload, &inspected, &image_sha, &thumb_sha)
        {
            creatives::insert_file(conn, image_sha, inspected.image_type.content_type(), &upload.bytes).await?;
            creatives::insert_file(conn, thumb_sha, "image/png", &inspected.thumbnail).await?;
        }
        let id = creatives::insert(conn, &new).await?;
        audit::record(
            conn,
            NewEvent {
                actor,
                action: "creative.create",
                subject_type: "creative",
                subject_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "program_id": program_id,
                    "kind": new.kind,
                    "name": new.name,
                    "landing_url": new.landing_url,
                    "image_sha256": new.image_sha256,
                    "visibility": new.visibility,
                })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(id)
    })
    .await
}

/// Archives a creative: partners no longer see it and its code's clicks go to the link's own
/// destination.
pub async fn archive(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    id: i64,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        if !creatives::archive(conn, program_id, id, now).await? {
            return Err(AppError::NotFound(
                "That creative doesn't exist or is already archived.".into(),
            ));
        }
        audit::record(
            conn,
            NewEvent {
                actor,
                action: "creative.archive",
                subject_type: "creative",
                subject_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "program_id": program_id })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

/// The ids of the program's partners with these (lower-case) emails, or which email is not one
/// of them.
async fn partners_in_program(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    emails: &[String],
) -> Result<Result<Vec<i64>, String>, AppError> {
    let found: Vec<(i64, String)> = partners::table
        .inner_join(memberships::table.on(memberships::partner_id.eq(partners::id)))
        .filter(memberships::program_id.eq(program_id))
        .filter(crate::backend::sql::lower(partners::email).eq_any(emails))
        .select((partners::id, crate::backend::sql::lower(partners::email)))
        .load(conn)
        .await?;
    emails
        .iter()
        .map(|email| {
            found
                .iter()
                .find(|(_, e)| e == email)
                .map(|(id, _)| *id)
                .ok_or_else(|| format!("{email} is not a partner in this program."))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Ok)
        .or_else(|message| Ok(Err(message)))
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn submitted_values(input: &CreativeInput) -> Vec<(&'static str, &str)> {
    vec![
        ("kind", &input.kind),
        ("name", &input.name),
        ("landing_url", &input.landing_url),
        ("body", &input.body),
        ("alt_text", &input.alt_text),
        ("tags", &input.tags),
        ("active_from", &input.active_from),
        ("active_until", &input.active_until),
        ("visibility", &input.visibility),
        ("audience", &input.audience),
    ]
}
