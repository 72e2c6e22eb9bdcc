//! Deal registrations. The partial unique index `deals_one_open_per_domain_idx` decides
//! conflicts: an insert that collides with an open registration for the same domain and program
//! inserts nothing, and the caller gets `Registered::Conflict` without learning whose it is.
//! Partner-facing reads take the partner id from the session and find only that partner's deals;
//! console reads take the operator's scope and find only the deals of its programs.

use crate::backend::schema::{commissions, deal_products, deals, partners, products, programs};
use crate::backend::scope::{Scope, Whose};
use crate::domain::deals::prospect::match_keys;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{Array, BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = deals)]
pub struct DealRow {
    pub id: i64,
    pub program_id: i64,
    pub partner_id: i64,
    pub company: String,
    pub domain: String,
    pub country: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_title: Option<String>,
    pub value: Decimal,
    pub currency: String,
    pub expected_close: Date,
    pub notes: Option<String>,
    pub status: String,
    pub stage: String,
    pub warnings: Vec<String>,
    pub protected_until: Option<OffsetDateTime>,
    pub submitted_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    pub decided_by: Option<i64>,
    pub decision_reason: Option<String>,
    pub closed_at: Option<OffsetDateTime>,
    pub conversion_id: Option<i64>,
    pub expiry_warned_at: Option<OffsetDateTime>,
    pub mdf_request_id: Option<i64>,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = deals)]
pub struct NewDeal {
    pub program_id: i64,
    pub partner_id: i64,
    pub company: String,
    pub domain: String,
    pub country: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_title: Option<String>,
    pub value: Decimal,
    pub currency: String,
    pub expected_close: Date,
    pub notes: Option<String>,
    pub warnings: Vec<String>,
    pub submitted_at: OffsetDateTime,
    pub mdf_request_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Registered {
    Created(i64),
    /// An open registration for this domain exists in the program.
    Conflict,
}

/// Registers the deal unless an open registration holds its domain. The insert runs in its own
/// transaction (a savepoint inside the caller's), so a conflict leaves the caller's usable.
pub async fn register(conn: &mut AsyncPgConnection, deal: &NewDeal) -> QueryResult<Registered> {
    let inserted = conn
        .transaction::<i64, DieselError, _>(async |conn| {
            diesel::insert_into(deals::table)
                .values((deal, deals::match_keys.eq(match_keys(&deal.domain, &deal.company))))
                .returning(deals::id)
                .get_result(conn)
                .await
        })
        .await;
    match inserted {
        Ok(id) => Ok(Registered::Created(id)),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
            if info.constraint_name() == Some("deals_one_open_per_domain_idx") =>
        {
            Ok(Registered::Conflict)
        }
        Err(other) => Err(other),
    }
}

/// A deal with the names the pages show.
#[derive(Clone, Debug)]
pub struct DealListing {
    pub deal: DealRow,
    pub program_name: String,
    pub partner_name: String,
    pub partner_kind: String,
    pub sla_hours: i32,
}

type ListingColumns = (
    diesel::dsl::AsSelect<DealRow, diesel::pg::Pg>,
    programs::name,
    partners::name,
    partners::kind,
    programs::deal_sla_hours,
);

fn listing_columns() -> ListingColumns {
    (
        DealRow::as_select(),
        programs::name,
        partners::name,
        partners::kind,
        programs::deal_sla_hours,
    )
}

fn to_listing(
    (deal, program_name, partner_name, partner_kind, sla_hours): (DealRow, String, String, String, i32),
) -> DealListing {
    DealListing {
        deal,
        program_name,
        partner_name,
        partner_kind,
        sla_hours,
    }
}

/// One deal with its names, if it is `whose` (a partner's own, or in an operator's programs).
async fn find(conn: &mut AsyncPgConnection, id: i64, whose: Whose<'_>) -> QueryResult<Option<DealListing>> {
    let mut query = deals::table
        .inner_join(programs::table.on(programs::id.eq(deals::program_id)))
        .inner_join(partners::table.on(partners::id.eq(deals::partner_id)))
        .filter(deals::id.eq(id))
        .into_boxed();
    if let Some(partner_id) = whose.partner() {
        query = query.filter(deals::partner_id.eq(partner_id));
    }
    if let Some(programs) = whose.programs() {
        query = query.filter(deals::program_id.eq_any(programs));
    }
    query
        .select(listing_columns())
        .first(conn)
        .await
        .optional()
        .map(|row| row.map(to_listing))
}

/// A deal of a program in the operator's scope; another brand's is as missing as no deal.
pub async fn get_in_scope(conn: &mut AsyncPgConnection, scope: &Scope, id: i64) -> QueryResult<Option<DealListing>> {
    find(conn, id, Whose::Operator(scope)).await
}

/// One of the partner's own deals; another partner's id finds nothing.
pub async fn get_for_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    id: i64,
) -> QueryResult<Option<DealListing>> {
    find(conn, id, Whose::Partner(partner_id)).await
}

