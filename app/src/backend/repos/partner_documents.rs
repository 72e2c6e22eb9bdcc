//! Document requirements of programs, and the files partners upload for them. The file itself
//! (`sealed`) is read only where it is downloaded or re-sealed; every other query leaves it out.

use crate::backend::schema::{
    document_requirements as reqs, partner_documents as docs, partners, program_memberships as pm, programs,
};
use crate::domain::documents::{Approval, Latest, NeededBefore, Requirement, Status};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = reqs)]
pub struct RequirementRow {
    pub id: i64,
    pub program_id: i64,
    pub kind: String,
    pub name: String,
    pub help: String,
    pub needed_before: String,
}

impl RequirementRow {
    /// When it is needed (a value the database allows always parses).
    pub fn needed(&self) -> NeededBefore {
        NeededBefore::parse(&self.needed_before).unwrap_or(NeededBefore::Optional)
    }
}

/// A file's facts, without the file.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = docs)]
pub struct DocumentRow {
    pub id: i64,
    pub requirement_id: i64,
    pub partner_id: i64,
    pub uploaded_at: OffsetDateTime,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub status: String,
    pub decided_at: Option<OffsetDateTime>,
    pub reason: Option<String>,
    pub expires_on: Option<Date>,
}

impl DocumentRow {
    /// This file as the latest of its requirement, with the requirement's newest approval
    /// (from `last_approvals`).
    pub fn latest(&self, last_approvals: &HashMap<(i64, i64), Approval>) -> Latest {
        Latest {
            status: Status::parse(&self.status).unwrap_or(Status::Pending),
            expires_on: self.expires_on,
            reason: self.reason.clone(),
            last_approval: last_approvals.get(&(self.partner_id, self.requirement_id)).copied(),
        }
    }
}

/// The requirements programs `program_ids` have in force, by program and then in the order added.
pub async fn requirements(conn: &mut AsyncPgConnection, program_ids: &[i64]) -> QueryResult<Vec<RequirementRow>> {
    reqs::table
        .filter(reqs::program_id.eq_any(program_ids))
        .filter(reqs::retired_at.is_null())
        .order((reqs::program_id, reqs::id))
        .select(RequirementRow::as_select())
        .load(conn)
        .await
}

/// Call with the program locked, so the limit and the unique name hold against concurrent adds.
pub async fn insert_requirement(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    requirement: &Requirement,
    now: OffsetDateTime,
) -> QueryResult<RequirementRow> {
    diesel::insert_into(reqs::table)
        .values((
            reqs::program_id.eq(program_id),
            reqs::kind.eq(requirement.kind.as_str()),
            reqs::name.eq(&requirement.name),
            reqs::help.eq(&requirement.help),
            reqs::needed_before.eq(requirement.needed_before.as_str()),
            reqs::created_at.eq(now),
        ))
        .returning(RequirementRow::as_returning())
        .get_result(conn)
        .await
}

