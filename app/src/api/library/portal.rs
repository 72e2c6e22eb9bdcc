//! The partner's library: the documents it may read, by folder or found by words.

use crate::api::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LibraryDocumentDto {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub folder: String,
    pub program: String,
    /// "PDF · 1.2 MB"
    pub file: String,
    pub version: i32,
    pub updated: String,
    pub download_path: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LibraryFolderDto {
    pub id: i64,
    /// "Sales decks · Acme Partners" when the partner is in several programs.
    pub name: String,
    pub documents: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyLibraryDto {
    pub folders: Vec<LibraryFolderDto>,
    pub documents: Vec<LibraryDocumentDto>,
    /// How many documents the partner may read in all (before the search or folder).
    pub total: usize,
}

/// The library, optionally searched (`q`: words, as in a search engine) or opened at a folder.
#[server(input = GetUrl)]
pub async fn my_library(q: Option<String>, folder: Option<i64>) -> Result<MyLibraryDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::library;
    let me = ctx::require_partner().await?;
    let mut conn = ctx::db().await?;
    let everything = library::visible_to_partner(&mut conn, me.partner_id, None, None).await?;
    let words = q.as_deref().map(str::trim).filter(|w| !w.is_empty());
    if words.is_some_and(|w| w.chars().count() > 200) {
        return Err(AppError::field("q", "Search for at most 200 characters."));
    }
    let found = match words {
        Some(words) => library::visible_to_partner(&mut conn, me.partner_id, Some(words), folder).await?,
        None => everything
            .iter()
            .filter(|d| folder.is_none_or(|f| d.document.folder_id == f))
            .cloned()
            .collect(),
    };
    let several_programs = everything
        .iter()
        .any(|d| d.document.program_id != everything[0].document.program_id);
    let mut folders: Vec<LibraryFolderDto> = Vec::new();
    for d in &everything {
        match folders.iter_mut().find(|f| f.id == d.document.folder_id) {
            Some(folder) => folder.documents += 1,
            None => folders.push(LibraryFolderDto {
                id: d.document.folder_id,
                name: if several_programs {
                    format!("{} · {}", d.folder_name, d.program_name)
                } else {
                    d.folder_name.clone()
                },
                documents: 1,
            }),
        }
    }
    folders.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(MyLibraryDto {
        total: everything.len(),
        folders,
        documents: found.into_iter().map(build::document).collect(),
    })
}

#[cfg(feature = "ssr")]
mod build {
    use super::LibraryDocumentDto;
    use crate::backend::repos::library::PartnerDocument;

    pub fn document(d: PartnerDocument) -> LibraryDocumentDto {
        LibraryDocumentDto {
            id: d.document.id,
            file: super::super::file_label(&d.latest.content_type, d.latest.size_bytes),
            version: d.latest.version,
            updated: crate::domain::format::date(d.latest.created_at),
            download_path: format!("/portal/library/{}/download", d.document.id),
            title: d.document.title,
            description: d.document.description,
            tags: d.document.tags,
            folder: d.folder_name,
            program: d.program_name,
        }
    }
}
