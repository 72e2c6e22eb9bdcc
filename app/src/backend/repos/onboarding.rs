//! What the onboarding checklist and the time-to-first report read: the partner's profile and
//! standing in one query, and per approved membership the days of its first click, conversion
//! and won deal.

use crate::backend::schema::{course_attempts, partners};
use crate::domain::onboarding::profile::Profile;
use crate::domain::onboarding::time_to_first::Start;
use diesel::dsl::exists;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

pub async fn profile(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<(String, Profile)> {
    let (name, website, about, channels) = partners::table
        .find(partner_id)
        .select((partners::name, partners::website, partners::about, partners::channels))
        .first::<(String, Option<String>, Option<String>, Vec<String>)>(conn)
        .await?;
    Ok((
        name,
        Profile {
            website,
            about,
            channels,
        },
    ))
}

pub async fn save_profile(conn: &mut AsyncPgConnection, partner_id: i64, profile: &Profile) -> QueryResult<usize> {
    diesel::update(partners::table.find(partner_id))
        .set((
            partners::website.eq(&profile.website),
            partners::about.eq(&profile.about),
            partners::channels.eq(&profile.channels),
        ))
        .execute(conn)
        .await
}

/// The checklist's facts about a partner that one query can answer.
#[derive(Clone, Debug, QueryableByName)]
pub struct Standing {
    #[diesel(sql_type = Nullable<Text>)]
    pub website: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub about: Option<String>,
    #[diesel(sql_type = Array<Text>)]
    pub channels: Vec<String>,
    #[diesel(sql_type = Text)]
    pub country: String,
    /// Whether one of its programs has a partner agreement.
    #[diesel(sql_type = Bool)]
    pub has_agreement: bool,
    /// The currencies its programs pay in that it has no payout method for.
    #[diesel(sql_type = Array<Text>)]
    pub currencies_without_method: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub tax_form: Option<String>,
    /// Whether one of its links got a click, or it registered a deal.
    #[diesel(sql_type = Bool)]
    pub shared_or_registered: bool,
}

/// The rollups are read through the partner's programs, so each lookup walks their primary key
/// (program, partner, …) instead of scanning every partner's rows.
const STANDING: &str = "
    WITH mine AS (
      SELECT m.program_id, pr.currency FROM program_memberships m JOIN programs pr ON pr.id = m.program_id
       WHERE m.partner_id = $1 AND m.status IN ('active', 'suspended'))
    SELECT p.website, p.about, p.channels, p.country,
      EXISTS (SELECT 1 FROM agreement_versions v WHERE v.program_id IN (SELECT program_id FROM mine))
        AS has_agreement,
      ARRAY(SELECT currency FROM mine
            EXCEPT SELECT currency FROM payout_methods WHERE partner_id = $1 AND replaced_at IS NULL
            ORDER BY 1) AS currencies_without_method,
      (SELECT form FROM tax_profiles WHERE partner_id = $1 AND replaced_at IS NULL) AS tax_form,
      EXISTS (SELECT 1 FROM daily_stats s
               WHERE s.program_id IN (SELECT program_id FROM program_memberships WHERE partner_id = $1)
                 AND s.partner_id = $1 AND s.clicks > 0)
      OR EXISTS (SELECT 1 FROM deals d WHERE d.partner_id = $1) AS shared_or_registered
    FROM partners p WHERE p.id = $1";

pub async fn standing(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Standing> {
    diesel::sql_query(STANDING)
        .bind::<BigInt, _>(partner_id)
        .get_result(conn)
        .await
}

/// Whether anyone at the partner passed one of `course_ids`.
pub async fn passed_any(conn: &mut AsyncPgConnection, partner_id: i64, course_ids: &[i64]) -> QueryResult<bool> {
    diesel::select(exists(
        course_attempts::table
            .filter(course_attempts::partner_id.eq(partner_id))
            .filter(course_attempts::course_id.eq_any(course_ids))
            .filter(course_attempts::passed.eq(true)),
    ))
    .get_result(conn)
    .await
}

#[derive(QueryableByName)]
struct StartRow {
    #[diesel(sql_type = BigInt)]
    program_id: i64,
    #[diesel(sql_type = Text)]
    program: String,
    #[diesel(sql_type = Text)]
    partner: String,
    #[diesel(sql_type = Date)]
    approved_on: time::Date,
    #[diesel(sql_type = Nullable<Date>)]
    first_click: Option<time::Date>,
    #[diesel(sql_type = Nullable<Date>)]
    first_conversion: Option<time::Date>,
    #[diesel(sql_type = Nullable<Date>)]
    first_won_deal: Option<time::Date>,
}

/// Every membership of `program_ids` first approved on or after `since` (UTC), with the first
/// day of each milestone. Each lookup walks an index from the start (the rollups' primary key,
/// program, partner, day; the won deals' partner index) and stops at the first match, so the
/// cost grows with the memberships, not the traffic.
pub async fn starts(conn: &mut AsyncPgConnection, program_ids: &[i64], since: time::Date) -> QueryResult<Vec<Start>> {
    let rows: Vec<StartRow> = diesel::sql_query(
        "SELECT m.program_id, p.name AS program, pa.name AS partner,
           (m.approved_at AT TIME ZONE 'UTC')::date AS approved_on,
           (SELECT s.day FROM daily_stats s
             WHERE s.program_id = m.program_id AND s.partner_id = m.partner_id AND s.clicks > 0
             ORDER BY s.day LIMIT 1) AS first_click,
           (SELECT s.day FROM daily_stats s
             WHERE s.program_id = m.program_id AND s.partner_id = m.partner_id AND s.conversions > 0
             ORDER BY s.day LIMIT 1) AS first_conversion,
           (SELECT (d.closed_at AT TIME ZONE 'UTC')::date FROM deals d
             WHERE d.partner_id = m.partner_id AND d.program_id = m.program_id AND d.status = 'won'
             ORDER BY d.closed_at LIMIT 1) AS first_won_deal
         FROM program_memberships m JOIN programs p ON p.id = m.program_id
           JOIN partners pa ON pa.id = m.partner_id
         WHERE m.program_id = ANY($1) AND m.status IN ('active', 'suspended')
           AND m.approved_at >= $2::timestamp AT TIME ZONE 'UTC'
         ORDER BY m.approved_at DESC, pa.name",
    )
    .bind::<Array<BigInt>, _>(program_ids)
    .bind::<Date, _>(since)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Start {
            program_id: r.program_id,
            program: r.program,
            partner: r.partner,
            approved_on: r.approved_on,
            first_click: r.first_click,
            first_conversion: r.first_conversion,
            first_won_deal: r.first_won_deal,
        })
        .collect())
}