/// Locks the deal row for a decision or a change, if it is `whose`.
pub async fn lock(conn: &mut AsyncPgConnection, id: i64, whose: Whose<'_>) -> QueryResult<Option<DealRow>> {
    // Two queries rather than a boxed one: diesel can't add FOR UPDATE to a boxed query.
    let deal = deals::table.filter(deals::id.eq(id));
    match whose {
        Whose::Partner(partner_id) => {
            deal.filter(deals::partner_id.eq(partner_id))
                .select(DealRow::as_select())
                .for_update()
                .first(conn)
                .await
        }
        Whose::Operator(scope) => {
            deal.filter(deals::program_id.eq_any(&scope.programs))
                .select(DealRow::as_select())
                .for_update()
                .first(conn)
                .await
        }
    }
    .optional()
}

/// The partner's deals (in one brand's programs when `brand` is set), newest first.
pub async fn list_for_partner(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    brand: Option<i64>,
) -> QueryResult<Vec<DealListing>> {
    let mut query = deals::table
        .inner_join(programs::table.on(programs::id.eq(deals::program_id)))
        .inner_join(partners::table.on(partners::id.eq(deals::partner_id)))
        .filter(deals::partner_id.eq(partner_id))
        .into_boxed();
    if let Some(brand) = brand {
        query = query.filter(programs::brand_id.eq(brand));
    }
    query
        .order((deals::submitted_at.desc(), deals::id.desc()))
        .select(listing_columns())
        .load(conn)
        .await
        .map(|rows| rows.into_iter().map(to_listing).collect())
}

/// Filters of the console's deal list.
#[derive(Clone, Debug, Default)]
pub struct DealFilter {
    pub statuses: Vec<String>,
    pub program_id: Option<i64>,
    /// Company, domain or partner name contains this.
    pub search: Option<String>,
    /// "oldest" (default for the review queue), "newest", "value", "close".
    pub sort: String,
    pub page: i64,
    pub per_page: i64,
}

/// The console's list: deals of the programs in the operator's scope.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    filter: &DealFilter,
) -> QueryResult<super::Page<DealListing>> {
    let query = || {
        let mut q = deals::table
            .inner_join(programs::table.on(programs::id.eq(deals::program_id)))
            .inner_join(partners::table.on(partners::id.eq(deals::partner_id)))
            .filter(deals::program_id.eq_any(&scope.programs))
            .into_boxed();
        if !filter.statuses.is_empty() {
            q = q.filter(deals::status.eq_any(filter.statuses.clone()));
        }
        if let Some(program_id) = filter.program_id {
            q = q.filter(deals::program_id.eq(program_id));
        }
        if let Some(text) = filter.search.as_deref().filter(|t| !t.is_empty()) {
            let pattern = super::like_pattern(text);
            q = q.filter(
                deals::company
                    .ilike(pattern.clone())
                    .or(deals::domain.ilike(pattern.clone()))
                    .or(partners::name.ilike(pattern)),
            );
        }
        q
    };
    let total = query().count().get_result(conn).await?;
    let (offset, limit) = super::page_window(filter.page, filter.per_page);
    let ordered = match filter.sort.as_str() {
        "newest" => query().order((deals::submitted_at.desc(), deals::id.desc())),
        "value" => query().order((deals::value.desc(), deals::id.asc())),
        "close" => query().order((deals::expected_close.asc(), deals::id.asc())),
        _ => query().order((deals::submitted_at.asc(), deals::id.asc())),
    };
    let rows = ordered
        .select(listing_columns())
        .offset(offset)
        .limit(limit)
        .load(conn)
        .await?;
    Ok(super::Page {
        rows: rows.into_iter().map(to_listing).collect(),
        total,
    })
}

