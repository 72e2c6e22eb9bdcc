//! Links left off the allowed domains: when an operator takes a domain off a program's list,
//! the links that still lead there keep redirecting until someone switches them off. This lists
//! them, and switches off the ones the operator saw in one step, each audited like any other
//! switch-off. Callers clear the link cache after the switch-off commits.

use super::RequestMeta;
use crate::api::error::AppError;
use crate::backend::errors::not_found_as;
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::links::{self, LinkRow};
use crate::backend::repos::tracking_settings;
use crate::domain::destination::still_allowed;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

const MISSING: &str = "That program doesn't exist.";

/// The program's switched-on links whose destination is off its allowed domains, with their
/// partner's name.
pub async fn list(conn: &mut AsyncPgConnection, program_id: i64) -> Result<Vec<(LinkRow, String)>, AppError> {
    let program = tracking_settings::get(conn, program_id)
        .await
        .map_err(|e| not_found_as(e, MISSING))?;
    Ok(links::enabled_for_program(conn, program_id)
        .await?
        .into_iter()
        .filter(|(link, _)| !still_allowed(&link.destination, &program.allowed_domains))
        .collect())
}

/// Switches off the listed links that are still on and still off-domain (one a domain was
/// added back for in the meantime stays on), and returns the ones switched off.
pub async fn switch_off(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    program_id: i64,
    ids: &[i64],
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<Vec<LinkRow>, AppError> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let off: Vec<i64> = list(conn, program_id)
            .await?
            .into_iter()
            .map(|(link, _)| link.id)
            .filter(|id| ids.contains(id))
            .collect();
        let switched = links::disable_many(conn, program_id, &off, now).await?;
        for link in &switched {
            audit::record(
                conn,
                NewEvent {
                    actor,
                    action: "link.disable",
                    subject_type: "link",
                    subject_id: link.id.to_string(),
                    before: Some(serde_json::json!({ "code": link.code, "disabled": false })),
                    after: Some(serde_json::json!({
                        "code": link.code, "disabled": true, "reason": "off the allowed domains",
                        "destination": link.destination,
                    })),
                    request_id: meta.request_id.as_deref(),
                },
            )
            .await?;
        }
        Ok(switched)
    })
    .await
}
