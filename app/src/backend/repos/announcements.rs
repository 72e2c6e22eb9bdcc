//! Announcements and who has read them. A partner person's reads are scoped to the programs its
//! partner is active in by the query itself; the announcement's audience (kinds, tiers) is the
//! domain's visibility rule, applied to the rows these return.

use crate::backend::schema::{
    announcement_reads as reads, announcements, partners, program_memberships as memberships, programs, users,
};
use crate::domain::creatives::{Audience, Visibility};
use diesel::prelude::*;
use diesel::PgArrayExpressionMethods;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = announcements)]
pub struct AnnouncementRow {
    pub id: i64,
    pub program_id: i64,
    pub title: String,
    pub body_markdown: String,
    pub visibility: String,
    pub visible_kinds: Vec<String>,
    pub visible_tiers: Vec<String>,
    pub emailed: bool,
    pub created_at: OffsetDateTime,
    /// For a segment's announcement: its members when it was posted, and the segment's name.
    pub visible_partners: Vec<i64>,
    pub segment_name: Option<String>,
}

impl AnnouncementRow {
    pub fn visibility(&self) -> Visibility {
        Visibility::from_columns(
            &self.visibility,
            &self.visible_kinds,
            &self.visible_tiers,
            &self.visible_partners,
        )
    }

    /// "All partners", "Tier Gold", "Segment Top EU (3 partners)".
    pub fn audience(&self) -> String {
        match &self.segment_name {
            Some(name) => {
                let n = self.visible_partners.len();
                format!("Segment {name} ({n} partner{})", if n == 1 { "" } else { "s" })
            }
            None => self.visibility().describe(),
        }
    }
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = announcements)]
pub struct NewAnnouncement {
    pub program_id: i64,
    pub title: String,
    pub body_markdown: String,
    pub visibility: String,
    pub visible_kinds: Vec<String>,
    pub visible_tiers: Vec<String>,
    pub emailed: bool,
    pub created_by: i64,
    pub created_at: OffsetDateTime,
    pub visible_partners: Vec<i64>,
    pub segment_name: Option<String>,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewAnnouncement) -> QueryResult<i64> {
    diesel::insert_into(announcements::table)
        .values(new)
        .returning(announcements::id)
        .get_result(conn)
        .await
}

/// A program's announcements, newest first, each with how many people have read it.
pub async fn of_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<(AnnouncementRow, i64)>> {
    let rows: Vec<AnnouncementRow> = announcements::table
        .filter(announcements::program_id.eq(program_id))
        .order(announcements::created_at.desc())
        .select(AnnouncementRow::as_select())
        .load(conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts: Vec<(i64, i64)> = reads::table
        .filter(reads::announcement_id.eq_any(&ids))
        .group_by(reads::announcement_id)
        .select((reads::announcement_id, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let read = counts.iter().find(|(id, _)| *id == row.id).map_or(0, |(_, n)| *n);
            (row, read)
        })
        .collect())
}

/// An announcement as a partner person sees it.
#[derive(Clone, Debug)]
pub struct PersonAnnouncement {
    pub announcement: AnnouncementRow,
    pub program_name: String,
    pub read_at: Option<OffsetDateTime>,
}

/// (announcement, program name, partner kind, membership tier, this person's read)
type PersonRow = (AnnouncementRow, String, String, Option<String>, Option<OffsetDateTime>);

/// Any audience but a segment's, or a segment's that the partner was a member of. Decided in SQL,
/// so that no page load reads other partners' member lists; kinds and tiers are checked after.
#[diesel::dsl::auto_type]
fn segment_admits(partner_id: i64) -> _ {
    let segment: &'static str = "partners";
    let member: Vec<i64> = vec![partner_id];
    announcements::visibility
        .ne(segment)
        .or(announcements::visible_partners.contains(member))
}

