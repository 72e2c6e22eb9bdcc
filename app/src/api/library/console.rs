//! The console's library page for one program: its documents with their versions and download
//! counts, downloads per partner, and what the publish form offers.

use crate::api::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionDto {
    pub number: i32,
    pub file_name: String,
    /// "PDF · 1.2 MB"
    pub file: String,
    pub note: String,
    pub stored: String,
    pub download_path: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentRowDto {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub folder: String,
    pub tags: Vec<String>,
    pub visibility: String,
    pub downloads: i64,
    pub archived: bool,
    /// Newest first; the first is what partners get.
    pub versions: Vec<VersionDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DownloadRowDto {
    pub document: String,
    pub partner: String,
    pub downloads: i64,
    pub last: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramLibraryDto {
    pub program_id: i64,
    pub folders: Vec<(i64, String)>,
    pub certifications: Vec<(i64, String)>,
    pub documents: Vec<DocumentRowDto>,
    pub downloads: Vec<DownloadRowDto>,
    pub can_manage: bool,
    /// "25 MB"
    pub max_upload: String,
    /// A publish form the server refused, shown once.
    pub refused: Option<AppError>,
    /// A new-version form the server refused, shown once beside its document.
    pub version_refused: Option<super::VersionRefusal>,
}

#[server(input = GetUrl)]
pub async fn program_library(id: i64) -> Result<ProgramLibraryDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{certifications, library};
    use crate::domain::access::Permission;
    use crate::domain::format;
    let operator = ctx::require_program_operator(id).await?;
    let mut conn = ctx::db().await?;
    let program = ctx::program_in_scope(&mut conn, &operator, id).await?;
    let rows = library::of_program(&mut conn, id).await?;
    let mut documents = Vec::with_capacity(rows.len());
    for row in rows {
        // A program's documents are tens, not thousands; each lists its few versions.
        let versions = library::versions_of(&mut conn, row.document.id).await?;
        documents.push(DocumentRowDto {
            id: row.document.id,
            visibility: row.document.visibility().describe(row.certification_name.as_deref()),
            title: row.document.title,
            description: row.document.description,
            folder: row.folder_name,
            tags: row.document.tags,
            downloads: row.downloads,
            archived: row.document.archived_at.is_some(),
            versions: versions
                .into_iter()
                .map(|v| VersionDto {
                    number: v.version,
                    file: super::file_label(&v.content_type, v.size_bytes),
                    download_path: format!(
                        "/console/programs/{}/library/{}/versions/{}",
                        program.id, v.document_id, v.version
                    ),
                    file_name: v.file_name,
                    note: v.note,
                    stored: format::date(v.created_at),
                })
                .collect(),
        });
    }
    let downloads = library::downloads_by_partner(&mut conn, id)
        .await?
        .into_iter()
        .map(|(_, document, partner, downloads, last)| DownloadRowDto {
            document,
            partner,
            downloads,
            last: format::datetime(last),
        })
        .collect();
    let session = ctx::session().await?;
    let refused = session
        .remove::<AppError>(&super::publish_refusal_key(id))
        .await
        .map_err(crate::backend::errors::internal)?;
    let version_refused = session
        .remove::<super::VersionRefusal>(&super::version_refusal_key(id))
        .await
        .map_err(crate::backend::errors::internal)?;
    Ok(ProgramLibraryDto {
        program_id: program.id,
        folders: library::folders_of(&mut conn, id)
            .await?
            .into_iter()
            .map(|f| (f.id, f.name))
            .collect(),
        certifications: certifications::of_program(&mut conn, id)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect(),
        documents,
        downloads,
        can_manage: operator.role.can(Permission::ManagePrograms),
        max_upload: format::file_size(ctx::state()?.settings.library_max_bytes as u64),
        refused,
        version_refused,
    })
}

/// Withdraws a document: partners no longer see or download it; its versions stay.
#[server]
pub async fn archive_document(csrf_token: String, program_id: i64, document_id: i64) -> Result<(), AppError> {
    use crate::backend::ctx;
    use crate::backend::library::flows;
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let mut conn = ctx::db().await?;
    flows::archive(
        &mut conn,
        &operator.user.actor(),
        program_id,
        document_id,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await?;
    crate::api::flash::after_plain_post("Document withdrawn: partners no longer see it. Its versions stay here.").await
}
