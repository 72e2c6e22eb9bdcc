//! The content library: a program's documents, folders and downloads (console), and the
//! partner's library with search and folders (portal). Uploads are plain multipart forms
//! (`server::handlers::library`), so a file streams into the database with or without
//! JavaScript; a refused one leaves its errors in the session for the page to show once.

mod console;
mod portal;

pub use console::*;
pub use portal::*;

use crate::api::error::AppError;
use serde::{Deserialize, Serialize};

/// Where a refused "publish a document" form leaves its errors.
pub fn publish_refusal_key(program_id: i64) -> String {
    format!("library-refusal:{program_id}")
}

/// Where a refused "new version" form leaves its errors, with the document it was for.
pub fn version_refusal_key(program_id: i64) -> String {
    format!("library-version-refusal:{program_id}")
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionRefusal {
    pub document_id: i64,
    pub error: AppError,
}

/// "PDF · 1.2 MB"
pub fn file_label(content_type: &str, size_bytes: i64) -> String {
    let kind = crate::domain::library::DocumentType::from_content_type(content_type).map_or("File", |t| t.label());
    format!(
        "{kind} · {}",
        crate::domain::format::file_size(size_bytes.max(0) as u64)
    )
}
