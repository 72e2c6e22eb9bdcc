//! The content library: folders, documents, their versions and the chunks of each version's
//! file, and download counts. A partner's reads are scoped to live documents of programs it is an
//! active partner in, by the query itself; who within a program sees a document is the domain's
//! visibility rule, applied to the rows these return.

use crate::backend::schema::{
    certifications, document_chunks as chunks, document_downloads as downloads, document_versions as versions,
    documents, lesson_attachments as attachments, library_folders as folders, partner_certified_people as certified,
    partners, program_memberships as memberships, programs,
};
use crate::domain::creatives::Audience;
use crate::domain::library::visibility::Reader;
use crate::domain::library::DocumentVisibility;
use diesel::dsl::{sql, sum};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = folders)]
pub struct FolderRow {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = documents)]
pub struct DocumentRow {
    pub id: i64,
    pub program_id: i64,
    pub folder_id: i64,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub visibility: String,
    pub visible_kinds: Vec<String>,
    pub visible_tiers: Vec<String>,
    pub certification_id: Option<i64>,
    pub latest_version: i32,
    pub archived_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

impl DocumentRow {
    pub fn visibility(&self) -> DocumentVisibility {
        DocumentVisibility::from_columns(
            &self.visibility,
            &self.visible_kinds,
            &self.visible_tiers,
            self.certification_id,
        )
    }
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = versions)]
pub struct VersionRow {
    pub id: i64,
    pub document_id: i64,
    pub version: i32,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub note: String,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = documents)]
pub struct NewDocument {
    pub program_id: i64,
    pub folder_id: i64,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub visibility: String,
    pub visible_kinds: Vec<String>,
    pub visible_tiers: Vec<String>,
    pub certification_id: Option<i64>,
    pub search_text: String,
    pub latest_version: i32,
    pub created_by: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = versions)]
pub struct NewVersion<'a> {
    pub document_id: i64,
    pub version: i32,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub note: &'a str,
    pub uploaded_by: i64,
    pub created_at: OffsetDateTime,
}

/// A document as the console lists it: its folder, its latest file and its downloads.
#[derive(Clone, Debug)]
pub struct ConsoleDocument {
    pub document: DocumentRow,
    pub folder_name: String,
    pub certification_name: Option<String>,
    pub latest: VersionRow,
    pub downloads: i64,
}

/// A document a partner may see, with its program, folder and latest file.
#[derive(Clone, Debug)]
pub struct PartnerDocument {
    pub document: DocumentRow,
    pub program_name: String,
    pub folder_name: String,
    pub latest: VersionRow,
}