/// Counts per status of the deals in the operator's scope, for the queue's tabs.
pub async fn count_by_status(conn: &mut AsyncPgConnection, scope: &Scope) -> QueryResult<Vec<(String, i64)>> {
    deals::table
        .filter(deals::program_id.eq_any(&scope.programs))
        .group_by(deals::status)
        .select((deals::status, diesel::dsl::count_star()))
        .load(conn)
        .await
}

/// Open registrations of the program, other than `except`, that share a match key with `keys`,
/// as (domain, company) in id order: the candidates for near-match warnings. At most 200: when a
/// key is common (many domains under one provider's name), which 200 is left to the database, so
/// that the read stops early instead of sorting them all.
pub async fn open_prospects_sharing(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    keys: &[String],
    except: Option<i64>,
) -> QueryResult<Vec<(String, String)>> {
    #[derive(QueryableByName)]
    struct Prospect {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        domain: String,
        #[diesel(sql_type = Text)]
        company: String,
    }
    // The status list is written out (not bound) so the planner can use the partial GIN index.
    // The match is planned apart from the LIMIT (a materialized CTE, read lazily): planned
    // together, the planner overestimated the matches and chose to scan the table for the first
    // 200 (or, with ORDER BY id, to walk the primary key), 90 to 250 ms at 100,000 open deals
    // where the index takes 1 ms.
    let mut rows: Vec<Prospect> = diesel::sql_query(
        "WITH candidates AS MATERIALIZED (
             SELECT id, domain, company FROM deals
             WHERE program_id = $1 AND status IN ('pending', 'approved') AND match_keys && $2 AND id <> $3)
         SELECT id, domain, company FROM candidates LIMIT 200",
    )
    .bind::<BigInt, _>(program_id)
    .bind::<Array<Text>, _>(keys)
    .bind::<BigInt, _>(except.unwrap_or(0))
    .load(conn)
    .await?;
    rows.sort_by_key(|p| p.id);
    Ok(rows.into_iter().map(|p| (p.domain, p.company)).collect())
}

/// Fills in the match keys of deals stored without them (before the keys existed, or by a bulk
/// load), a thousand at a time; returns how many it filled.
pub async fn fill_match_keys(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    let mut filled = 0;
    loop {
        let batch: Vec<(i64, String, String)> = deals::table
            .filter(deals::match_keys.is_null())
            .select((deals::id, deals::domain, deals::company))
            .order(deals::id.asc())
            .limit(1_000)
            .load(conn)
            .await?;
        if batch.is_empty() {
            return Ok(filled);
        }
        let ids: Vec<i64> = batch.iter().map(|(id, _, _)| *id).collect();
        // One text per deal, its keys joined by newlines (keys never hold one), split in SQL.
        let keys: Vec<String> = batch
            .iter()
            .map(|(_, domain, company)| match_keys(domain, company).join("\n"))
            .collect();
        diesel::sql_query(
            "UPDATE deals d SET match_keys = string_to_array(k.keys, E'\\n')
             FROM unnest($1::bigint[], $2::text[]) AS k (id, keys) WHERE d.id = k.id",
        )
        .bind::<Array<BigInt>, _>(&ids)
        .bind::<Array<Text>, _>(&keys)
        .execute(conn)
        .await?;
        filled += batch.len();
    }
}

