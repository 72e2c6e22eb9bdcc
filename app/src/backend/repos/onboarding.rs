//! What the onboarding checklist and the time-to-first report read: the partner's profile, its
//! first activity, and per approved membership the days of its first click, conversion and won
//! deal.

use crate::backend::schema::{course_attempts, daily_stats, deals, partners, program_memberships};
use crate::domain::onboarding::profile::Profile;
use crate::domain::onboarding::time_to_first::Start;
use diesel::dsl::exists;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

pub async fn profile(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Profile> {
    let (website, about, channels) = partners::table
        .find(partner_id)
        .select((partners::website, partners::about, partners::channels))
        .first::<(Option<String>, Option<String>, Vec<String>)>(conn)
        .await?;
    Ok(Profile {
        website,
        about,
        channels,
    })
}

pub async fn save_profile(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    profile: &Profile,
    now: OffsetDateTime,
) -> QueryResult<usize> {
    diesel::update(partners::table.find(partner_id))
        .set((
            partners::website.eq(&profile.website),
            partners::about.eq(&profile.about),
            partners::channels.eq(&profile.channels),
            partners::profile_updated_at.eq(now),
        ))
        .execute(conn)
        .await
}

/// Whether one of the partner's links got a click, or the partner registered a deal. The
/// rollups are looked up through the partner's programs, so each lookup walks their primary
/// key (program, partner, …) instead of scanning every partner's rows.
pub async fn shared_or_registered(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<bool> {
    let programs = program_memberships::table
        .filter(program_memberships::partner_id.eq(partner_id))
        .select(program_memberships::program_id);
    let clicked = exists(
        daily_stats::table
            .filter(daily_stats::program_id.eq_any(programs))
            .filter(daily_stats::partner_id.eq(partner_id))
            .filter(daily_stats::clicks.gt(0)),
    );
    let registered = exists(deals::table.filter(deals::partner_id.eq(partner_id)));
    diesel::select(clicked.or(registered)).get_result(conn).await
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

/// Every membership of `program_ids` approved on or after `since`, with the first day of each
/// milestone. Each lookup walks the rollups' primary key (program, partner, day) from the start
/// and stops at the first match, so the cost grows with the memberships, not the traffic.
pub async fn starts(conn: &mut AsyncPgConnection, program_ids: &[i64], since: time::Date) -> QueryResult<Vec<Start>> {
    let rows: Vec<StartRow> = diesel::sql_query(
        "SELECT p.name AS program, pa.name AS partner, (m.decided_at AT TIME ZONE 'UTC')::date AS approved_on,
           (SELECT s.day FROM daily_stats s
             WHERE s.program_id = m.program_id AND s.partner_id = m.partner_id AND s.clicks > 0
             ORDER BY s.day LIMIT 1) AS first_click,
           (SELECT s.day FROM daily_stats s
             WHERE s.program_id = m.program_id AND s.partner_id = m.partner_id AND s.conversions > 0
             ORDER BY s.day LIMIT 1) AS first_conversion,
           (SELECT min(d.closed_at AT TIME ZONE 'UTC')::date FROM deals d
             WHERE d.program_id = m.program_id AND d.partner_id = m.partner_id AND d.status = 'won')
             AS first_won_deal
         FROM program_memberships m JOIN programs p ON p.id = m.program_id
           JOIN partners pa ON pa.id = m.partner_id
         WHERE m.program_id = ANY($1) AND m.status IN ('active', 'suspended')
           AND m.decided_at IS NOT NULL AND m.decided_at >= $2::date
         ORDER BY m.decided_at DESC, pa.name",
    )
    .bind::<Array<BigInt>, _>(program_ids)
    .bind::<Date, _>(since)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Start {
            program: r.program,
            partner: r.partner,
            approved_on: r.approved_on,
            first_click: r.first_click,
            first_conversion: r.first_conversion,
            first_won_deal: r.first_won_deal,
        })
        .collect())
}
