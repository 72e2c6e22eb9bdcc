//! A partner uploads a file for a requirement of a program it applied to or belongs to. The file
//! is checked like an MDF proof file (kind by its bytes, 5 MB), sealed with the data key, and
//! replaces any file of the same requirement still waiting; the reviewers are emailed.

use super::{seal_context, NO_SUCH_REQUIREMENT};
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::data_key::DataKey;
use crate::backend::flows::{audited, RequestMeta};
use crate::backend::mdf::claims::Upload;
use crate::backend::operator_mail;
use crate::backend::repos::partner_documents::{self as repo, DocumentRow, NewDocument};
use crate::backend::repos::partners;
use crate::domain::documents::emails;
use crate::domain::mdf::upload;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

pub const NO_DATA_KEY: &str =
    "Documents can't be uploaded yet: this installation has no data key to protect them. The program team has to set one.";

/// Who uploads, and where the reviewers' email links to.
pub struct Uploader<'a> {
    pub user: &'a AuthUser,
    pub partner_id: i64,
    pub base_url: &'a str,
    pub meta: &'a RequestMeta,
}

pub async fn upload(
    conn: &mut AsyncPgConnection,
    key: Option<&DataKey>,
    by: &Uploader<'_>,
    requirement_id: i64,
    file: &Upload,
    now: OffsetDateTime,
) -> Result<DocumentRow, AppError> {
    let kind = upload::check(&file.name, &file.bytes).map_err(|m| AppError::field("file", m))?;
    let key = key.ok_or_else(|| AppError::Conflict(NO_DATA_KEY.into()))?;
    let partner_id = by.partner_id;
    conn.transaction::<_, AppError, _>(async |conn| {
        let programs = repo::partner_programs(conn, partner_id).await?;
        let ids: Vec<i64> = programs.iter().map(|(id, _)| *id).collect();
        let requirement = repo::requirements(conn, &ids)
            .await?
            .into_iter()
            .find(|r| r.id == requirement_id)
            .ok_or_else(|| AppError::NotFound(NO_SUCH_REQUIREMENT.into()))?;
        let program = programs
            .iter()
            .find(|(id, _)| *id == requirement.program_id)
            .map(|(_, name)| name.clone())
            .unwrap_or_default();
        let filename = upload::safe_filename(&file.name);
        let sha256 = Sha256::digest(&file.bytes);
        let sealed = key.seal_bytes(&file.bytes, &seal_context(partner_id, requirement.id));
        let row = repo::insert(
            conn,
            &NewDocument {
                requirement_id: requirement.id,
                partner_id,
                uploaded_by: by.user.id,
                filename: &filename,
                content_type: kind.content_type(),
                size_bytes: i32::try_from(file.bytes.len()).unwrap_or(i32::MAX),
                sha256: &sha256,
                sealed: &sealed,
                key_id: key.id(),
            },
            now,
        )
        .await?;
        let after = serde_json::json!({
            "partner_id": partner_id, "requirement": requirement.name, "program_id": requirement.program_id,
            "filename": row.filename, "size_bytes": row.size_bytes, "sha256": hex::encode(sha256),
        });
        audited(
            conn,
            &by.user.actor(),
            "document.upload",
            ("partner_document", row.id.to_string()),
            after,
            by.meta,
        )
        .await?;
        let partner = partners::get(conn, partner_id).await?;
        let url = format!("{}/console/documents", by.base_url);
        operator_mail::to_operators(conn, &["admin", "finance"], requirement.program_id, |name| {
            emails::uploaded(name, &partner.name, &requirement.name, &program, &url)
        })
        .await?;
        Ok(row)
    })
    .await
}
