//! A program's tier ladder, each membership's place on it, the figures the criteria read, and
//! the tier history.

use crate::backend::schema::{
    program_memberships as pm, program_tiers as pt, tier_changes as tc, tier_settings as ts, users,
};
use crate::domain::tiers::{Criteria, Ladder, Measures, Standing, Tier};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Int4, Nullable, Numeric, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Duration, OffsetDateTime};

#[derive(Queryable)]
struct TierRow {
    name: String,
    min_revenue: Decimal,
    min_conversions: i32,
    min_won_value: Decimal,
    min_won_deals: i32,
    min_certified_people: i32,
    min_documents: i32,
    min_days_in_program: i32,
    plan_id: Option<i64>,
    protection_days: Option<i32>,
    mdf_share: Option<Decimal>,
}

/// The program's ladder, lowest tier first (no tiers: an empty ladder).
pub async fn ladder(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Ladder> {
    let (window_days, grace_days) = ts::table
        .find(program_id)
        .select((ts::window_days, ts::grace_days))
        .first::<(i32, i32)>(conn)
        .await
        .optional()?
        .unwrap_or((90, 30));
    let rows: Vec<TierRow> = pt::table
        .filter(pt::program_id.eq(program_id))
        .order(pt::rank.asc())
        .select((
            pt::name,
            pt::min_revenue,
            pt::min_conversions,
            pt::min_won_value,
            pt::min_won_deals,
            pt::min_certified_people,
            pt::min_documents,
            pt::min_days_in_program,
            pt::plan_id,
            pt::protection_days,
            pt::mdf_share,
        ))
        .load(conn)
        .await?;
    let tiers = rows
        .into_iter()
        .map(|r| Tier {
            name: r.name,
            criteria: Criteria {
                min_revenue: r.min_revenue,
                min_conversions: r.min_conversions.into(),
                min_won_value: r.min_won_value,
                min_won_deals: r.min_won_deals.into(),
                min_certified_people: r.min_certified_people.into(),
                min_documents: r.min_documents.into(),
                min_days_in_program: r.min_days_in_program.into(),
            },
            plan_id: r.plan_id,
            protection_days: r.protection_days,
            mdf_share: r.mdf_share,
        })
        .collect();
    Ok(Ladder {
        window_days,
        grace_days,
        tiers,
    })
}

/// Replaces the program's ladder (the caller validated it and holds the transaction).
pub async fn replace(conn: &mut AsyncPgConnection, program_id: i64, ladder: &Ladder) -> QueryResult<()> {
    diesel::insert_into(ts::table)
        .values((
            ts::program_id.eq(program_id),
            ts::window_days.eq(ladder.window_days),
            ts::grace_days.eq(ladder.grace_days),
        ))
        .on_conflict(ts::program_id)
        .do_update()
        .set((
            ts::window_days.eq(ladder.window_days),
            ts::grace_days.eq(ladder.grace_days),
        ))
        .execute(conn)
        .await?;
    diesel::delete(pt::table.filter(pt::program_id.eq(program_id)))
        .execute(conn)
        .await?;
    let count = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    let rows: Vec<_> = ladder
        .tiers
        .iter()
        .enumerate()
        .map(|(place, t)| {
            (
                pt::program_id.eq(program_id),
                pt::rank.eq(place as i16 + 1),
                pt::name.eq(&t.name),
                pt::min_revenue.eq(t.criteria.min_revenue),
                pt::min_conversions.eq(count(t.criteria.min_conversions)),
                pt::min_won_value.eq(t.criteria.min_won_value),
                pt::min_won_deals.eq(count(t.criteria.min_won_deals)),
                pt::min_certified_people.eq(count(t.criteria.min_certified_people)),
                pt::min_documents.eq(count(t.criteria.min_documents)),
                pt::min_days_in_program.eq(count(t.criteria.min_days_in_program)),
                pt::plan_id.eq(t.plan_id),
                pt::protection_days.eq(t.protection_days),
                pt::mdf_share.eq(t.mdf_share),
            )
        })
        .collect();
    diesel::insert_into(pt::table).values(rows).execute(conn).await?;
    Ok(())
}

/// Moves every member of tier `from` to `to` (a tier renamed in place); returns who moved.
pub async fn rename_members(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    from: &str,
    to: &str,
) -> QueryResult<Vec<i64>> {
    diesel::update(
        pm::table
            .filter(pm::program_id.eq(program_id))
            .filter(pm::tier.eq(from)),
    )
    .set(pm::tier.eq(to))
    .returning(pm::partner_id)
    .get_results(conn)
    .await
}

/// One active member's place and figures, as the evaluation reads them.
#[derive(Clone, Debug, QueryableByName)]
pub struct MemberFigures {
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub tier: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub demotion_due_at: Option<OffsetDateTime>,
    #[diesel(sql_type = Bool)]
    pub locked: bool,
    #[diesel(sql_type = Numeric)]
    revenue: Decimal,
    #[diesel(sql_type = BigInt)]
    conversions: i64,
    #[diesel(sql_type = Numeric)]
    won_value: Decimal,
    #[diesel(sql_type = BigInt)]
    won_deals: i64,
    #[diesel(sql_type = BigInt)]
    certified_people: i64,
    #[diesel(sql_type = BigInt)]
    documents: i64,
    #[diesel(sql_type = Int4)]
    days_in_program: i32,
}

impl MemberFigures {
    pub fn standing(&self) -> Standing {
        Standing {
            tier: self.tier.clone(),
            demotion_due_at: self.demotion_due_at,
            locked: self.locked,
        }
    }

    pub fn measures(&self) -> Measures {
        Measures {
            revenue: self.revenue,
            conversions: self.conversions,
            won_value: self.won_value,
            won_deals: self.won_deals,
            certified_people: self.certified_people,
            documents: self.documents,
            days_in_program: self.days_in_program.into(),
        }
    }
}

/// Every active member's place and figures (or one partner's), in one query: revenue and
/// conversions from the daily rollups over the window's days, won deals closed in the window,
/// people holding a current certificate of the program, the program's documents approved and
/// not expired, and whole days since approval.
pub async fn figures(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: Option<i64>,
    window_days: i32,
    now: OffsetDateTime,
) -> QueryResult<Vec<MemberFigures>> {
    // With one partner, each part filters on it too, so the rollups are read by their keys.
    let only = |column: &str| partner_id.map_or_else(String::new, |_| format!(" AND {column} = $5"));
    let sql = format!(
        "SELECT m.partner_id, m.tier, m.tier_demotion_due_at AS demotion_due_at,
                m.tier_locked_at IS NOT NULL AS locked,
                COALESCE(s.revenue, 0) AS revenue, COALESCE(s.conversions, 0)::BIGINT AS conversions,
                COALESCE(d.won_value, 0) AS won_value, COALESCE(d.won_deals, 0) AS won_deals,
                COALESCE(c.people, 0) AS certified_people, COALESCE(f.documents, 0) AS documents,
                GREATEST(0, $4::date - COALESCE(m.decided_at, m.applied_at)::date) AS days_in_program
         FROM program_memberships m
         LEFT JOIN (SELECT partner_id, sum(revenue) AS revenue, sum(conversions) AS conversions
                    FROM daily_stats WHERE program_id = $1 AND day > $2{s}
                    GROUP BY partner_id) s ON s.partner_id = m.partner_id
         LEFT JOIN (SELECT partner_id, sum(value) AS won_value, count(*) AS won_deals
                    FROM deals WHERE program_id = $1 AND status = 'won' AND closed_at > $3{d}
                    GROUP BY partner_id) d ON d.partner_id = m.partner_id
         LEFT JOIN (SELECT ce.partner_id, count(DISTINCT ce.user_id) AS people
                    FROM certificates ce
                    JOIN certifications cn ON cn.id = ce.certification_id
                    JOIN users u ON u.id = ce.user_id AND u.is_active
                    WHERE cn.program_id = $1 AND ce.valid_until > $6{c}
                    GROUP BY ce.partner_id) c ON c.partner_id = m.partner_id
         LEFT JOIN (SELECT pd.partner_id, count(DISTINCT pd.requirement_id) AS documents
                    FROM partner_documents pd
                    JOIN document_requirements r ON r.id = pd.requirement_id
                    WHERE r.program_id = $1 AND r.retired_at IS NULL AND pd.status = 'approved'
                      AND (pd.expires_on IS NULL OR pd.expires_on > $4){f}
                    GROUP BY pd.partner_id) f ON f.partner_id = m.partner_id
         WHERE m.program_id = $1 AND m.status = 'active'{m}
         ORDER BY m.partner_id",
        s = only("partner_id"),
        d = only("partner_id"),
        c = only("ce.partner_id"),
        f = only("pd.partner_id"),
        m = only("m.partner_id"),
    );
    let since = now - Duration::days(window_days.into());
    diesel::sql_query(sql)
        .bind::<BigInt, _>(program_id)
        .bind::<Date, _>(since.date())
        .bind::<Timestamptz, _>(since)
        .bind::<Date, _>(now.date())
        .bind::<BigInt, _>(partner_id.unwrap_or_default())
        .bind::<Timestamptz, _>(now)
        .load(conn)
        .await
}

/// How many active members hold each tier name (`None`: no tier).
pub async fn member_counts(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<(Option<String>, i64)>> {
    pm::table
        .filter(pm::program_id.eq(program_id))
        .filter(pm::status.eq("active"))
        .group_by(pm::tier)
        .select((pm::tier, diesel::dsl::count_star()))
        .load(conn)
        .await
}

/// Puts the partner on `tier` (or none) from `now`, ending any grace period.
pub async fn set_tier(
    mut conn: &AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    tier: Option<&str>,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::update(membership(program_id, partner_id))
        .set((
            pm::tier.eq(tier),
            pm::tier_since.eq(now),
            pm::tier_demotion_due_at.eq(None::<OffsetDateTime>),
        ))
        .execute(&mut conn)
        .await
        .map(drop)
}

/// Starts (`Some`) or ends (`None`) the grace period before a demotion.
pub async fn set_demotion_due(
    mut conn: &AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    due: Option<OffsetDateTime>,
) -> QueryResult<()> {
    diesel::update(membership(program_id, partner_id))
        .set(pm::tier_demotion_due_at.eq(due))
        .execute(&mut conn)
        .await
        .map(drop)
}

/// Locks the tier with a reason (and ends any grace period), or unlocks it (`None`).
pub async fn set_lock(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    lock: Option<(&str, i64)>,
    now: OffsetDateTime,
) -> QueryResult<()> {
    let (reason, by, at) = match lock {
        Some((reason, by)) => (Some(reason), Some(by), Some(now)),
        None => (None, None, None),
    };
    diesel::update(membership(program_id, partner_id))
        .set((
            pm::tier_locked_reason.eq(reason),
            pm::tier_locked_by.eq(by),
            pm::tier_locked_at.eq(at),
            pm::tier_demotion_due_at.eq(None::<OffsetDateTime>),
        ))
        .execute(conn)
        .await
        .map(drop)
}

fn membership(
    program_id: i64,
    partner_id: i64,
) -> diesel::dsl::Filter<
    diesel::dsl::Filter<pm::table, diesel::dsl::Eq<pm::program_id, i64>>,
    diesel::dsl::Eq<pm::partner_id, i64>,
> {
    pm::table
        .filter(pm::program_id.eq(program_id))
        .filter(pm::partner_id.eq(partner_id))
}

/// A membership's tier state, for its page.
#[derive(Clone, Debug, Queryable)]
pub struct TierState {
    pub tier: Option<String>,
    pub since: Option<OffsetDateTime>,
    pub demotion_due_at: Option<OffsetDateTime>,
    pub locked_reason: Option<String>,
    pub locked_at: Option<OffsetDateTime>,
}

pub async fn state(conn: &mut AsyncPgConnection, program_id: i64, partner_id: i64) -> QueryResult<Option<TierState>> {
    membership(program_id, partner_id)
        .select((
            pm::tier,
            pm::tier_since,
            pm::tier_demotion_due_at,
            pm::tier_locked_reason,
            pm::tier_locked_at,
        ))
        .first(conn)
        .await
        .optional()
}

/// Programs with a ladder, for the daily evaluation.
pub async fn programs_with_ladders(conn: &mut AsyncPgConnection) -> QueryResult<Vec<i64>> {
    pt::table
        .select(pt::program_id)
        .distinct()
        .order(pt::program_id.asc())
        .load(conn)
        .await
}

pub async fn mark_evaluated(conn: &mut AsyncPgConnection, program_id: i64, now: OffsetDateTime) -> QueryResult<()> {
    diesel::update(ts::table.find(program_id))
        .set(ts::evaluated_at.eq(now))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn evaluated_at(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Option<OffsetDateTime>> {
    ts::table
        .find(program_id)
        .select(ts::evaluated_at)
        .first(conn)
        .await
        .optional()
        .map(Option::flatten)
}

/// Whether a tier move wrote this terms version.
pub async fn written_by_tier(mut conn: &AsyncPgConnection, terms_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(tc::table.filter(tc::terms_id.eq(terms_id))))
        .get_result(&mut conn)
        .await
}

/// The partner's own terms from before tiers: the newest version in force by `at` that no tier
/// move wrote, as (plan, overrides).
pub async fn own_terms(
    mut conn: &AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    at: OffsetDateTime,
) -> QueryResult<Option<(i64, serde_json::Value)>> {
    use crate::backend::schema::partner_terms as t;
    let by_tiers = tc::table
        .filter(tc::program_id.eq(program_id))
        .filter(tc::partner_id.eq(partner_id))
        .filter(tc::terms_id.is_not_null())
        .select(tc::terms_id.assume_not_null());
    t::table
        .filter(t::program_id.eq(program_id))
        .filter(t::partner_id.eq(partner_id))
        .filter(t::effective_from.le(at))
        .filter(t::id.ne_all(by_tiers))
        .order((t::effective_from.desc(), t::version.desc()))
        .select((t::plan_id, t::overrides))
        .first(&mut conn)
        .await
        .optional()
}

/// One row of a tier history.
pub struct NewChange<'a> {
    pub program_id: i64,
    pub partner_id: i64,
    pub kind: &'a str,
    pub from_tier: Option<&'a str>,
    pub to_tier: Option<&'a str>,
    pub reason: &'a str,
    pub actor_id: Option<i64>,
    pub terms_id: Option<i64>,
}

pub async fn record(mut conn: &AsyncPgConnection, change: NewChange<'_>, now: OffsetDateTime) -> QueryResult<()> {
    diesel::insert_into(tc::table)
        .values((
            tc::program_id.eq(change.program_id),
            tc::partner_id.eq(change.partner_id),
            tc::kind.eq(change.kind),
            tc::from_tier.eq(change.from_tier),
            tc::to_tier.eq(change.to_tier),
            tc::reason.eq(change.reason),
            tc::actor_id.eq(change.actor_id),
            tc::terms_id.eq(change.terms_id),
            tc::created_at.eq(now),
        ))
        .execute(&mut conn)
        .await
        .map(drop)
}

#[derive(Clone, Debug, Queryable)]
pub struct ChangeRow {
    pub partner_id: i64,
    pub partner_name: String,
    pub kind: String,
    pub from_tier: Option<String>,
    pub to_tier: Option<String>,
    pub reason: String,
    pub actor: Option<String>,
    pub terms_id: Option<i64>,
    pub created_at: OffsetDateTime,
}

/// The newest tier events of a program (or of one partner in it), newest first.
pub async fn changes(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<ChangeRow>> {
    use crate::backend::schema::partners;
    let mut query = tc::table
        .inner_join(partners::table.on(partners::id.eq(tc::partner_id)))
        .left_join(users::table.on(users::id.nullable().eq(tc::actor_id)))
        .filter(tc::program_id.eq(program_id))
        .order((tc::created_at.desc(), tc::id.desc()))
        .limit(limit)
        .select((
            tc::partner_id,
            partners::name,
            tc::kind,
            tc::from_tier,
            tc::to_tier,
            tc::reason,
            users::display_name.nullable(),
            tc::terms_id,
            tc::created_at,
        ))
        .into_boxed();
    if let Some(partner_id) = partner_id {
        query = query.filter(tc::partner_id.eq(partner_id));
    }
    query.load(conn).await
}