pub async fn folders_of(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<FolderRow>> {
    folders::table
        .filter(folders::program_id.eq(program_id))
        .order(folders::name)
        .select(FolderRow::as_select())
        .load(conn)
        .await
}

pub async fn folder_in_program(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    id: i64,
) -> QueryResult<Option<FolderRow>> {
    folders::table
        .filter(folders::program_id.eq(program_id))
        .filter(folders::id.eq(id))
        .select(FolderRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The folder of this name (any case), made if there is none yet. Made first and read after, so
/// a publish making the same folder at this moment gets that one (the name's unique index
/// decides).
pub async fn folder_named(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    name: &str,
    now: OffsetDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(folders::table)
        .values((
            folders::program_id.eq(program_id),
            folders::name.eq(name),
            folders::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    folders::table
        .filter(folders::program_id.eq(program_id))
        .filter(
            sql::<Bool>("lower(library_folders.name) = lower(")
                .bind::<Text, _>(name)
                .sql(")"),
        )
        .select(folders::id)
        .first(conn)
        .await
}

pub async fn insert_document(conn: &mut AsyncPgConnection, new: &NewDocument) -> QueryResult<i64> {
    diesel::insert_into(documents::table)
        .values(new)
        .returning(documents::id)
        .get_result(conn)
        .await
}

/// A version row whose size and digest `finish_version` writes once its chunks are in.
pub async fn insert_version(conn: &mut AsyncPgConnection, new: &NewVersion<'_>) -> QueryResult<i64> {
    diesel::insert_into(versions::table)
        .values(new)
        .returning(versions::id)
        .get_result(conn)
        .await
}

pub async fn insert_chunk(conn: &mut AsyncPgConnection, version_id: i64, seq: i32, data: &[u8]) -> QueryResult<()> {
    diesel::insert_into(chunks::table)
        .values((
            chunks::version_id.eq(version_id),
            chunks::seq.eq(seq),
            chunks::data.eq(data),
        ))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn finish_version(conn: &mut AsyncPgConnection, version_id: i64, size: i64, sha256: &str) -> QueryResult<()> {
    diesel::update(versions::table.find(version_id))
        .set((versions::size_bytes.eq(size), versions::sha256.eq(sha256)))
        .execute(conn)
        .await
        .map(drop)
}

/// The live (not withdrawn) document, locked for a new version (so two uploads at once number
/// theirs in turn).
pub async fn lock_in_program(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    id: i64,
) -> QueryResult<Option<DocumentRow>> {
    documents::table
        .filter(documents::program_id.eq(program_id))
        .filter(documents::id.eq(id))
        .filter(documents::archived_at.is_null())
        .select(DocumentRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

pub async fn find_in_program(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    id: i64,
) -> QueryResult<Option<DocumentRow>> {
    documents::table
        .filter(documents::program_id.eq(program_id))
        .filter(documents::id.eq(id))
        .select(DocumentRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn set_latest(conn: &mut AsyncPgConnection, id: i64, version: i32, now: OffsetDateTime) -> QueryResult<()> {
    diesel::update(documents::table.find(id))
        .set((documents::latest_version.eq(version), documents::updated_at.eq(now)))
        .execute(conn)
        .await
        .map(drop)
}

/// Withdraws a live document from partners; false when there is none to withdraw.
pub async fn archive(conn: &mut AsyncPgConnection, program_id: i64, id: i64, now: OffsetDateTime) -> QueryResult<bool> {
    diesel::update(
        documents::table
            .filter(documents::program_id.eq(program_id))
            .filter(documents::id.eq(id))
            .filter(documents::archived_at.is_null()),
    )
    .set((documents::archived_at.eq(now), documents::updated_at.eq(now)))
    .execute(conn)
    .await
    .map(|n| n == 1)
}

pub async fn versions_of(conn: &mut AsyncPgConnection, document_id: i64) -> QueryResult<Vec<VersionRow>> {
    versions::table
        .filter(versions::document_id.eq(document_id))
        .order(versions::version.desc())
        .select(VersionRow::as_select())
        .load(conn)
        .await
}

pub async fn version(conn: &mut AsyncPgConnection, document_id: i64, number: i32) -> QueryResult<Option<VersionRow>> {
    versions::table
        .filter(versions::document_id.eq(document_id))
        .filter(versions::version.eq(number))
        .select(VersionRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// One chunk of a version's file (`None` past the last).
pub async fn chunk(conn: &mut AsyncPgConnection, version_id: i64, seq: i32) -> QueryResult<Option<Vec<u8>>> {
    chunks::table
        .filter(chunks::version_id.eq(version_id))
        .filter(chunks::seq.eq(seq))
        .select(chunks::data)
        .first(conn)
        .await
        .optional()
}

/// A program's documents, live and archived, each with its latest version and downloads.
pub async fn of_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<ConsoleDocument>> {
    let rows: Vec<(DocumentRow, String, Option<String>, VersionRow)> = documents::table
        .inner_join(folders::table)
        .left_join(certifications::table.on(certifications::id.nullable().eq(documents::certification_id)))
        .inner_join(
            versions::table.on(versions::document_id
                .eq(documents::id)
                .and(versions::version.eq(documents::latest_version))),
        )
        .filter(documents::program_id.eq(program_id))
        .order((folders::name, documents::title, documents::id))
        .select((
            DocumentRow::as_select(),
            folders::name,
            certifications::name.nullable(),
            VersionRow::as_select(),
        ))
        .load(conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|(d, ..)| d.id).collect();
    let totals: Vec<(i64, Option<rust_decimal::Decimal>)> = downloads::table
        .filter(downloads::document_id.eq_any(&ids))
        .group_by(downloads::document_id)
        .select((downloads::document_id, sum(downloads::downloads)))
        .load(conn)
        .await?;
    let total = |id: i64| {
        totals
            .iter()
            .find(|(d, _)| *d == id)
            .and_then(|(_, n)| n.and_then(|n| i64::try_from(n).ok()))
            .unwrap_or(0)
    };
    Ok(rows
        .into_iter()
        .map(|(document, folder_name, certification_name, latest)| ConsoleDocument {
            downloads: total(document.id),
            document,
            folder_name,
            certification_name,
            latest,
        })
        .collect())
}

/// Downloads per document and partner in a program, most first: (document id, document
/// title, partner name, downloads, last download).
pub async fn downloads_by_partner(
    conn: &mut AsyncPgConnection,
    program_id: i64,
) -> QueryResult<Vec<(i64, String, String, i64, OffsetDateTime)>> {
    downloads::table
        .inner_join(documents::table)
        .inner_join(partners::table)
        .filter(documents::program_id.eq(program_id))
        .order((downloads::downloads.desc(), partners::name, documents::title))
        .select((
            documents::id,
            documents::title,
            partners::name,
            downloads::downloads,
            downloads::last_at,
        ))
        .load(conn)
        .await
}

/// Counts one download by this partner, in one statement, so downloads at the same moment all
/// count.
pub async fn count_download(
    conn: &mut AsyncPgConnection,
    document_id: i64,
    partner_id: i64,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::insert_into(downloads::table)
        .values((
            downloads::document_id.eq(document_id),
            downloads::partner_id.eq(partner_id),
            downloads::downloads.eq(1),
            downloads::last_at.eq(now),
        ))
        .on_conflict((downloads::document_id, downloads::partner_id))
        .do_update()
        .set((
            downloads::downloads.eq(downloads::downloads + 1),
            downloads::last_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// What a partner may read in the library: live documents of its active programs that its
/// kind, tier or certifications admit, optionally only those matching `search` (full-text, over
/// title, description and tags; best match first) or in one folder.
pub async fn visible_to_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    search: Option<&str>,
    folder_id: Option<i64>,
) -> QueryResult<Vec<PartnerDocument>> {
    let mut query = documents::table
        .inner_join(programs::table)
        .inner_join(folders::table)
        .inner_join(
            versions::table.on(versions::document_id
                .eq(documents::id)
                .and(versions::version.eq(documents::latest_version))),
        )
        .inner_join(
            memberships::table.on(memberships::program_id
                .eq(documents::program_id)
                .and(memberships::partner_id.eq(partner_id))
                .and(memberships::status.eq("active"))),
        )
        .inner_join(partners::table.on(partners::id.eq(memberships::partner_id)))
        .filter(documents::archived_at.is_null())
        .select((
            DocumentRow::as_select(),
            programs::name,
            folders::name,
            VersionRow::as_select(),
            partners::kind,
            memberships::tier,
        ))
        .into_boxed();
    if let Some(folder_id) = folder_id {
        query = query.filter(documents::folder_id.eq(folder_id));
    }
    query = match search {
        Some(words) => query
            .filter(
                sql::<Bool>("documents.search @@ websearch_to_tsquery('english', ")
                    .bind::<Text, _>(words.to_owned())
                    .sql(")"),
            )
            .order(
                sql::<diesel::sql_types::Float>("ts_rank(documents.search, websearch_to_tsquery('english', ")
                    .bind::<Text, _>(words.to_owned())
                    .sql("))")
                    .desc(),
            )
            .then_order_by(documents::id),
        None => query.order((programs::name, folders::name, documents::title, documents::id)),
    };
    let rows: Vec<(DocumentRow, String, String, VersionRow, String, Option<String>)> = query.load(conn).await?;
    let certified_in = certified_in(conn, partner_id).await?;
    Ok(rows
        .into_iter()
        .filter(|(document, .., kind, tier)| {
            document.visibility().admits(&Reader {
                audience: Audience {
                    partner_id,
                    kind,
                    tier: tier.as_deref(),
                },
                certified_in: &certified_in,
            })
        })
        .map(|(document, program_name, folder_name, latest, ..)| PartnerDocument {
            document,
            program_name,
            folder_name,
            latest,
        })
        .collect())
}

/// One document, if this partner may read it; `None` as for one that doesn't exist.
pub async fn find_for_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    id: i64,
) -> QueryResult<Option<PartnerDocument>> {
    // One rule decides what a partner sees: the list's, asked for this document's folder.
    let Some(folder_id) = documents::table
        .filter(documents::id.eq(id))
        .select(documents::folder_id)
        .first::<i64>(conn)
        .await
        .optional()?
    else {
        return Ok(None);
    };
    Ok(visible_to_partner(conn, partner_id, None, Some(folder_id))
        .await?
        .into_iter()
        .find(|d| d.document.id == id))
}

/// The certifications this partner has at least one person holding a live certificate of.
pub async fn certified_in(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<i64>> {
    certified::table
        .filter(certified::partner_id.eq(partner_id))
        .filter(certified::people.gt(0))
        .select(certified::certification_id)
        .load(conn)
        .await
}

/// Attaches a document to a lesson; false when it already was.
pub async fn attach(conn: &mut AsyncPgConnection, lesson_id: i64, document_id: i64) -> QueryResult<bool> {
    diesel::insert_into(attachments::table)
        .values((
            attachments::lesson_id.eq(lesson_id),
            attachments::document_id.eq(document_id),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .map(|n| n == 1)
}

/// The live documents attached to these lessons, with each one's latest version: (lesson id,
/// document, latest version).
pub async fn attachments_of(
    conn: &mut AsyncPgConnection,
    lesson_ids: &[i64],
) -> QueryResult<Vec<(i64, DocumentRow, VersionRow)>> {
    attachments::table
        .inner_join(documents::table)
        .inner_join(
            versions::table.on(versions::document_id
                .eq(documents::id)
                .and(versions::version.eq(documents::latest_version))),
        )
        .filter(attachments::lesson_id.eq_any(lesson_ids))
        .filter(documents::archived_at.is_null())
        .order((attachments::lesson_id, documents::title))
        .select((
            attachments::lesson_id,
            DocumentRow::as_select(),
            VersionRow::as_select(),
        ))
        .load(conn)
        .await
}
