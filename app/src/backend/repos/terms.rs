//! Partner terms versions. Rows are never updated; the terms in force at a time are the latest
//! version that had taken effect by then.

use crate::backend::schema::{commission_plans, partner_terms, partners, program_memberships, users};
use diesel::dsl::max;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable)]
pub struct TermsRow {
    pub id: i64,
    pub program_id: i64,
    pub partner_id: i64,
    pub version: i32,
    pub plan_id: i64,
    pub plan_name: String,
    pub plan: Value,
    pub overrides: Value,
    pub effective_from: OffsetDateTime,
    pub author: Option<String>,
    pub reason: String,
    pub created_at: OffsetDateTime,
}

pub struct NewTerms<'a> {
    pub program_id: i64,
    pub partner_id: i64,
    pub plan_id: i64,
    pub overrides: Value,
    pub effective_from: OffsetDateTime,
    pub author_id: Option<i64>,
    pub reason: &'a str,
}

type Columns = (
    partner_terms::id,
    partner_terms::program_id,
    partner_terms::partner_id,
    partner_terms::version,
    partner_terms::plan_id,
    commission_plans::name,
    commission_plans::definition,
    partner_terms::overrides,
    partner_terms::effective_from,
    diesel::dsl::Nullable<users::display_name>,
    partner_terms::reason,
    partner_terms::created_at,
);

fn columns() -> Columns {
    (
        partner_terms::id,
        partner_terms::program_id,
        partner_terms::partner_id,
        partner_terms::version,
        partner_terms::plan_id,
        commission_plans::name,
        commission_plans::definition,
        partner_terms::overrides,
        partner_terms::effective_from,
        users::display_name.nullable(),
        partner_terms::reason,
        partner_terms::created_at,
    )
}

macro_rules! with_plan {
    () => {
        partner_terms::table
            .inner_join(commission_plans::table)
            .left_join(users::table.on(users::id.nullable().eq(partner_terms::author_id)))
    };
}

/// The versions of some of a program's partners (only that program's), with plans and authors.
macro_rules! of_partners {
    ($program_id:expr, $partner_ids:expr) => {
        with_plan!()
            .filter(partner_terms::program_id.eq($program_id))
            .filter(partner_terms::partner_id.eq_any($partner_ids))
    };
}

/// Adds the next version. Versions of one membership are numbered under a row lock on the
/// membership, so concurrent changes take turns.
pub async fn insert(mut conn: &AsyncPgConnection, new: &NewTerms<'_>, now: OffsetDateTime) -> QueryResult<i64> {
    program_memberships::table
        .filter(program_memberships::program_id.eq(new.program_id))
        .filter(program_memberships::partner_id.eq(new.partner_id))
        .select(program_memberships::id)
        .for_update()
        .first::<i64>(&mut conn)
        .await?;
    let latest: Option<i32> = partner_terms::table
        .filter(partner_terms::program_id.eq(new.program_id))
        .filter(partner_terms::partner_id.eq(new.partner_id))
        .select(max(partner_terms::version))
        .first(&mut conn)
        .await?;
    diesel::insert_into(partner_terms::table)
        .values((
            partner_terms::program_id.eq(new.program_id),
            partner_terms::partner_id.eq(new.partner_id),
            partner_terms::version.eq(latest.unwrap_or(0) + 1),
            partner_terms::plan_id.eq(new.plan_id),
            partner_terms::overrides.eq(&new.overrides),
            partner_terms::effective_from.eq(new.effective_from),
            partner_terms::author_id.eq(new.author_id),
            partner_terms::reason.eq(new.reason),
            partner_terms::created_at.eq(now),
        ))
        .returning(partner_terms::id)
        .get_result(&mut conn)
        .await
}

/// The terms in force at `at`: the one query behind "which terms applied on day D?".
pub async fn in_force(
    mut conn: &AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    at: OffsetDateTime,
) -> QueryResult<Option<TermsRow>> {
    with_plan!()
        .filter(partner_terms::program_id.eq(program_id))
        .filter(partner_terms::partner_id.eq(partner_id))
        .filter(partner_terms::effective_from.le(at))
        .order((partner_terms::effective_from.desc(), partner_terms::version.desc()))
        .select(columns())
        .first(&mut conn)
        .await
        .optional()
}

