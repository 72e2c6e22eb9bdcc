//! Creatives and their image files. A partner's reads are scoped to the programs it is an active
//! partner in by the query itself; who within a program sees a creative is the domain's
//! visibility rule, applied to the rows these return.

use crate::backend::schema::{
    creative_files as files, creatives, partners, program_memberships as memberships, programs,
};
use crate::domain::creatives::{Audience, Visibility};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = creatives)]
pub struct CreativeRow {
    pub id: i64,
    pub program_id: i64,
    pub kind: String,
    pub name: String,
    pub landing_url: String,
    pub body: String,
    pub alt_text: String,
    pub tags: Vec<String>,
    pub image_sha256: Option<String>,
    pub image_type: Option<String>,
    pub thumb_sha256: Option<String>,
    pub file_name: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub active_from: Option<OffsetDateTime>,
    pub active_until: Option<OffsetDateTime>,
    pub visibility: String,
    pub visible_kinds: Vec<String>,
    pub visible_tiers: Vec<String>,
    pub visible_partners: Vec<i64>,
    pub archived_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

impl CreativeRow {
    pub fn visibility(&self) -> Visibility {
        Visibility::from_columns(
            &self.visibility,
            &self.visible_kinds,
            &self.visible_tiers,
            &self.visible_partners,
        )
    }
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = creatives)]
pub struct NewCreative {
    pub program_id: i64,
    pub kind: String,
    pub name: String,
    pub landing_url: String,
    pub body: String,
    pub alt_text: String,
    pub tags: Vec<String>,
    pub image_sha256: Option<String>,
    pub image_type: Option<String>,
    pub thumb_sha256: Option<String>,
    pub file_name: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub active_from: Option<OffsetDateTime>,
    pub active_until: Option<OffsetDateTime>,
    pub visibility: String,
    pub visible_kinds: Vec<String>,
    pub visible_tiers: Vec<String>,
    pub visible_partners: Vec<i64>,
    pub created_by: i64,
    pub created_at: OffsetDateTime,
}

/// A creative as a partner sees it, with what the gallery shows beside it.
#[derive(Clone, Debug)]
pub struct PartnerCreative {
    pub creative: CreativeRow,
    pub program_name: String,
}

/// Stores a file under its hash once; the same bytes uploaded again are the same row.
pub async fn insert_file(
    conn: &mut AsyncPgConnection,
    sha256: &str,
    content_type: &str,
    data: &[u8],
) -> QueryResult<()> {
    diesel::insert_into(files::table)
        .values((
            files::sha256.eq(sha256),
            files::content_type.eq(content_type),
            files::size_bytes.eq(i32::try_from(data.len()).unwrap_or(i32::MAX)),
            files::data.eq(data),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .map(drop)
}

/// (content type, bytes) of a stored file.
pub async fn file(conn: &mut AsyncPgConnection, sha256: &str) -> QueryResult<Option<(String, Vec<u8>)>> {
    files::table
        .filter(files::sha256.eq(sha256))
        .select((files::content_type, files::data))
        .first(conn)
        .await
        .optional()
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewCreative) -> QueryResult<i64> {
    diesel::insert_into(creatives::table)
        .values(new)
        .returning(creatives::id)
        .get_result(conn)
        .await
}

/// A program's creatives, newest first, archived ones included.
pub async fn of_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<CreativeRow>> {
    creatives::table
        .filter(creatives::program_id.eq(program_id))
        .order(creatives::id.desc())
        .select(CreativeRow::as_select())
        .load(conn)
        .await
}

/// Archives a live creative; false when it was not one of the program's, or already archived.
pub async fn archive(conn: &mut AsyncPgConnection, program_id: i64, id: i64, now: OffsetDateTime) -> QueryResult<bool> {
    diesel::update(
        creatives::table.filter(
            creatives::program_id
                .eq(program_id)
                .and(creatives::id.eq(id))
                .and(creatives::archived_at.is_null()),
        ),
    )
    .set(creatives::archived_at.eq(now))
    .execute(conn)
    .await
    .map(|n| n == 1)
}

/// The live creatives this partner may see, in the programs it is an active partner in, newest
/// first.
pub async fn visible_to_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    now: OffsetDateTime,
) -> QueryResult<Vec<PartnerCreative>> {
    let rows: Vec<(CreativeRow, String, String, Option<String>)> = creatives::table
        .inner_join(programs::table)
        .inner_join(
            memberships::table.on(memberships::program_id
                .eq(creatives::program_id)
                .and(memberships::partner_id.eq(partner_id))
                .and(memberships::status.eq("active"))),
        )
        .inner_join(partners::table.on(partners::id.eq(memberships::partner_id)))
        .filter(creatives::archived_at.is_null())
        .filter(creatives::active_from.is_null().or(creatives::active_from.le(now)))
        .filter(creatives::active_until.is_null().or(creatives::active_until.gt(now)))
        .order(creatives::id.desc())
        .select((
            CreativeRow::as_select(),
            programs::name,
            partners::kind,
            memberships::tier,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|(creative, _, kind, tier)| {
            creative.visibility().admits(&Audience {
                partner_id,
                kind,
                tier: tier.as_deref(),
            })
        })
        .map(|(creative, program_name, ..)| PartnerCreative { creative, program_name })
        .collect())
}

/// One creative, if this partner may see it now; `None` as for one that doesn't exist.
pub async fn find_for_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    id: i64,
    now: OffsetDateTime,
) -> QueryResult<Option<PartnerCreative>> {
    // The partner's live creatives are few (hundreds); reading them keeps one visibility rule.
    Ok(visible_to_partner(conn, partner_id, now)
        .await?
        .into_iter()
        .find(|c| c.creative.id == id))
}

/// What the redirect needs to send a click through a creative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreativeTarget {
    pub program_id: i64,
    pub landing_url: String,
    pub active_from: Option<OffsetDateTime>,
    pub active_until: Option<OffsetDateTime>,
    pub visibility: Visibility,
    /// The program's allowed landing domains when this was read (a settings change clears the
    /// cached creatives).
    pub allowed_domains: Vec<String>,
}

impl CreativeTarget {
    /// Whether a click by this partner may go through the creative now: inside its window,
    /// admitted by its visibility, and still landing on an allowed domain.
    pub fn serves(&self, who: &Audience, now: OffsetDateTime) -> bool {
        crate::domain::creatives::is_live(self.active_from, self.active_until, now)
            && self.visibility.admits(who)
            && crate::domain::destination::still_allowed(&self.landing_url, &self.allowed_domains)
    }
}

/// The redirect's view of a creative that isn't archived.
pub async fn redirect_target(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<CreativeTarget>> {
    let found: Option<(CreativeRow, Vec<String>)> = creatives::table
        .inner_join(programs::table)
        .filter(creatives::id.eq(id).and(creatives::archived_at.is_null()))
        .select((CreativeRow::as_select(), programs::allowed_domains))
        .first(conn)
        .await
        .optional()?;
    Ok(found.map(|(c, allowed_domains)| CreativeTarget {
        program_id: c.program_id,
        visibility: c.visibility(),
        landing_url: c.landing_url,
        active_from: c.active_from,
        active_until: c.active_until,
        allowed_domains,
    }))
}
