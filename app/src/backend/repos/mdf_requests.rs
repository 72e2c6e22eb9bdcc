//! MDF requests and their claims. Partner-facing reads take the partner id from the session and
//! filter by it, so another partner's request looks like one that doesn't exist; console reads
//! take the operator's scope, so another brand's request doesn't exist either.

use super::{page_window, Page};
use crate::backend::schema::{mdf_claims as claims, mdf_funds as funds, mdf_requests as requests};
use crate::backend::scope::{Scope, Whose};
use crate::domain::mdf::balance::Request;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date as SqlDate, Integer, Nullable, Numeric, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = requests)]
pub struct RequestRow {
    pub id: i64,
    pub fund_id: i64,
    pub partner_id: i64,
    pub activity: String,
    pub description: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub amount: Decimal,
    pub expected_outcome: String,
    pub claim_deadline: OffsetDateTime,
    pub status: String,
    pub approved_amount: Option<Decimal>,
    pub decision_reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<OffsetDateTime>,
    pub submitted_at: OffsetDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = requests)]
pub struct NewRequest {
    pub fund_id: i64,
    pub partner_id: i64,
    pub activity: String,
    pub description: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub amount: Decimal,
    pub expected_outcome: String,
    pub claim_deadline: OffsetDateTime,
    pub submitted_at: OffsetDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = claims)]
pub struct ClaimRow {
    pub id: i64,
    pub request_id: i64,
    pub partner_id: i64,
    pub amount: Decimal,
    pub actual_cost: Decimal,
    pub leads: i32,
    pub attendees: i32,
    pub notes: Option<String>,
    pub status: String,
    pub approved_amount: Option<Decimal>,
    pub decision_reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<OffsetDateTime>,
    pub submitted_at: OffsetDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = claims)]
pub struct NewClaim {
    pub request_id: i64,
    pub partner_id: i64,
    pub amount: Decimal,
    pub actual_cost: Decimal,
    pub leads: i32,
    pub attendees: i32,
    pub notes: Option<String>,
    pub submitted_at: OffsetDateTime,
}

/// The request's state for the balance rules, given its open claim (if any).
pub fn state(request: &RequestRow, open_claim: Option<&ClaimRow>) -> Option<Request> {
    Request::from_columns(
        &request.status,
        request.amount,
        request.approved_amount,
        open_claim.map(|c| (c.amount, c.approved_amount)),
    )
}

pub async fn insert(conn: &mut AsyncPgConnection, request: &NewRequest) -> QueryResult<RequestRow> {
    diesel::insert_into(requests::table)
        .values(request)
        .returning(RequestRow::as_returning())
        .get_result(conn)
        .await
}