/// Retires a requirement; the files uploaded for it stay. None when there is no such
/// requirement in force.
pub async fn retire_requirement(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    id: i64,
    now: OffsetDateTime,
) -> QueryResult<Option<RequirementRow>> {
    diesel::update(reqs::table)
        .filter(reqs::id.eq(id))
        .filter(reqs::program_id.eq(program_id))
        .filter(reqs::retired_at.is_null())
        .set(reqs::retired_at.eq(now))
        .returning(RequirementRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// The programs a partner has applied to or belongs to: whose requirements it must meet.
pub async fn partner_programs(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<(i64, String)>> {
    pm::table
        .inner_join(programs::table)
        .filter(pm::partner_id.eq(partner_id))
        .filter(pm::status.eq_any(["applied", "active"]))
        .order(programs::id)
        .select((programs::id, programs::name))
        .load(conn)
        .await
}

/// A new upload, waiting for review.
pub struct NewDocument<'a> {
    pub requirement_id: i64,
    pub partner_id: i64,
    pub uploaded_by: i64,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i32,
    pub sha256: &'a [u8],
    pub sealed: &'a [u8],
    pub key_id: &'a str,
}

/// Stores an upload; a file of the same requirement still waiting for review is replaced by it.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    new: &NewDocument<'_>,
    now: OffsetDateTime,
) -> QueryResult<DocumentRow> {
    diesel::update(docs::table)
        .filter(docs::partner_id.eq(new.partner_id))
        .filter(docs::requirement_id.eq(new.requirement_id))
        .filter(docs::status.eq("pending"))
        .set(docs::status.eq("replaced"))
        .execute(conn)
        .await?;
    diesel::insert_into(docs::table)
        .values((
            docs::requirement_id.eq(new.requirement_id),
            docs::partner_id.eq(new.partner_id),
            docs::uploaded_by.eq(new.uploaded_by),
            docs::uploaded_at.eq(now),
            docs::filename.eq(new.filename),
            docs::content_type.eq(new.content_type),
            docs::size_bytes.eq(new.size_bytes),
            docs::sha256.eq(new.sha256),
            docs::sealed.eq(new.sealed),
            docs::key_id.eq(new.key_id),
        ))
        .returning(DocumentRow::as_returning())
        .get_result(conn)
        .await
}

/// A file waiting for review, with who and what it is for, as the console lists it.
#[derive(Clone, Debug, Queryable)]
pub struct WaitingRow {
    pub document: DocumentRow,
    pub requirement: String,
    pub needed_before: String,
    pub program_id: i64,
    pub program: String,
    pub partner: String,
}

/// Files waiting for review in programs `program_ids`, oldest first.
pub async fn waiting(conn: &mut AsyncPgConnection, program_ids: &[i64]) -> QueryResult<Vec<WaitingRow>> {
    docs::table
        .inner_join(reqs::table.inner_join(programs::table))
        .inner_join(partners::table)
        .filter(docs::status.eq("pending"))
        .filter(reqs::program_id.eq_any(program_ids))
        .order(docs::uploaded_at.asc())
        .select((
            DocumentRow::as_select(),
            reqs::name,
            reqs::needed_before,
            programs::id,
            programs::name,
            partners::name,
        ))
        .load(conn)
        .await
}

/// File `id` with its requirement, the file's row locked for a decision, if it is in programs
/// `program_ids`.
pub async fn lock_in(
    conn: &mut AsyncPgConnection,
    id: i64,
    program_ids: &[i64],
) -> QueryResult<Option<(DocumentRow, RequirementRow)>> {
    let requirement = docs::table
        .inner_join(reqs::table)
        .filter(docs::id.eq(id))
        .filter(reqs::program_id.eq_any(program_ids))
        .select(RequirementRow::as_select())
        .first(conn)
        .await
        .optional()?;
    let Some(requirement) = requirement else {
        return Ok(None);
    };
    let document = docs::table
        .find(id)
        .select(DocumentRow::as_select())
        .for_update()
        .first(conn)
        .await?;
    Ok(Some((document, requirement)))
}

pub async fn decide(
    conn: &mut AsyncPgConnection,
    id: i64,
    status: Status,
    (by, at): (i64, OffsetDateTime),
    reason: Option<&str>,
    expires_on: Option<Date>,
) -> QueryResult<DocumentRow> {
    let status = match status {
        Status::Approved => "approved",
        _ => "rejected",
    };
    diesel::update(docs::table.find(id))
        .set((
            docs::status.eq(status),
            docs::decided_by.eq(by),
            docs::decided_at.eq(at),
            docs::reason.eq(reason),
            docs::expires_on.eq(expires_on),
        ))
        .returning(DocumentRow::as_returning())
        .get_result(conn)
        .await
}

/// The sealed file and how to open it.
#[derive(Clone, Debug, Queryable)]
pub struct SealedFile {
    pub partner_id: i64,
    pub requirement_id: i64,
    pub filename: String,
    pub content_type: String,
    pub sealed: Vec<u8>,
}

/// File `id`, if it is the partner's own (`partner`) or in programs `program_ids`.
pub async fn sealed_file(
    conn: &mut AsyncPgConnection,
    id: i64,
    partner: Option<i64>,
    program_ids: &[i64],
) -> QueryResult<Option<SealedFile>> {
    let query = docs::table
        .inner_join(reqs::table)
        .filter(docs::id.eq(id))
        .select((
            docs::partner_id,
            docs::requirement_id,
            docs::filename,
            docs::content_type,
            docs::sealed,
        ))
        .into_boxed();
    let query = match partner {
        Some(partner_id) => query.filter(docs::partner_id.eq(partner_id)),
        None => query.filter(reqs::program_id.eq_any(program_ids.to_vec())),
    };
    query.first(conn).await.optional()
}

/// An approved document that expired and whose partner hasn't been told yet.
#[derive(Clone, Debug, Queryable)]
pub struct ExpiredRow {
    pub id: i64,
    pub partner_id: i64,
    pub program_id: i64,
    pub requirement: String,
    pub program: String,
    pub partner: String,
    pub partner_email: String,
    pub expires_on: Date,
}

/// Approved documents whose expiry day has come and nobody was told, locked (skipping rows
/// another run holds) so that each partner is told once.
pub async fn expired_untold(conn: &mut AsyncPgConnection, today: Date, limit: i64) -> QueryResult<Vec<ExpiredRow>> {
    let ids: Vec<i64> = docs::table
        .filter(docs::status.eq("approved"))
        .filter(docs::expires_on.le(today))
        .filter(docs::expiry_notified_at.is_null())
        .order(docs::id)
        .limit(limit)
        .select(docs::id)
        .for_update()
        .skip_locked()
        .load(conn)
        .await?;
    docs::table
        .inner_join(reqs::table.inner_join(programs::table))
        .inner_join(partners::table)
        .filter(docs::id.eq_any(&ids))
        .order(docs::id)
        .select((
            docs::id,
            docs::partner_id,
            programs::id,
            reqs::name,
            programs::name,
            partners::name,
            partners::email,
            docs::expires_on.assume_not_null(),
        ))
        .load(conn)
        .await
}

pub async fn mark_expiry_told(conn: &mut AsyncPgConnection, ids: &[i64], now: OffsetDateTime) -> QueryResult<usize> {
    diesel::update(docs::table.filter(docs::id.eq_any(ids)))
        .set(docs::expiry_notified_at.eq(now))
        .execute(conn)
        .await
}

/// The ids of the data keys files are sealed with.
pub async fn key_ids(conn: &mut AsyncPgConnection) -> QueryResult<Vec<String>> {
    docs::table.select(docs::key_id).distinct().load(conn).await
}

/// Every file's id, partner and requirement, locked, for re-sealing one at a time.
pub async fn all_ids(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(i64, i64, i64)>> {
    docs::table
        .select((docs::id, docs::partner_id, docs::requirement_id))
        .order(docs::id)
        .for_update()
        .load(conn)
        .await
}

pub async fn sealed_bytes(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Vec<u8>> {
    docs::table.find(id).select(docs::sealed).first(conn).await
}

pub async fn reseal(conn: &mut AsyncPgConnection, id: i64, sealed: &[u8], key_id: &str) -> QueryResult<()> {
    diesel::update(docs::table.find(id))
        .set((docs::sealed.eq(sealed), docs::key_id.eq(key_id)))
        .execute(conn)
        .await
        .map(|_| ())
}

/// The latest file (replaced ones aside) of each partner of `partner_ids` for each of
/// `requirement_ids`: one query for one partner's page or a whole payout run.
pub async fn latest(
    conn: &mut AsyncPgConnection,
    partner_ids: &[i64],
    requirement_ids: &[i64],
) -> QueryResult<Vec<DocumentRow>> {
    docs::table
        .filter(docs::partner_id.eq_any(partner_ids))
        .filter(docs::requirement_id.eq_any(requirement_ids))
        .filter(docs::status.ne("replaced"))
        .distinct_on((docs::partner_id, docs::requirement_id))
        .order((docs::partner_id, docs::requirement_id, docs::id.desc()))
        .select(DocumentRow::as_select())
        .load(conn)
        .await
}

/// The newest approved file of each partner of `partner_ids` for each of `requirement_ids`, by
/// (partner, requirement): what still counts while a newer file waits for review.
pub async fn last_approvals(
    conn: &mut AsyncPgConnection,
    partner_ids: &[i64],
    requirement_ids: &[i64],
) -> QueryResult<HashMap<(i64, i64), Approval>> {
    let rows: Vec<(i64, i64, Option<Date>)> = docs::table
        .filter(docs::partner_id.eq_any(partner_ids))
        .filter(docs::requirement_id.eq_any(requirement_ids))
        .filter(docs::status.eq("approved"))
        .distinct_on((docs::partner_id, docs::requirement_id))
        .order((docs::partner_id, docs::requirement_id, docs::id.desc()))
        .select((docs::partner_id, docs::requirement_id, docs::expires_on))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(partner, requirement, expires_on)| ((partner, requirement), Approval { expires_on }))
        .collect())
}

/// (partner, program, brand) of the active memberships of `partner_ids` in brands `brand_ids`.
pub async fn active_memberships(
    conn: &mut AsyncPgConnection,
    partner_ids: &[i64],
    brand_ids: &[i64],
) -> QueryResult<Vec<(i64, i64, i64)>> {
    pm::table
        .inner_join(programs::table)
        .filter(pm::partner_id.eq_any(partner_ids))
        .filter(pm::status.eq("active"))
        .filter(programs::brand_id.eq_any(brand_ids))
        .select((pm::partner_id, programs::id, programs::brand_id))
        .load(conn)
        .await
}
