//! Storing an uploaded file as it arrives: its first bytes decide its type (refused before
//! anything is written), then it goes into the database in chunks of at most a mebibyte, so
//! memory holds one chunk however large the file. The caller's transaction makes the version
//! all or nothing: a refused or broken upload leaves no row behind.

use crate::api::error::AppError;
use crate::backend::repos::library::{self, NewVersion};
use crate::domain::library::file_type::{self, DocumentType, HEAD_BYTES};
use diesel_async::AsyncPgConnection;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// The size of each stored chunk.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// A file as it arrives: the name the browser gave it and its bytes, in pieces.
pub struct Incoming<S> {
    pub file_name: String,
    pub bytes: S,
}

/// What a stored version is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub version_id: i64,
    pub document_type: DocumentType,
    pub size_bytes: i64,
    pub sha256: String,
}

/// The version's row and chunks, inside the caller's transaction. The file must be at most
/// `max_bytes`; past that the rest is read and dropped (so the browser gets the answer, not a
/// broken connection) and the upload is refused.
pub async fn store<S, B, E>(
    conn: &mut AsyncPgConnection,
    file: Incoming<S>,
    version: (i64, i32, &str),
    uploaded_by: i64,
    max_bytes: usize,
    now: OffsetDateTime,
) -> Result<Stored, AppError>
where
    S: Stream<Item = Result<B, E>> + Send,
    B: AsRef<[u8]> + Send,
    E: std::fmt::Display + Send,
{
    let (document_id, number, note) = version;
    if file.file_name.trim().is_empty() {
        return Err(AppError::field("file", "Choose the file to upload."));
    }
    let file_name = crate::domain::mdf::upload::safe_filename(&file.file_name);
    let too_large = || {
        AppError::field(
            "file",
            format!(
                "{file_name} is too large: the library takes files up to {}.",
                crate::domain::format::file_size(max_bytes as u64)
            ),
        )
    };
    let mut pieces = std::pin::pin!(file.bytes);
    let mut buffer: Vec<u8> = Vec::with_capacity(CHUNK_BYTES);
    let mut stored: Option<(i64, DocumentType)> = None;
    let (mut seq, mut total, mut over) = (0i32, 0usize, false);
    let mut digest = Sha256::new();
    loop {
        let piece = match pieces.next().await {
            Some(Ok(piece)) => Some(piece),
            // A body cut off, or past the route's own limit (which sits above ours).
            Some(Err(e)) => {
                tracing::info!(error = %e, "library upload broke off");
                return Err(if over {
                    too_large()
                } else {
                    AppError::field(
                        "file",
                        format!("{file_name} didn't arrive whole. Try the upload again."),
                    )
                });
            }
            None => None,
        };
        if let Some(piece) = &piece {
            let piece = piece.as_ref();
            total += piece.len();
            if total > max_bytes {
                over = true;
            }
            if over {
                continue;
            }
            digest.update(piece);
            buffer.extend_from_slice(piece);
        }
        let ended = piece.is_none();
        if ended && over {
            return Err(too_large());
        }
        if stored.is_none() && (buffer.len() >= HEAD_BYTES || ended) {
            let document_type = file_type::identify(&file_name, &buffer).map_err(|m| AppError::field("file", m))?;
            let version_id = library::insert_version(
                conn,
                &NewVersion {
                    document_id,
                    version: number,
                    file_name: &file_name,
                    content_type: document_type.content_type(),
                    size_bytes: 0,
                    sha256: "",
                    note,
                    uploaded_by,
                    created_at: now,
                },
            )
            .await?;
            stored = Some((version_id, document_type));
        }
        if let Some((version_id, _)) = stored {
            while buffer.len() >= CHUNK_BYTES || (ended && !buffer.is_empty()) {
                let rest = buffer.split_off(buffer.len().min(CHUNK_BYTES));
                library::insert_chunk(conn, version_id, seq, &buffer).await?;
                seq += 1;
                buffer = rest;
            }
        }
        if ended {
            break;
        }
    }
    // Identified above before the end at the latest (or refused).
    let Some((version_id, document_type)) = stored else {
        return Err(AppError::field("file", format!("{file_name} is empty.")));
    };
    let sha256 = hex::encode(digest.finalize());
    let size_bytes = total as i64;
    library::finish_version(conn, version_id, size_bytes, &sha256).await?;
    Ok(Stored {
        version_id,
        document_type,
        size_bytes,
        sha256,
    })
}