/// Every announcement this person's partner is in the audience of, newest first, with this
/// person's read.
pub async fn for_person(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    user_id: i64,
) -> QueryResult<Vec<PersonAnnouncement>> {
    let rows: Vec<PersonRow> = announcements::table
        .inner_join(programs::table)
        .inner_join(
            memberships::table.on(memberships::program_id
                .eq(announcements::program_id)
                .and(memberships::partner_id.eq(partner_id))
                .and(memberships::status.eq("active"))),
        )
        .inner_join(partners::table.on(partners::id.eq(memberships::partner_id)))
        .left_join(
            reads::table.on(reads::announcement_id
                .eq(announcements::id)
                .and(reads::user_id.eq(user_id))),
        )
        .filter(segment_admits(partner_id))
        .order(announcements::created_at.desc())
        .select((
            AnnouncementRow::as_select(),
            programs::name,
            partners::kind,
            memberships::tier,
            reads::read_at.nullable(),
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|(a, _, kind, tier, _)| {
            a.visibility().admits(&Audience {
                partner_id,
                kind,
                tier: tier.as_deref(),
            })
        })
        .map(|(announcement, program_name, _, _, read_at)| PersonAnnouncement {
            announcement,
            program_name,
            read_at,
        })
        .collect())
}

/// How many announcements this person's partner is in the audience of and this person hasn't
/// read. The portal's navigation asks on every page, so it reads the audience columns of unread
/// announcements only, never their text.
pub async fn unread_count(conn: &mut AsyncPgConnection, partner_id: i64, user_id: i64) -> QueryResult<usize> {
    type Unread = (String, Vec<String>, Vec<String>, Vec<i64>, String, Option<String>);
    let rows: Vec<Unread> = announcements::table
        .inner_join(
            memberships::table.on(memberships::program_id
                .eq(announcements::program_id)
                .and(memberships::partner_id.eq(partner_id))
                .and(memberships::status.eq("active"))),
        )
        .inner_join(partners::table.on(partners::id.eq(memberships::partner_id)))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            reads::table.filter(
                reads::announcement_id
                    .eq(announcements::id)
                    .and(reads::user_id.eq(user_id)),
            ),
        )))
        .filter(segment_admits(partner_id))
        .select((
            announcements::visibility,
            announcements::visible_kinds,
            announcements::visible_tiers,
            announcements::visible_partners,
            partners::kind,
            memberships::tier,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .iter()
        .filter(|(visibility, kinds, tiers, members, kind, tier)| {
            Visibility::from_columns(visibility, kinds, tiers, members).admits(&Audience {
                partner_id,
                kind,
                tier: tier.as_deref(),
            })
        })
        .count())
}

/// Records that this person read these announcements (already-read ones keep their first time).
pub async fn mark_read(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    ids: &[i64],
    now: OffsetDateTime,
) -> QueryResult<usize> {
    let rows: Vec<_> = ids
        .iter()
        .map(|id| {
            (
                reads::announcement_id.eq(*id),
                reads::user_id.eq(user_id),
                reads::read_at.eq(now),
            )
        })
        .collect();
    diesel::insert_into(reads::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await
}

/// A partner person an announcement goes to by email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    pub name: String,
}

/// The active people of the program's active partners that the audience admits.
pub async fn recipients(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    visibility: &Visibility,
) -> QueryResult<Vec<Recipient>> {
    let rows: Vec<(String, String, i64, String, Option<String>)> = users::table
        .inner_join(partners::table.on(users::partner_id.eq(partners::id.nullable())))
        .inner_join(
            memberships::table.on(memberships::partner_id
                .eq(partners::id)
                .and(memberships::program_id.eq(program_id))
                .and(memberships::status.eq("active"))),
        )
        .filter(users::is_active)
        .order(users::id)
        .select((
            users::email,
            users::display_name,
            partners::id,
            partners::kind,
            memberships::tier,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, partner_id, kind, tier)| {
            visibility.admits(&Audience {
                partner_id: *partner_id,
                kind,
                tier: tier.as_deref(),
            })
        })
        .map(|(email, name, ..)| Recipient { email, name })
        .collect())
}
