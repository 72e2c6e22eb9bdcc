//! Proof-of-performance files, stored in PostgreSQL. Listing never loads the bytes; a download
//! is scoped to the owning partner, or to the programs of the operator who asks.

use crate::backend::schema::{mdf_claims as claims, mdf_files as files, mdf_funds as funds, mdf_requests as requests};
use crate::backend::scope::Whose;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = files)]
pub struct NewFile {
    pub claim_id: i64,
    pub partner_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub sha256: Vec<u8>,
    pub data: Vec<u8>,
    pub uploaded_at: OffsetDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = files)]
pub struct FileInfo {
    pub id: i64,
    pub claim_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub sha256: Vec<u8>,
    pub uploaded_at: OffsetDateTime,
}

pub struct Download {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

pub async fn insert(conn: &mut AsyncPgConnection, file: &NewFile) -> QueryResult<i64> {
    diesel::insert_into(files::table)
        .values(file)
        .returning(files::id)
        .get_result(conn)
        .await
}

/// The files of some claims, without their bytes, oldest first.
pub async fn of_claims(conn: &mut AsyncPgConnection, claim_ids: &[i64]) -> QueryResult<Vec<FileInfo>> {
    files::table
        .filter(files::claim_id.eq_any(claim_ids))
        .order(files::id.asc())
        .select(FileInfo::as_select())
        .load(conn)
        .await
}

/// A file to download if it is `whose`: the partner's own, or of a claim in the operator's
/// programs; `None` otherwise, as when there is no such file.
pub async fn download(conn: &mut AsyncPgConnection, id: i64, whose: Whose<'_>) -> QueryResult<Option<Download>> {
    let mut query = files::table.find(id).into_boxed();
    if let Some(partner_id) = whose.partner() {
        query = query.filter(files::partner_id.eq(partner_id));
    }
    if let Some(programs) = whose.programs() {
        let funds_in_scope = funds::table
            .filter(funds::program_id.eq_any(programs))
            .select(funds::id);
        let requests_in_scope = requests::table
            .filter(requests::fund_id.eq_any(funds_in_scope))
            .select(requests::id);
        let claims_in_scope = claims::table
            .filter(claims::request_id.eq_any(requests_in_scope))
            .select(claims::id);
        query = query.filter(files::claim_id.eq_any(claims_in_scope));
    }
    query
        .select((files::filename, files::content_type, files::data))
        .first::<(String, String, Vec<u8>)>(conn)
        .await
        .optional()
        .map(|row| {
            row.map(|(filename, content_type, data)| Download {
                filename,
                content_type,
                data,
            })
        })
}
