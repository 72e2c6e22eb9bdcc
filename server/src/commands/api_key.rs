//! `trellis api-key create --program SLUG`: a program API key for the conversion API and
//! postbacks. The key is printed once (alone on standard output, so scripts can capture it) and
//! only its hash is stored.

use app::api::error::AppError;
use app::backend::api_v1::keys;
use app::backend::repos::audit::{self, Actor, NewEvent};
use app::backend::repos::programs;
use diesel_async::AsyncConnection;
use time::OffsetDateTime;

pub async fn create(database_url: &str, program_slug: &str, name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err("--name must be 1 to 80 characters".into());
    }
    let mut conn = app::backend::db::connect(database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let (program, _) = programs::find_by_slug(conn, program_slug)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no program with the slug \"{program_slug}\"")))?;
        let (secret, row) = keys::create(conn, program.id, name, None, OffsetDateTime::now_utc()).await?;
        audit::record(
            conn,
            NewEvent {
                actor: &Actor::system("trellis api-key create"),
                action: "api_key.create",
                subject_type: "api_key",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "program": program.slug, "name": row.name, "prefix": row.prefix })),
                request_id: None,
            },
        )
        .await?;
        Ok(secret)
    })
    .await
    .map_err(|e| e.to_string())
}