/// Every version of the partners' terms in any of the programs that took effect by `until`,
/// for a batch to find the one in force at each conversion with [`in_force_among`].
pub async fn versions_by(
    mut conn: &AsyncPgConnection,
    program_ids: &[i64],
    partner_ids: &[i64],
    until: OffsetDateTime,
) -> QueryResult<Vec<TermsRow>> {
    with_plan!()
        .filter(partner_terms::program_id.eq_any(program_ids))
        .filter(partner_terms::partner_id.eq_any(partner_ids))
        .filter(partner_terms::effective_from.le(until))
        .select(columns())
        .load(&mut conn)
        .await
}

/// The same rule as [`in_force`], over versions already read.
pub fn in_force_among(
    versions: &[TermsRow],
    program_id: i64,
    partner_id: i64,
    at: OffsetDateTime,
) -> Option<&TermsRow> {
    versions
        .iter()
        .filter(|t| t.program_id == program_id && t.partner_id == partner_id && t.effective_from <= at)
        .max_by_key(|t| (t.effective_from, t.version))
}

/// The terms in force at `at` for each of the partners (in one query): one row per partner that
/// had terms by then, by partner id. The same rule as [`in_force`].
pub async fn in_force_for_partners(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_ids: &[i64],
    at: OffsetDateTime,
) -> QueryResult<Vec<TermsRow>> {
    of_partners!(program_id, partner_ids)
        .filter(partner_terms::effective_from.le(at))
        .distinct_on(partner_terms::partner_id)
        .order((
            partner_terms::partner_id.asc(),
            partner_terms::effective_from.desc(),
            partner_terms::version.desc(),
        ))
        .select(columns())
        .load(conn)
        .await
}

/// The versions of each of the partners' terms that take effect after `after` (in one query): by
/// partner id, then soonest first.
pub async fn upcoming_for_partners(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_ids: &[i64],
    after: OffsetDateTime,
) -> QueryResult<Vec<TermsRow>> {
    of_partners!(program_id, partner_ids)
        .filter(partner_terms::effective_from.gt(after))
        .order((
            partner_terms::partner_id.asc(),
            partner_terms::effective_from.asc(),
            partner_terms::version.asc(),
        ))
        .select(columns())
        .load(conn)
        .await
}

pub async fn get(conn: &mut AsyncPgConnection, terms_id: i64) -> QueryResult<TermsRow> {
    with_plan!()
        .filter(partner_terms::id.eq(terms_id))
        .select(columns())
        .first(conn)
        .await
}

/// Every version of a membership's terms, newest first.
pub async fn history(conn: &mut AsyncPgConnection, program_id: i64, partner_id: i64) -> QueryResult<Vec<TermsRow>> {
    with_plan!()
        .filter(partner_terms::program_id.eq(program_id))
        .filter(partner_terms::partner_id.eq(partner_id))
        .order(partner_terms::version.desc())
        .select(columns())
        .load(conn)
        .await
}

/// Memberships of a program chosen for a bulk amendment: active ones, optionally of one
/// partner kind and country.
pub async fn amendment_targets(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    kind: Option<&str>,
    country: Option<&str>,
) -> QueryResult<Vec<(i64, String, String)>> {
    let mut query = program_memberships::table
        .inner_join(partners::table)
        .filter(program_memberships::program_id.eq(program_id))
        .filter(program_memberships::status.eq("active"))
        .select((partners::id, partners::name, partners::email))
        .order(partners::name.asc())
        .into_boxed();
    if let Some(kind) = kind {
        query = query.filter(partners::kind.eq(kind.to_owned()));
    }
    if let Some(country) = country {
        query = query.filter(partners::country.eq(country.to_owned()));
    }
    query.load(conn).await
}

#[derive(Clone, Debug, PartialEq, Eq, QueryableByName)]
pub struct PlanCount {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub plan_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub partners: i64,
}