pub async fn add_products(conn: &mut AsyncPgConnection, deal_id: i64, product_ids: &[i64]) -> QueryResult<()> {
    let rows: Vec<_> = product_ids
        .iter()
        .map(|id| (deal_products::deal_id.eq(deal_id), deal_products::product_id.eq(*id)))
        .collect();
    diesel::insert_into(deal_products::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn product_names(conn: &mut AsyncPgConnection, deal_id: i64) -> QueryResult<Vec<String>> {
    deal_products::table
        .inner_join(products::table.on(products::id.eq(deal_products::product_id)))
        .filter(deal_products::deal_id.eq(deal_id))
        .order(products::name.asc())
        .select(products::name)
        .load(conn)
        .await
}

/// Records a manager's decision on a pending registration.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    id: i64,
    status: &str,
    protected_until: Option<OffsetDateTime>,
    by: i64,
    reason: Option<&str>,
    now: OffsetDateTime,
) -> QueryResult<()> {
    diesel::update(
        deals::table
            .filter(deals::id.eq(id))
            .filter(deals::status.eq("pending")),
    )
    .set((
        deals::status.eq(status),
        deals::protected_until.eq(protected_until),
        deals::decided_at.eq(now),
        deals::decided_by.eq(by),
        deals::decision_reason.eq(reason),
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// Where a deal moves: its stage, value and close date, and when won or lost, the status it
/// closes into (a won deal also its conversion).
#[derive(Clone, Debug, AsChangeset)]
#[diesel(table_name = deals, treat_none_as_null = true)]
pub struct Progress<'a> {
    pub status: &'a str,
    pub stage: &'a str,
    pub value: Decimal,
    pub expected_close: Date,
    pub closed_at: Option<OffsetDateTime>,
    pub conversion_id: Option<i64>,
}

pub async fn set_progress(conn: &mut AsyncPgConnection, id: i64, progress: &Progress<'_>) -> QueryResult<()> {
    diesel::update(deals::table.filter(deals::id.eq(id)))
        .set(progress)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves the end of protection (an approved extension); the expiry warning is due again.
pub async fn extend_protection(conn: &mut AsyncPgConnection, id: i64, until: OffsetDateTime) -> QueryResult<()> {
    diesel::update(deals::table.filter(deals::id.eq(id)))
        .set((
            deals::protected_until.eq(until),
            deals::expiry_warned_at.eq(None::<OffsetDateTime>),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Approved deals whose protection ended, locked (skipping rows another instance holds).
pub async fn due_for_expiry(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> QueryResult<Vec<DealRow>> {
    deals::table
        .filter(deals::status.eq("approved"))
        .filter(deals::protected_until.le(now))
        .order(deals::protected_until.asc())
        .select(DealRow::as_select())
        .for_update()
        .skip_locked()
        .load(conn)
        .await
}

pub async fn expire(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<()> {
    diesel::update(
        deals::table
            .filter(deals::id.eq(id))
            .filter(deals::status.eq("approved")),
    )
    .set(deals::status.eq("expired"))
    .execute(conn)
    .await?;
    Ok(())
}

/// Approved deals whose protection ends within `warn_days` and whose partner wasn't warned.
pub async fn due_for_warning(
    conn: &mut AsyncPgConnection,
    now: OffsetDateTime,
    warn_days: i64,
) -> QueryResult<Vec<DealRow>> {
    deals::table
        .filter(deals::status.eq("approved"))
        .filter(deals::protected_until.gt(now))
        .filter(deals::protected_until.le(now + time::Duration::days(warn_days)))
        .filter(deals::expiry_warned_at.is_null())
        .select(DealRow::as_select())
        .for_update()
        .skip_locked()
        .load(conn)
        .await
}

pub async fn mark_warned(conn: &mut AsyncPgConnection, id: i64, now: OffsetDateTime) -> QueryResult<()> {
    diesel::update(deals::table.filter(deals::id.eq(id)))
        .set(deals::expiry_warned_at.eq(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// A registration waiting past its program's SLA.
#[derive(Clone, Debug, Queryable)]
pub struct Overdue {
    pub id: i64,
    pub program_id: i64,
    pub company: String,
    pub domain: String,
    pub submitted_at: OffsetDateTime,
    pub program_name: String,
    pub sla_hours: i32,
    pub reminded: bool,
    pub escalated: bool,
}

pub async fn overdue(conn: &mut AsyncPgConnection, now: OffsetDateTime) -> QueryResult<Vec<Overdue>> {
    let waiting: Vec<Overdue> = deals::table
        .inner_join(programs::table.on(programs::id.eq(deals::program_id)))
        .filter(deals::status.eq("pending"))
        .order(deals::submitted_at.asc())
        .select((
            deals::id,
            deals::program_id,
            deals::company,
            deals::domain,
            deals::submitted_at,
            programs::name,
            programs::deal_sla_hours,
            deals::reminded_at.is_not_null(),
            deals::escalated_at.is_not_null(),
        ))
        .load(conn)
        .await?;
    Ok(waiting
        .into_iter()
        .filter(|d| d.submitted_at + time::Duration::hours(d.sla_hours.into()) <= now)
        .collect())
}

/// Records that a reminder (or an escalation) went out; false when another run recorded it first.
pub async fn mark_chased(
    conn: &mut AsyncPgConnection,
    id: i64,
    escalation: bool,
    now: OffsetDateTime,
) -> QueryResult<bool> {
    let target = deals::table
        .filter(deals::id.eq(id))
        .filter(deals::status.eq("pending"));
    let changed = if escalation {
        diesel::update(target.filter(deals::escalated_at.is_null()))
            .set(deals::escalated_at.eq(now))
            .execute(conn)
            .await?
    } else {
        diesel::update(target.filter(deals::reminded_at.is_null()))
            .set(deals::reminded_at.eq(now))
            .execute(conn)
            .await?
    };
    Ok(changed == 1)
}

/// The commission a won deal's conversion accrued.
pub async fn commission_of(conn: &mut AsyncPgConnection, conversion_id: i64) -> QueryResult<Option<Decimal>> {
    commissions::table
        .filter(commissions::conversion_id.eq(conversion_id))
        .filter(commissions::kind.eq("commission"))
        .select(commissions::amount)
        .first(conn)
        .await
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;
    use diesel::sql_types::BigInt;

    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    async fn number(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
        diesel::sql_query(sql).get_result::<N>(conn).await.unwrap().n
    }

    fn deal(program_id: i64, partner_id: i64, domain: &str) -> NewDeal {
        NewDeal {
            program_id,
            partner_id,
            company: "Acme".into(),
            domain: domain.into(),
            country: "DE".into(),
            contact_name: "Eve".into(),
            contact_email: "eve@acme.com".into(),
            contact_title: None,
            value: Decimal::from(10_000),
            currency: "EUR".into(),
            expected_close: time::macros::date!(2027 - 03 - 31),
            notes: None,
            warnings: vec![],
            submitted_at: OffsetDateTime::now_utc(),
            mdf_request_id: None,
        }
    }

    /// Of 100 concurrent registrations of one account by different partners, exactly one wins;
    /// once it is no longer open (rejected), the account can be registered again.
    #[tokio::test]
    async fn near_match_candidates_come_from_open_deals_sharing_a_key_and_old_deals_get_keys() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        diesel::sql_query(
            "WITH b AS (INSERT INTO brands (name, slug) VALUES ('Acme', 'acme') RETURNING id)
             INSERT INTO programs (brand_id, name, slug, currency, terms)
             SELECT id, 'R' || i, 'r' || i, 'EUR', 't' FROM b, generate_series(1, 2) i",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        let program = number(&mut conn, "SELECT id AS n FROM programs WHERE slug = 'r1'").await;
        let other_program = number(&mut conn, "SELECT id AS n FROM programs WHERE slug = 'r2'").await;
        let partner = number(
            &mut conn,
            &format!(
                "WITH p AS (INSERT INTO partners (name, email, kind, country) VALUES ('P', 'p@x.test', 'reseller', 'DE') RETURNING id)
                 INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
                 SELECT p.id, g, 'active', 'resale', now() FROM p, unnest(ARRAY[{program}, {other_program}]) g RETURNING partner_id AS n"
            ),
        )
        .await;
        let named = |program: i64, domain: &str, company: &str| NewDeal {
            company: company.into(),
            ..deal(program, partner, domain)
        };
        for new in [
            named(program, "globex.com", "Globex"),
            named(program, "globex.co.uk", "Globex UK"),
            named(program, "initech.com", "Initech"),
            named(program, "closed.com", "Globexx"),
            named(other_program, "globexx.de", "Globexx"),
        ] {
            register(&mut conn, &new).await.unwrap();
        }
        diesel::sql_query("UPDATE deals SET status = 'rejected', decided_at = now() WHERE domain = 'closed.com'")
            .execute(&mut conn)
            .await
            .unwrap();
        // Same stem as two open deals, and one letter from the closed and the other program's.
        let keys = match_keys("globex.de", "Globex GmbH");
        let found = open_prospects_sharing(&mut conn, program, &keys, None).await.unwrap();
        assert_eq!(
            found,
            [("globex.com".to_owned(), "Globex".to_owned()), ("globex.co.uk".to_owned(), "Globex UK".to_owned())],
            "open deals of this program under another ending; not the closed one, another program's or an unrelated one"
        );
        let globex = number(&mut conn, "SELECT id AS n FROM deals WHERE domain = 'globex.com'").await;
        let found = open_prospects_sharing(&mut conn, program, &keys, Some(globex))
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "the deal itself is left out");

        // Deals stored before the keys existed (or bulk-loaded) get them from fill_match_keys.
        diesel::sql_query("UPDATE deals SET match_keys = NULL")
            .execute(&mut conn)
            .await
            .unwrap();
        assert!(open_prospects_sharing(&mut conn, program, &keys, None)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(fill_match_keys(&mut conn).await.unwrap(), 5);
        assert_eq!(fill_match_keys(&mut conn).await.unwrap(), 0, "nothing left to fill");
        assert_eq!(
            open_prospects_sharing(&mut conn, program, &keys, None)
                .await
                .unwrap()
                .len(),
            2
        );
        let stored: Vec<String> = deals::table
            .filter(deals::domain.eq("initech.com"))
            .select(deals::match_keys.assume_not_null())
            .first(&mut conn)
            .await
            .unwrap();
        assert_eq!(
            stored,
            match_keys("initech.com", "Initech"),
            "filled keys are the ones registration stores"
        );
    }

    #[tokio::test]
    async fn exactly_one_of_a_hundred_concurrent_registrations_wins() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let program = number(
            &mut conn,
            "WITH b AS (INSERT INTO brands (name, slug) VALUES ('Acme', 'acme') RETURNING id)
             INSERT INTO programs (brand_id, name, slug, currency, terms) SELECT id, 'Resellers', 'resellers', 'EUR', 't' FROM b RETURNING id AS n",
        )
        .await;
        diesel::sql_query(format!(
            "WITH p AS (INSERT INTO partners (name, email, kind, country)
                        SELECT 'P' || i, 'p' || i || '@x.test', 'reseller', 'DE' FROM generate_series(1, 100) i RETURNING id)
             INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
             SELECT id, {program}, 'active', 'resale', now() FROM p"
        ))
        .execute(&mut conn)
        .await
        .unwrap();
        let partners: Vec<i64> = crate::backend::repos::memberships::active_partner_ids(&mut conn, program)
            .await
            .unwrap();
        assert_eq!(partners.len(), 100);
        let first = partners[0];
        let mut tasks = Vec::new();
        for partner in partners {
            let pool = db.pool();
            tasks.push(tokio::spawn(async move {
                let mut conn = pool.get().await.unwrap();
                register(&mut conn, &deal(program, partner, "acme.com")).await.unwrap()
            }));
        }
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.unwrap());
        }
        let winners: Vec<_> = outcomes
            .iter()
            .filter(|o| matches!(o, Registered::Created(_)))
            .collect();
        assert_eq!(winners.len(), 1, "{outcomes:?}");
        assert_eq!(number(&mut conn, "SELECT count(*) AS n FROM deals").await, 1);
        // A conflict inside a caller's transaction leaves that transaction usable.
        let inside = conn
            .transaction::<_, DieselError, _>(async |conn| {
                let outcome = register(conn, &deal(program, first, "acme.com")).await?;
                let count = number(conn, "SELECT count(*) AS n FROM deals").await;
                Ok((outcome, count))
            })
            .await
            .unwrap();
        assert_eq!(inside, (Registered::Conflict, 1));
        diesel::sql_query("UPDATE deals SET status = 'rejected'")
            .execute(&mut conn)
            .await
            .unwrap();
        let again = register(&mut conn, &deal(program, first, "acme.com")).await.unwrap();
        assert!(
            matches!(again, Registered::Created(_)),
            "a rejected registration no longer holds the account"
        );
        let other = register(&mut conn, &deal(program, first, "acme.co.uk")).await.unwrap();
        assert!(
            matches!(other, Registered::Created(_)),
            "a near match is a warning, not a conflict"
        );
    }
}
