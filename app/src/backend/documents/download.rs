//! Opening a stored file for download: the partner's owner may open its own; an admin or
//! finance operator those of the programs in their brands, and each such opening is audited
//! (the files are identity papers). Anything else is "not found".

use super::{seal_context, NO_SUCH_DOCUMENT};
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::data_key::DataKey;
use crate::backend::flows::{audited, RequestMeta};
use crate::backend::repos::partner_documents as repo;
use diesel_async::AsyncPgConnection;

/// Who is asking: the partner (by its id from the session) or an operator's programs.
pub enum Reader<'a> {
    Partner(i64),
    Operator { user: &'a AuthUser, programs: &'a [i64] },
}

pub struct Opened {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub async fn open(
    conn: &mut AsyncPgConnection,
    key: Option<&DataKey>,
    reader: Reader<'_>,
    id: i64,
    meta: &RequestMeta,
) -> Result<Opened, AppError> {
    let (partner, programs) = match &reader {
        Reader::Partner(partner_id) => (Some(*partner_id), &[][..]),
        Reader::Operator { programs, .. } => (None, *programs),
    };
    let file = repo::sealed_file(conn, id, partner, programs)
        .await?
        .ok_or_else(|| AppError::NotFound(NO_SUCH_DOCUMENT.into()))?;
    let key = key.ok_or(AppError::Unavailable)?;
    let bytes = key
        .open_bytes(&file.sealed, &seal_context(file.partner_id, file.requirement_id))
        .map_err(crate::backend::errors::internal)?;
    if let Reader::Operator { user, .. } = reader {
        let after = serde_json::json!({ "partner_id": file.partner_id, "filename": file.filename });
        audited(
            conn,
            &user.actor(),
            "document.download",
            ("partner_document", id.to_string()),
            after,
            meta,
        )
        .await?;
    }
    Ok(Opened {
        filename: file.filename,
        content_type: file.content_type,
        bytes,
    })
}
