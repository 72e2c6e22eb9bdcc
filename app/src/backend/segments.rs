//! Segments as operators use them: a filter parsed against the program's tiers, saved and
//! deleted with an audit event, resolved to its members when an amendment, an allocation or an
//! export uses it, and the tags on a membership that segments filter on.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::{self, NewEvent};
use crate::backend::repos::segments::{self, SegmentRow};
use crate::backend::repos::{memberships, tiers};
use crate::domain::segments::filter::{self, Fields, Filter};
use crate::domain::segments::tags;
use crate::domain::validate::{required_text, FieldErrors};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

pub const SEGMENT_MISSING: &str = "That segment doesn't exist in this program.";

/// The tier names a filter may name: the ladder's, and any a member still holds.
pub async fn tier_names(conn: &mut AsyncPgConnection, program_id: i64) -> Result<Vec<String>, AppError> {
    let mut names: Vec<String> = tiers::ladder(conn, program_id)
        .await?
        .tiers
        .into_iter()
        .map(|t| t.name)
        .collect();
    for (held, _) in tiers::member_counts(conn, program_id).await? {
        if let Some(held) = held.filter(|h| !names.contains(h)) {
            names.push(held);
        }
    }
    Ok(names)
}

/// The filter the fields describe, or the fields' errors.
pub async fn parse(conn: &mut AsyncPgConnection, program_id: i64, fields: &Fields) -> Result<Filter, AppError> {
    let tiers = tier_names(conn, program_id).await?;
    filter::parse(fields, &tiers).map_err(AppError::Invalid)
}

/// The program's segment and its filter as it reads today.
pub async fn resolve(conn: &mut AsyncPgConnection, program_id: i64, id: i64) -> Result<(SegmentRow, Filter), AppError> {
    let row = segments::find(conn, program_id, id)
        .await?
        .ok_or_else(|| AppError::NotFound(SEGMENT_MISSING.into()))?;
    let filter = parse(conn, program_id, &row.fields()).await.map_err(|_| {
        AppError::Conflict(format!(
            "The segment \"{}\" names a tier the program no longer has: edit it first.",
            row.name
        ))
    })?;
    Ok((row, filter))
}

/// A segment as the form sends it: `id` None for a new one.
pub struct Draft<'a> {
    pub id: Option<i64>,
    pub name: &'a str,
    pub fields: &'a Fields,
}

/// Saves a segment (new when `draft.id` is None) and records it; the id saved.
pub async fn save(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    meta: &RequestMeta,
    program_id: i64,
    draft: &Draft<'_>,
    now: OffsetDateTime,
) -> Result<i64, AppError> {
    let (id, typed_name, fields) = (draft.id, draft.name, draft.fields);
    let filter = parse(conn, program_id, fields).await;
    let (name, filter) = match (required_text(typed_name, "The name", 80), filter) {
        (Ok(name), Ok(filter)) => (name, filter),
        (name, filter) => {
            let mut errors = match filter {
                Err(AppError::Invalid(errors)) => errors,
                Err(other) => return Err(other),
                Ok(_) => FieldErrors::default(),
            };
            if let Err(message) = name {
                errors.add("name", message);
            }
            let echo: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            return Err(AppError::Invalid(
                errors.with_submitted(&echo).with_submitted(&[("name", typed_name)]),
            ));
        }
    };
    let stored = filter::fields_of(&filter);
    conn.transaction::<_, AppError, _>(async |conn| {
        let before = match id {
            Some(id) => Some(
                segments::find(conn, program_id, id)
                    .await?
                    .ok_or_else(|| AppError::NotFound(SEGMENT_MISSING.into()))?,
            ),
            None => None,
        };
        let saved = match segments::save(conn, program_id, id, &name, &stored, Some(operator.id), now).await {
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                return Err(AppError::field(
                    "name",
                    format!("This program already has a segment named \"{name}\"."),
                ));
            }
            other => other?,
        };
        audit::record(
            conn,
            NewEvent {
                actor: &operator.actor(),
                action: "segment.save",
                subject_type: "segment",
                subject_id: saved.to_string(),
                before: before.map(|b| serde_json::json!({ "name": b.name, "filter": b.filter })),
                after: Some(serde_json::json!({ "name": name, "filter": stored })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(saved)
    })
    .await
}

/// Deletes the program's segment and records it.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    meta: &RequestMeta,
    program_id: i64,
    id: i64,
) -> Result<(), AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let row = segments::find(conn, program_id, id)
            .await?
            .ok_or_else(|| AppError::NotFound(SEGMENT_MISSING.into()))?;
        segments::delete(conn, program_id, id).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &operator.actor(),
                action: "segment.delete",
                subject_type: "segment",
                subject_id: id.to_string(),
                before: Some(serde_json::json!({ "name": row.name, "filter": row.filter })),
                after: None,
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

/// Replaces the tags on a partner's membership of the program and records the change.
pub async fn set_tags(
    conn: &mut AsyncPgConnection,
    operator: &AuthUser,
    meta: &RequestMeta,
    program_id: i64,
    partner_id: i64,
    text: &str,
) -> Result<Vec<String>, AppError> {
    let tags = tags::parse_list(text)
        .map_err(|m| AppError::Invalid(FieldErrors::single("tags", m).with_submitted(&[("tags", text)])))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let before = memberships::tags(conn, program_id, partner_id)
            .await?
            .ok_or_else(|| AppError::NotFound("That partner isn't in this program.".into()))?;
        memberships::set_tags(conn, program_id, partner_id, &tags).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &operator.actor(),
                action: "membership.tags",
                subject_type: "membership",
                subject_id: format!("{program_id}:{partner_id}"),
                before: Some(serde_json::json!({ "tags": before })),
                after: Some(serde_json::json!({ "tags": tags })),
                request_id: meta.request_id.as_deref(),
            },
        )
        .await?;
        Ok(tags)
    })
    .await
}
