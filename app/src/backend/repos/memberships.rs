//! Program memberships: a partner's application to, and standing in, one program.

use super::{like_pattern, page_window, Page};
use crate::backend::schema::{partners, program_memberships as pm, programs};
use crate::backend::scope::Scope;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = pm)]
pub struct MembershipRow {
    pub id: i64,
    pub partner_id: i64,
    pub program_id: i64,
    pub status: String,
    pub promotion_plan: String,
    pub status_reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub applied_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
}

/// A membership with the names a reviewer needs.
#[derive(Clone, Debug, Queryable)]
pub struct ReviewRow {
    pub membership: MembershipRow,
    pub partner_name: String,
    pub partner_email: String,
    pub partner_kind: String,
    pub partner_country: String,
    pub partner_website: Option<String>,
    pub program_name: String,
    pub program_slug: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewSort {
    Newest,
    Oldest,
    Partner,
}

#[derive(Clone, Debug)]
pub struct ReviewFilter {
    pub status: Option<String>,
    pub program_id: Option<i64>,
    pub search: Option<String>,
    pub sort: ReviewSort,
    pub page: i64,
    pub per_page: i64,
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    program_id: i64,
) -> QueryResult<Option<MembershipRow>> {
    pm::table
        .filter(pm::partner_id.eq(partner_id))
        .filter(pm::program_id.eq(program_id))
        .select(MembershipRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert_application(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    program_id: i64,
    promotion_plan: &str,
    now: OffsetDateTime,
) -> QueryResult<MembershipRow> {
    diesel::insert_into(pm::table)
        .values((
            pm::partner_id.eq(partner_id),
            pm::program_id.eq(program_id),
            pm::status.eq("applied"),
            pm::promotion_plan.eq(promotion_plan),
            pm::terms_accepted_at.eq(now),
            pm::applied_at.eq(now),
        ))
        .returning(MembershipRow::as_returning())
        .get_result(conn)
        .await
}

/// Locks the membership row of a program in the operator's scope for a decision, so that two
/// reviewers can't both decide; another brand's is not found.
pub async fn lock(conn: &mut AsyncPgConnection, scope: &Scope, id: i64) -> QueryResult<MembershipRow> {
    pm::table
        .find(id)
        .filter(pm::program_id.eq_any(&scope.programs))
        .select(MembershipRow::as_select())
        .for_update()
        .first(conn)
        .await
}

pub async fn set_status(
    conn: &mut AsyncPgConnection,
    id: i64,
    status: &str,
    reason: Option<&str>,
    decided_by: i64,
    now: OffsetDateTime,
) -> QueryResult<MembershipRow> {
    diesel::update(pm::table.find(id))
        .set((
            pm::status.eq(status),
            pm::status_reason.eq(reason),
            pm::decided_by.eq(decided_by),
            pm::decided_at.eq(now),
        ))
        .returning(MembershipRow::as_returning())
        .get_result(conn)
        .await
}

/// One membership of a program in the operator's scope, with its names; another brand's is not
/// found.
pub async fn get_for_review(conn: &mut AsyncPgConnection, scope: &Scope, id: i64) -> QueryResult<ReviewRow> {
    review_query(scope).filter(pm::id.eq(id)).first(conn).await
}

/// The applications and memberships of the programs in the operator's scope.
pub async fn list_for_review(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    filter: &ReviewFilter,
) -> QueryResult<Page<ReviewRow>> {
    let total = filtered(review_query(scope), filter).count().get_result(conn).await?;
    let (offset, limit) = page_window(filter.page, filter.per_page);
    let query = filtered(review_query(scope), filter);
    let query = match filter.sort {
        ReviewSort::Newest => query.order((pm::applied_at.desc(), pm::id.desc())),
        ReviewSort::Oldest => query.order((pm::applied_at.asc(), pm::id.asc())),
        ReviewSort::Partner => query.order((partners::name.asc(), pm::id.asc())),
    };
    let rows = query.offset(offset).limit(limit).load(conn).await?;
    Ok(Page { rows, total })
}

/// Every program of one partner (of one brand when `brand` is set: the portal's brand
/// switcher), with the program's name, slug and currency.
pub async fn list_for_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    brand: Option<i64>,
) -> QueryResult<Vec<(MembershipRow, String, String, String)>> {
    let mut query = pm::table
        .inner_join(programs::table)
        .filter(pm::partner_id.eq(partner_id))
        .into_boxed();
    if let Some(brand) = brand {
        query = query.filter(programs::brand_id.eq(brand));
    }
    query
        .order(pm::applied_at.desc())
        .select((
            MembershipRow::as_select(),
            programs::name,
            programs::slug,
            programs::currency,
        ))
        .load(conn)
        .await
}

/// Applications waiting per program (for the console dashboard).
pub async fn count_by_status(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(String, i64)>> {
    pm::table
        .group_by(pm::status)
        .select((pm::status, diesel::dsl::count_star()))
        .load(conn)
        .await
}

type ReviewQuery<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::Select<
        diesel::dsl::InnerJoin<diesel::dsl::InnerJoin<pm::table, partners::table>, programs::table>,
        (
            diesel::dsl::AsSelect<MembershipRow, diesel::pg::Pg>,
            partners::name,
            partners::email,
            partners::kind,
            partners::country,
            partners::website,
            programs::name,
            programs::slug,
        ),
    >,
    diesel::pg::Pg,
>;

/// Memberships with their names, only ever of the programs in `scope`.
fn review_query<'a>(scope: &Scope) -> ReviewQuery<'a> {
    pm::table
        .inner_join(partners::table)
        .inner_join(programs::table)
        .select((
            MembershipRow::as_select(),
            partners::name,
            partners::email,
            partners::kind,
            partners::country,
            partners::website,
            programs::name,
            programs::slug,
        ))
        .into_boxed()
        .filter(pm::program_id.eq_any(scope.programs.clone()))
}

fn filtered<'a>(mut query: ReviewQuery<'a>, filter: &ReviewFilter) -> ReviewQuery<'a> {
    if let Some(status) = &filter.status {
        query = query.filter(pm::status.eq(status.clone()));
    }
    if let Some(program_id) = filter.program_id {
        query = query.filter(pm::program_id.eq(program_id));
    }
    if let Some(search) = &filter.search {
        let pattern = like_pattern(search);
        query = query.filter(partners::name.ilike(pattern.clone()).or(partners::email.ilike(pattern)));
    }
    query
}

/// Partners whose membership in the program is active.
pub async fn active_partner_ids(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<i64>> {
    pm::table
        .filter(pm::program_id.eq(program_id))
        .filter(pm::status.eq("active"))
        .select(pm::partner_id)
        .order(pm::partner_id.asc())
        .load(conn)
        .await
}

/// The partners active in the program with their tier, by name: (id, name, tier), in one query
/// for the console's pickers.
pub async fn active_partners(
    conn: &mut AsyncPgConnection,
    program_id: i64,
) -> QueryResult<Vec<(i64, String, Option<String>)>> {
    pm::table
        .inner_join(partners::table)
        .filter(pm::program_id.eq(program_id))
        .filter(pm::status.eq("active"))
        .select((partners::id, partners::name, pm::tier))
        .order((partners::name.asc(), partners::id.asc()))
        .load(conn)
        .await
}

/// The partner's name and why their membership is flagged, in one read (conversion ingest
/// needs both). `None` when the partner is not a member.
pub async fn name_and_flag(
    mut conn: &AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
) -> QueryResult<Option<(String, Option<String>)>> {
    pm::table
        .inner_join(partners::table)
        .filter(pm::program_id.eq(program_id))
        .filter(pm::partner_id.eq(partner_id))
        .select((partners::name, pm::flagged_reason))
        .first(&mut conn)
        .await
        .optional()
}

/// Why each of the partners is flagged, for every membership of theirs in any of the programs,
/// as (program, partner, flag).
pub async fn flags_of(
    mut conn: &AsyncPgConnection,
    program_ids: &[i64],
    partner_ids: &[i64],
) -> QueryResult<Vec<(i64, i64, Option<String>)>> {
    pm::table
        .filter(pm::program_id.eq_any(program_ids))
        .filter(pm::partner_id.eq_any(partner_ids))
        .select((pm::program_id, pm::partner_id, pm::flagged_reason))
        .load(&mut conn)
        .await
}

/// Why the partner is flagged in the program, if it is: its new commissions go on hold.
pub async fn flag(conn: &mut AsyncPgConnection, program_id: i64, partner_id: i64) -> QueryResult<Option<String>> {
    pm::table
        .filter(pm::program_id.eq(program_id))
        .filter(pm::partner_id.eq(partner_id))
        .select(pm::flagged_reason)
        .first::<Option<String>>(conn)
        .await
        .optional()
        .map(Option::flatten)
}

pub async fn set_flag(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    reason: Option<&str>,
) -> QueryResult<bool> {
    diesel::update(
        pm::table
            .filter(pm::program_id.eq(program_id))
            .filter(pm::partner_id.eq(partner_id)),
    )
    .set(pm::flagged_reason.eq(reason))
    .execute(conn)
    .await
    .map(|n| n == 1)
}

/// Records the master partner whose invitation the applicant followed.
pub async fn set_invited_by(conn: &mut AsyncPgConnection, membership_id: i64, master_id: i64) -> QueryResult<()> {
    diesel::update(pm::table.find(membership_id))
        .set(pm::invited_by.eq(master_id))
        .execute(conn)
        .await
        .map(drop)
}

/// The master partner whose invitation the applicant followed, if any.
pub async fn invited_by(conn: &mut AsyncPgConnection, membership_id: i64) -> QueryResult<Option<i64>> {
    pm::table
        .find(membership_id)
        .select(pm::invited_by)
        .first::<Option<i64>>(conn)
        .await
        .optional()
        .map(Option::flatten)
}

/// The partner's tier in the program, set by operators until tier rules arrive.
pub async fn tier(conn: &mut AsyncPgConnection, program_id: i64, partner_id: i64) -> QueryResult<Option<String>> {
    pm::table
        .filter(pm::program_id.eq(program_id))
        .filter(pm::partner_id.eq(partner_id))
        .select(pm::tier)
        .first::<Option<String>>(conn)
        .await
        .optional()
        .map(Option::flatten)
}

/// Sets (or clears) the partner's tier; false when the partner isn't in the program.
pub async fn set_tier(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    tier: Option<&str>,
) -> QueryResult<bool> {
    diesel::update(
        pm::table
            .filter(pm::program_id.eq(program_id))
            .filter(pm::partner_id.eq(partner_id)),
    )
    .set(pm::tier.eq(tier))
    .execute(conn)
    .await
    .map(|n| n == 1)
}

/// The operators' tags on the partner's membership of the program; None when it isn't a member.
pub async fn tags(conn: &mut AsyncPgConnection, program_id: i64, partner_id: i64) -> QueryResult<Option<Vec<String>>> {
    pm::table
        .filter(pm::program_id.eq(program_id))
        .filter(pm::partner_id.eq(partner_id))
        .select(pm::tags)
        .first(conn)
        .await
        .optional()
}

pub async fn set_tags(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    tags: &[String],
) -> QueryResult<usize> {
    diesel::update(
        pm::table
            .filter(pm::program_id.eq(program_id))
            .filter(pm::partner_id.eq(partner_id)),
    )
    .set(pm::tags.eq(tags))
    .execute(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::repos::partners::{self, NewPartner};
    use crate::backend::repos::programs::{self as programs_repo, NewProgram};
    use crate::backend::testing::TestDb;

    #[tokio::test]
    async fn applications_list_filter_sort_and_page() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let brand = programs_repo::insert_brand(&mut conn, "B", "b").await.unwrap();
        let program = programs_repo::insert(
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
        let all = Scope::everything(&mut conn).await.unwrap();
        let now = OffsetDateTime::now_utc();
        for (i, name) in ["Zed 100%", "Amy", "Bob"].iter().enumerate() {
            let email = format!("p{i}@example.com");
            let partner = partners::insert(
                &mut conn,
                &NewPartner {
                    name,
                    email: &email,
                    kind: "affiliate",
                    country: "DE",
                    website: None,
                },
            )
            .await
            .unwrap();
            insert_application(
                &mut conn,
                partner.id,
                program.id,
                "plan",
                now + time::Duration::seconds(i as i64),
            )
            .await
            .unwrap();
        }
        let mut filter = ReviewFilter {
            status: Some("applied".into()),
            program_id: Some(program.id),
            search: None,
            sort: ReviewSort::Partner,
            page: 1,
            per_page: 2,
        };
        let page = list_for_review(&mut conn, &all, &filter).await.unwrap();
        assert_eq!(page.total, 3);
        let names: Vec<_> = page.rows.iter().map(|r| r.partner_name.as_str()).collect();
        assert_eq!(names, ["Amy", "Bob"]);
        filter.page = 2;
        assert_eq!(
            list_for_review(&mut conn, &all, &filter).await.unwrap().rows[0].partner_name,
            "Zed 100%"
        );

        filter.page = 1;
        filter.search = Some("%".into());
        assert_eq!(
            list_for_review(&mut conn, &all, &filter).await.unwrap().total,
            1,
            "% matches literally"
        );
        filter.search = None;
        filter.status = Some("active".into());
        assert_eq!(list_for_review(&mut conn, &all, &filter).await.unwrap().total, 0);
        assert_eq!(
            count_by_status(&mut conn).await.unwrap(),
            vec![("applied".to_owned(), 3)]
        );
    }

    #[tokio::test]
    async fn another_brands_memberships_are_neither_listed_nor_found() {
        use crate::backend::repos::testing_ledger::{other_brand, program_with_partners, scope_of};
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let (acme, _) = program_with_partners(&mut conn).await;
        let (globex, zed) = other_brand(&mut conn).await;
        let everything = Scope::everything(&mut conn).await.unwrap();
        let acme_only = scope_of(&mut conn, acme).await;
        let filter = ReviewFilter {
            status: None,
            program_id: None,
            search: None,
            sort: ReviewSort::Partner,
            page: 1,
            per_page: 20,
        };
        let names = |page: Page<ReviewRow>| page.rows.into_iter().map(|r| r.partner_name).collect::<Vec<_>>();
        assert_eq!(
            names(list_for_review(&mut conn, &everything, &filter).await.unwrap()),
            ["Ada Media", "Bob Deals", "Zed Systems"]
        );
        assert_eq!(
            names(list_for_review(&mut conn, &acme_only, &filter).await.unwrap()),
            ["Ada Media", "Bob Deals"]
        );
        let picked = ReviewFilter {
            program_id: Some(globex),
            ..filter
        };
        assert_eq!(list_for_review(&mut conn, &acme_only, &picked).await.unwrap().total, 0);

        let zeds = find(&mut conn, zed, globex).await.unwrap().unwrap().id;
        assert!(get_for_review(&mut conn, &everything, zeds).await.is_ok());
        assert!(matches!(
            get_for_review(&mut conn, &acme_only, zeds).await,
            Err(diesel::result::Error::NotFound)
        ));
        assert!(matches!(
            lock(&mut conn, &acme_only, zeds).await,
            Err(diesel::result::Error::NotFound)
        ));
    }
}

/// One of a partner's memberships, with its program and brand, for the whole relationship.
#[derive(Clone, Debug, Queryable)]
pub struct MembershipAcross {
    pub program_id: i64,
    pub program_name: String,
    pub brand_name: String,
    pub status: String,
    pub tier: Option<String>,
    pub applied_at: OffsetDateTime,
    pub approved_at: Option<OffsetDateTime>,
}

/// Every membership of the partner, in every brand, by brand and program name. Callers keep
/// only the programs in the operator's scope.
pub async fn across_programs(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<MembershipAcross>> {
    use crate::backend::schema::brands;
    pm::table
        .inner_join(programs::table.inner_join(brands::table))
        .filter(pm::partner_id.eq(partner_id))
        .order((brands::name, programs::name))
        .select((
            pm::program_id,
            programs::name,
            brands::name,
            pm::status,
            pm::tier,
            pm::applied_at,
            pm::approved_at,
        ))
        .load(conn)
        .await
}