/// How many active partners of the program have terms on each plan in force at `at`.
pub async fn partners_per_plan(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    at: OffsetDateTime,
) -> QueryResult<Vec<PlanCount>> {
    diesel::sql_query(
        "SELECT plan_id, count(*) AS partners FROM (
             SELECT DISTINCT ON (t.partner_id) t.partner_id, t.plan_id
             FROM partner_terms t
             JOIN program_memberships m
               ON m.program_id = t.program_id AND m.partner_id = t.partner_id AND m.status = 'active'
             WHERE t.program_id = $1 AND t.effective_from <= $2
             ORDER BY t.partner_id, t.effective_from DESC, t.version DESC
         ) in_force GROUP BY plan_id ORDER BY plan_id",
    )
    .bind::<diesel::sql_types::BigInt, _>(program_id)
    .bind::<diesel::sql_types::Timestamptz, _>(at)
    .load(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::partners::{self, NewPartner};
    use crate::backend::repos::programs::{self, NewProgram};
    use crate::backend::repos::{memberships, plans, users};
    use crate::backend::testing::TestDb;
    use crate::domain::access::OperatorRole;
    use crate::domain::commission::plan::{Model, PeriodKind, Plan, Qualification, Recurring, Rule};
    use time::Duration;

    fn plan(rate: i64) -> Plan {
        Plan {
            currency: "EUR".into(),
            period: PeriodKind::Month,
            rules: vec![Rule {
                events: vec!["sale".into()],
                model: Model::Percent { rate: rate.into() },
                recurring: Recurring::Lifetime,
                qualify: Qualification::default(),
            }],
            cap_per_conversion: None,
            cap_per_period: None,
            override_shares: vec![],
            override_cap: None,
        }
    }

    #[tokio::test]
    async fn partners_per_plan_counts_active_partners_by_the_terms_in_force() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let now = OffsetDateTime::now_utc();
        let brand = programs::insert_brand(&mut conn, "B", "b").await.unwrap();
        let program = programs::insert(
            &mut conn,
            &NewProgram {
                brand_id: brand,
                name: "P",
                slug: "p",
                currency: "EUR",
                description: "",
                terms: "t",
            },
        )
        .await
        .unwrap();
        let admin = users::insert_operator(&mut conn, "a@example.com", "A", OperatorRole::Admin, "h")
            .await
            .unwrap();
        let old = plans::insert(&mut conn, program.id, "Old", &plan(10), None, now)
            .await
            .unwrap()
            .unwrap();
        let new = plans::insert(&mut conn, program.id, "New", &plan(20), None, now)
            .await
            .unwrap()
            .unwrap();
        let mut ids = Vec::new();
        for (i, status) in ["active", "active", "suspended"].iter().enumerate() {
            let email = format!("p{i}@example.com");
            let partner = partners::insert(
                &mut conn,
                &NewPartner {
                    name: "Partner",
                    email: &email,
                    kind: "affiliate",
                    country: "DE",
                    website: None,
                },
            )
            .await
            .unwrap();
            let m = memberships::insert_application(&mut conn, partner.id, program.id, "plan", now)
                .await
                .unwrap();
            memberships::set_status(&mut conn, m.id, status, None, admin.id, now)
                .await
                .unwrap();
            ids.push(partner.id);
        }
        let terms = |partner_id: i64, plan_id: i64, effective_from: OffsetDateTime| NewTerms {
            program_id: program.id,
            partner_id,
            plan_id,
            overrides: serde_json::json!({}),
            effective_from,
            author_id: None,
            reason: "test",
        };
        for id in &ids {
            insert(&conn, &terms(*id, old.id, now - Duration::days(10)), now)
                .await
                .unwrap();
        }
        // The first partner moved to the new plan yesterday; the second moves next week.
        insert(&conn, &terms(ids[0], new.id, now - Duration::days(1)), now)
            .await
            .unwrap();
        insert(&conn, &terms(ids[1], new.id, now + Duration::days(7)), now)
            .await
            .unwrap();
        let count = |plan_id: i64, partners: i64| PlanCount { plan_id, partners };
        assert_eq!(
            partners_per_plan(&mut conn, program.id, now).await.unwrap(),
            vec![count(old.id, 1), count(new.id, 1)],
            "the suspended partner is not counted"
        );
        assert_eq!(
            partners_per_plan(&mut conn, program.id, now + Duration::days(8))
                .await
                .unwrap(),
            vec![count(new.id, 2)]
        );
        assert_eq!(
            partners_per_plan(&mut conn, program.id, now - Duration::days(30))
                .await
                .unwrap(),
            vec![]
        );
    }

    #[tokio::test]
    async fn terms_in_force_and_upcoming_for_a_page_of_partners() {
        use crate::backend::repos::testing_home::{brands, NOW};
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let ids = brands(&mut conn).await;
        let (eur, usd) = (ids.acme_eur, ids.acme_usd);
        let eur_plan = plans::insert(&mut conn, eur, "EUR plan", &plan(10), None, NOW)
            .await
            .unwrap()
            .unwrap();
        let usd_plan = plans::insert(&mut conn, usd, "USD plan", &plan(10), None, NOW)
            .await
            .unwrap()
            .unwrap();
        let day = |days: i64| NOW + Duration::days(days);
        // Versions are numbered per partner and program in the order they are added.
        for (program_id, plan_id, partner_id, from) in [
            (eur, eur_plan.id, ids.ada, day(-10)), // Ada v1
            (eur, eur_plan.id, ids.ada, day(-1)),  // Ada v2: in force now
            (eur, eur_plan.id, ids.ada, day(7)),   // Ada v3
            (eur, eur_plan.id, ids.ada, day(3)),   // Ada v4: sooner than v3
            (eur, eur_plan.id, ids.bob, day(2)),   // Bob v1
            (eur, eur_plan.id, ids.bob, day(2)),   // Bob v2: same moment, the later version wins
            // Another program's, later than each of Ada's: in force now and upcoming there.
            (usd, usd_plan.id, ids.ada, NOW - Duration::hours(1)),
            (usd, usd_plan.id, ids.ada, day(1)),
        ] {
            let new = NewTerms {
                program_id,
                partner_id,
                plan_id,
                overrides: serde_json::json!({}),
                effective_from: from,
                author_id: None,
                reason: "test",
            };
            insert(&conn, &new, NOW).await.unwrap();
        }
        let versions = |rows: Vec<TermsRow>| {
            rows.into_iter()
                .map(|t| (t.partner_id, t.program_id, t.version))
                .collect::<Vec<_>>()
        };
        let (ada, bob) = (ids.ada, ids.bob);
        let both = [bob, ada];
        assert_eq!(
            versions(in_force_for_partners(&mut conn, eur, &both, NOW).await.unwrap()),
            [(ada, eur, 2)],
            "Bob has no terms in force yet"
        );
        let mut expected = vec![(bob, eur, 2), (ada, eur, 4)];
        expected.sort();
        assert_eq!(
            versions(in_force_for_partners(&mut conn, eur, &both, day(5)).await.unwrap()),
            expected,
            "one row per partner, by partner id"
        );
        for at in [NOW, day(5), day(8)] {
            let one: Vec<i64> = in_force(&conn, eur, ada, at)
                .await
                .unwrap()
                .map(|t| t.id)
                .into_iter()
                .collect();
            let many: Vec<i64> = in_force_for_partners(&mut conn, eur, &[ada], at)
                .await
                .unwrap()
                .into_iter()
                .map(|t| t.id)
                .collect();
            assert_eq!(one, many, "the same rule as in_force at {at}");
        }
        assert_eq!(
            versions(in_force_for_partners(&mut conn, eur, &[bob], day(8)).await.unwrap()),
            [(bob, eur, 2)],
            "only the partners asked for"
        );
        assert_eq!(
            versions(upcoming_for_partners(&mut conn, eur, &[ada], NOW).await.unwrap()),
            [(ada, eur, 4), (ada, eur, 3)],
            "soonest first, only this program's"
        );
        let mut expected = [vec![(ada, eur, 4), (ada, eur, 3)], vec![(bob, eur, 1), (bob, eur, 2)]];
        expected.sort();
        assert_eq!(
            versions(upcoming_for_partners(&mut conn, eur, &both, NOW).await.unwrap()),
            expected.concat(),
            "by partner id, each partner's soonest first (the earlier version first at the same moment)"
        );
        assert!(in_force_for_partners(&mut conn, eur, &[], day(8))
            .await
            .unwrap()
            .is_empty());
    }
}