/// A request of a program in the operator's scope; another brand's is as missing as no request.
pub async fn get_in_scope(conn: &mut AsyncPgConnection, scope: &Scope, id: i64) -> QueryResult<Option<RequestRow>> {
    requests::table
        .find(id)
        .filter(
            requests::fund_id.eq_any(
                funds::table
                    .filter(funds::program_id.eq_any(&scope.programs))
                    .select(funds::id),
            ),
        )
        .select(RequestRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The partner's own request, or `None` (also when it is another partner's).
pub async fn get_for_partner(
    conn: &mut AsyncPgConnection,
    id: i64,
    partner_id: i64,
) -> QueryResult<Option<RequestRow>> {
    requests::table
        .find(id)
        .filter(requests::partner_id.eq(partner_id))
        .select(RequestRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The request, locked until the transaction ends, if it is `whose` (a partner's own, or of a
/// program in an operator's scope).
pub async fn lock(conn: &mut AsyncPgConnection, id: i64, whose: Whose<'_>) -> QueryResult<Option<RequestRow>> {
    // Two queries rather than a boxed one: diesel can't add FOR UPDATE to a boxed query.
    let request = requests::table.find(id);
    match whose {
        Whose::Partner(partner_id) => {
            request
                .filter(requests::partner_id.eq(partner_id))
                .for_update()
                .select(RequestRow::as_select())
                .first(conn)
                .await
        }
        Whose::Operator(scope) => {
            let funds_in_scope = funds::table
                .filter(funds::program_id.eq_any(&scope.programs))
                .select(funds::id);
            request
                .filter(requests::fund_id.eq_any(funds_in_scope))
                .for_update()
                .select(RequestRow::as_select())
                .first(conn)
                .await
        }
    }
    .optional()
}

/// Records an operator's decision: approved (with the amount) or declined (with the reason).
pub async fn decide(
    conn: &mut AsyncPgConnection,
    id: i64,
    status: &str,
    approved_amount: Option<Decimal>,
    reason: Option<&str>,
    by: Option<i64>,
    at: OffsetDateTime,
) -> QueryResult<()> {
    diesel::update(requests::table.find(id))
        .set((
            requests::status.eq(status),
            requests::approved_amount.eq(approved_amount),
            requests::decision_reason.eq(reason),
            requests::decided_by.eq(by),
            requests::decided_at.eq(at),
        ))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn set_status(conn: &mut AsyncPgConnection, id: i64, status: &str) -> QueryResult<()> {
    diesel::update(requests::table.find(id))
        .set(requests::status.eq(status))
        .execute(conn)
        .await
        .map(drop)
}

/// Every request of a partner in a fund with its open claim, for checking stored balances.
pub async fn states_in_fund(conn: &mut AsyncPgConnection, fund_id: i64, partner_id: i64) -> QueryResult<Vec<Request>> {
    let rows: Vec<RequestRow> = requests::table
        .filter(requests::fund_id.eq(fund_id))
        .filter(requests::partner_id.eq(partner_id))
        .select(RequestRow::as_select())
        .load(conn)
        .await?;
    let mut states = Vec::with_capacity(rows.len());
    for row in rows {
        let claim = open_claim(conn, row.id).await?;
        if let Some(s) = state(&row, claim.as_ref()) {
            states.push(s);
        }
    }
    Ok(states)
}

/// The pending requests of a fund, locked (the expiry job declines them).
pub async fn pending_in_fund(conn: &mut AsyncPgConnection, fund_id: i64) -> QueryResult<Vec<RequestRow>> {
    requests::table
        .filter(requests::fund_id.eq(fund_id))
        .filter(requests::status.eq("pending"))
        .order(requests::id.asc())
        .for_update()
        .select(RequestRow::as_select())
        .load(conn)
        .await
}

/// Approved requests whose claim deadline has passed, locked; other instances skip them.
pub async fn claim_due_lapses(
    conn: &mut AsyncPgConnection,
    now: OffsetDateTime,
    limit: i64,
) -> QueryResult<Vec<RequestRow>> {
    requests::table
        .filter(requests::status.eq("approved"))
        .filter(requests::claim_deadline.le(now))
        .order(requests::id.asc())
        .limit(limit)
        .for_update()
        .skip_locked()
        .select(RequestRow::as_select())
        .load(conn)
        .await
}

pub async fn insert_claim(conn: &mut AsyncPgConnection, claim: &NewClaim) -> QueryResult<ClaimRow> {
    diesel::insert_into(claims::table)
        .values(claim)
        .returning(ClaimRow::as_returning())
        .get_result(conn)
        .await
}

/// The claim waiting for review or approved, if there is one.
pub async fn open_claim(conn: &mut AsyncPgConnection, request_id: i64) -> QueryResult<Option<ClaimRow>> {
    claims::table
        .filter(claims::request_id.eq(request_id))
        .filter(claims::status.eq_any(["submitted", "approved"]))
        .select(ClaimRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Every claim of a request, newest first.
pub async fn claims_of(conn: &mut AsyncPgConnection, request_id: i64) -> QueryResult<Vec<ClaimRow>> {
    claims::table
        .filter(claims::request_id.eq(request_id))
        .order(claims::id.desc())
        .select(ClaimRow::as_select())
        .load(conn)
        .await
}

pub async fn decide_claim(
    conn: &mut AsyncPgConnection,
    id: i64,
    status: &str,
    approved_amount: Option<Decimal>,
    reason: Option<&str>,
    by: i64,
    at: OffsetDateTime,
) -> QueryResult<()> {
    diesel::update(claims::table.find(id))
        .set((
            claims::status.eq(status),
            claims::approved_amount.eq(approved_amount),
            claims::decision_reason.eq(reason),
            claims::decided_by.eq(by),
            claims::decided_at.eq(at),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// A request with what lists show beside it.
#[derive(Clone, Debug, QueryableByName)]
pub struct ListRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub partner_name: String,
    #[diesel(sql_type = Text)]
    pub program_name: String,
    #[diesel(sql_type = Text)]
    pub fund_name: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Text)]
    pub activity: String,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = SqlDate)]
    pub starts_on: Date,
    #[diesel(sql_type = SqlDate)]
    pub ends_on: Date,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub approved_amount: Option<Decimal>,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub claimed_amount: Option<Decimal>,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub payable_amount: Option<Decimal>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Timestamptz)]
    pub claim_deadline: OffsetDateTime,
    #[diesel(sql_type = Timestamptz)]
    pub submitted_at: OffsetDateTime,
    /// When the request (or its claim) started waiting.
    #[diesel(sql_type = Timestamptz)]
    pub waiting_since: OffsetDateTime,
    #[diesel(sql_type = Numeric)]
    pub available: Decimal,
    #[diesel(sql_type = Integer)]
    pub files: i32,
    /// Who approved or declined the request (its claim's approver must be someone else).
    #[diesel(sql_type = Nullable<BigInt>)]
    pub decided_by: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListSort {
    Newest,
    Oldest,
    Amount,
}

impl ListSort {
    pub fn parse(value: Option<&str>) -> Self {
        match value {
            Some("oldest") => Self::Oldest,
            Some("amount") => Self::Amount,
            _ => Self::Newest,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::Amount => "amount",
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            Self::Newest => "waiting_since DESC, r.id DESC",
            Self::Oldest => "waiting_since ASC, r.id ASC",
            Self::Amount => "r.amount DESC, r.id ASC",
        }
    }
}

/// Which requests a list shows: one partner's (the session's), or, over the programs of an
/// operator's scope, the queue of requests or claims waiting, or every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListScope<'a> {
    Partner(i64),
    WaitingRequests(&'a Scope),
    WaitingClaims(&'a Scope),
    All(&'a Scope),
}

const LIST_FROM: &str = "
    FROM mdf_requests r
    JOIN mdf_funds f ON f.id = r.fund_id
    JOIN programs pr ON pr.id = f.program_id
    JOIN partners pa ON pa.id = r.partner_id
    JOIN mdf_balances b ON b.fund_id = r.fund_id AND b.partner_id = r.partner_id
    LEFT JOIN mdf_claims c ON c.request_id = r.id AND c.status IN ('submitted', 'approved')
    WHERE ($1::bigint IS NULL OR r.partner_id = $1) AND ($2::text IS NULL OR r.status = $2)
      AND ($3::bigint[] IS NULL OR f.program_id = ANY($3))";

/// The partner, status and programs a list binds as `$1`, `$2` and `$3`.
fn scope_binds(scope: ListScope<'_>) -> (Option<i64>, Option<&'static str>, Option<Vec<i64>>) {
    match scope {
        ListScope::Partner(id) => (Some(id), None, None),
        ListScope::WaitingRequests(s) => (None, Some("pending"), Some(s.programs.clone())),
        ListScope::WaitingClaims(s) => (None, Some("claimed"), Some(s.programs.clone())),
        ListScope::All(s) => (None, None, Some(s.programs.clone())),
    }
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: ListScope<'_>,
    sort: ListSort,
    page: i64,
    per_page: i64,
) -> QueryResult<Page<ListRow>> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let (partner, status, programs) = scope_binds(scope);
    let total = diesel::sql_query(format!("SELECT count(*) AS n {LIST_FROM}"))
        .bind::<Nullable<BigInt>, _>(partner)
        .bind::<Nullable<Text>, _>(status)
        .bind::<Nullable<Array<BigInt>>, _>(&programs)
        .get_result::<Count>(conn)
        .await?
        .n;
    let (offset, limit) = page_window(page, per_page);
    let rows = diesel::sql_query(format!(
        "SELECT * FROM (SELECT r.id, pa.name AS partner_name, pr.name AS program_name, f.name AS fund_name,
                f.currency, r.activity, r.description, r.starts_on, r.ends_on, r.amount, r.approved_amount,
                c.amount AS claimed_amount, c.approved_amount AS payable_amount, r.status, r.claim_deadline,
                r.submitted_at, COALESCE(c.submitted_at, r.submitted_at) AS waiting_since, b.available,
                (SELECT count(*)::int FROM mdf_files fi WHERE fi.claim_id = c.id) AS files, r.decided_by
         {LIST_FROM}) r ORDER BY {} OFFSET $4 LIMIT $5",
        sort.order_by()
    ))
    .bind::<Nullable<BigInt>, _>(partner)
    .bind::<Nullable<Text>, _>(status)
    .bind::<Nullable<Array<BigInt>>, _>(&programs)
    .bind::<BigInt, _>(offset)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?;
    Ok(Page { rows, total })
}
