//! The commission ledger: entries (accruals, reversals, adjustments, overrides) and the
//! decisions on them. Both tables are append-only in the database. An entry's state is its
//! latest decision, or, for reversals and overrides, the latest decision on its source.

use crate::backend::schema::{commission_decisions, commissions};
use crate::backend::scope::Scope;
use crate::domain::commission::approval::State;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Nullable, Numeric, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use serde_json::Value;
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = commissions)]
pub struct EntryRow {
    pub id: i64,
    pub conversion_id: Option<i64>,
    pub program_id: i64,
    pub partner_id: i64,
    pub kind: String,
    pub amount: Decimal,
    pub currency: String,
    pub refund_id: Option<i64>,
    pub explanation: String,
    pub terms_version_id: Option<i64>,
    pub inputs: Option<Value>,
    pub source_id: Option<i64>,
    pub level: Option<i16>,
    /// An adjustment's reason and author.
    pub reason: Option<String>,
    pub created_by: Option<i64>,
    pub payable_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = commissions)]
pub struct NewEntry {
    pub conversion_id: Option<i64>,
    pub program_id: i64,
    pub partner_id: i64,
    pub kind: String,
    pub amount: Decimal,
    pub currency: String,
    pub refund_id: Option<i64>,
    pub explanation: String,
    pub terms_version_id: Option<i64>,
    pub inputs: Option<Value>,
    pub source_id: Option<i64>,
    pub level: Option<i16>,
    pub reason: Option<String>,
    pub created_by: Option<i64>,
    pub payable_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = commission_decisions)]
pub struct DecisionRow {
    pub id: i64,
    pub commission_id: i64,
    pub seq: i32,
    pub status: String,
    pub stage: Option<String>,
    pub actor_id: Option<i64>,
    pub reason: String,
    pub created_at: OffsetDateTime,
}

impl DecisionRow {
    pub fn state(&self) -> Option<State> {
        State::from_columns(&self.status, self.stage.as_deref())
    }
}

pub async fn insert(mut conn: &AsyncPgConnection, entry: &NewEntry) -> QueryResult<EntryRow> {
    diesel::insert_into(commissions::table)
        .values(entry)
        .returning(EntryRow::as_returning())
        .get_result(&mut conn)
        .await
}

/// An amount as the ledger stores it (`NUMERIC(14, 4)`): rounded half away from zero to four
/// places, and written with all four, so a sum kept in memory reads as a sum of stored rows does.
pub fn as_stored(amount: Decimal) -> Decimal {
    let mut stored = amount.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    stored.rescale(4);
    stored
}

/// Inserts entries in one statement (PostgreSQL doesn't promise to answer them in the order
/// given: match them by their columns).
pub async fn insert_many(mut conn: &AsyncPgConnection, entries: &[NewEntry]) -> QueryResult<Vec<EntryRow>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    diesel::insert_into(commissions::table)
        .values(entries)
        .returning(EntryRow::as_returning())
        .get_results(&mut conn)
        .await
}

/// The first decision on a new entry, made by the routing rules (no actor).
#[derive(Clone, Debug)]
pub struct FirstDecision {
    pub commission_id: i64,
    pub state: State,
    pub reason: String,
    pub at: OffsetDateTime,
}

/// Records the first decision on each of a batch's new entries, as [`decide`] does with `seq` 1.
pub async fn decide_first(mut conn: &AsyncPgConnection, decisions: &[FirstDecision]) -> QueryResult<()> {
    if decisions.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = decisions
        .iter()
        .map(|d| {
            let (status, stage) = d.state.columns();
            (
                commission_decisions::commission_id.eq(d.commission_id),
                commission_decisions::seq.eq(1),
                commission_decisions::status.eq(status),
                commission_decisions::stage.eq(stage),
                commission_decisions::actor_id.eq(None::<i64>),
                commission_decisions::reason.eq(d.reason.as_str()),
                commission_decisions::created_at.eq(d.at),
            )
        })
        .collect();
    diesel::insert_into(commission_decisions::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(&mut conn)
        .await
        .map(drop)
}

/// An entry of a program in the operator's scope; `None` for any other, as for a missing id.
pub async fn get_in_scope(conn: &mut AsyncPgConnection, scope: &Scope, id: i64) -> QueryResult<Option<EntryRow>> {
    commissions::table
        .find(id)
        .filter(commissions::program_id.eq_any(&scope.programs))
        .select(EntryRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Records a decision as number `seq`. `false` means someone else recorded decision `seq`
/// first: the caller decided on a state that no longer holds.
pub async fn decide(
    mut conn: &AsyncPgConnection,
    commission_id: i64,
    seq: i32,
    state: State,
    actor_id: Option<i64>,
    reason: &str,
    now: OffsetDateTime,
) -> QueryResult<bool> {
    let (status, stage) = state.columns();
    let inserted = diesel::insert_into(commission_decisions::table)
        .values((
            commission_decisions::commission_id.eq(commission_id),
            commission_decisions::seq.eq(seq),
            commission_decisions::status.eq(status),
            commission_decisions::stage.eq(stage),
            commission_decisions::actor_id.eq(actor_id),
            commission_decisions::reason.eq(reason),
            commission_decisions::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(&mut conn)
        .await?;
    Ok(inserted == 1)
}

/// Every decision on an entry, oldest first.
pub async fn decisions(conn: &mut AsyncPgConnection, commission_id: i64) -> QueryResult<Vec<DecisionRow>> {
    commission_decisions::table
        .filter(commission_decisions::commission_id.eq(commission_id))
        .order(commission_decisions::seq.asc())
        .select(DecisionRow::as_select())
        .load(conn)
        .await
}

/// The conversion's entries of one kind (accrual, overrides, reversals), oldest first.
pub async fn of_conversion(conn: &mut AsyncPgConnection, conversion_id: i64) -> QueryResult<Vec<EntryRow>> {
    commissions::table
        .filter(commissions::conversion_id.eq(conversion_id))
        .order(commissions::id.asc())
        .select(EntryRow::as_select())
        .load(conn)
        .await
}

/// The state of each entry, as SQL: the latest decision on the accrual at the root of its
/// chain (itself; the accrual a reversal or override comes from; or, for the reversal of an
/// override, the override's accrual). Used by the listing and balance queries below; `c` is the
/// commissions row.
pub const STATE_JOIN: &str = "
    LEFT JOIN LATERAL (
        SELECT d.status, d.stage, d.seq, d.created_at AS decided_at, d.actor_id
        FROM commission_decisions d
        WHERE d.commission_id = COALESCE(
            (SELECT s.source_id FROM commissions s WHERE s.id = c.source_id), c.source_id, c.id)
        ORDER BY d.seq DESC LIMIT 1
    ) st ON TRUE";

/// What an entry counts as at `$now` (bind 1), as SQL over `st` and `c`.
pub const STANDING: &str = "CASE
        WHEN st.status = 'approved' AND c.payable_at <= $1 THEN 'payable'
        WHEN st.status IS NULL THEN 'pending'
        ELSE st.status END";

#[derive(Clone, Debug, QueryableByName)]
pub struct BalanceRow {
    #[diesel(sql_type = Text)]
    pub standing: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = BigInt)]
    pub entries: i64,
}

/// A partner's balance by standing (pending, on hold, approved, payable, rejected), in
/// `programs` only when given.
pub async fn balances(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    programs: Option<&[i64]>,
    now: OffsetDateTime,
) -> QueryResult<Vec<BalanceRow>> {
    let sql = format!(
        "SELECT {STANDING} AS standing, c.currency, sum(c.amount) AS amount, count(*) AS entries
         FROM commissions c {STATE_JOIN}
         WHERE c.partner_id = $2 AND ($3::bigint[] IS NULL OR c.program_id = ANY($3))
         GROUP BY 1, 2 ORDER BY 1, 2"
    );
    diesel::sql_query(sql)
        .bind::<Timestamptz, _>(now)
        .bind::<BigInt, _>(partner_id)
        .bind::<Nullable<Array<BigInt>>, _>(programs)
        .load(conn)
        .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct LedgerLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub standing: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub stage: Option<String>,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Text)]
    pub program_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub order_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub event: Option<String>,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub sale_amount: Option<Decimal>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub terms_version: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    pub plan_name: Option<String>,
    #[diesel(sql_type = Text)]
    pub explanation: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub reason: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: OffsetDateTime,
    #[diesel(sql_type = Timestamptz)]
    pub payable_at: OffsetDateTime,
}

#[derive(Clone, Debug, Default)]
pub struct LedgerFilter {
    pub partner_id: i64,
    /// Only these programs' entries, when given.
    pub programs: Option<Vec<i64>>,
    pub standing: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

/// A partner's ledger, newest first, with the terms each entry was computed under.
pub async fn lines(
    conn: &mut AsyncPgConnection,
    filter: &LedgerFilter,
    now: OffsetDateTime,
) -> QueryResult<super::Page<LedgerLine>> {
    let from = format!(
        "FROM commissions c {STATE_JOIN}
         JOIN programs p ON p.id = c.program_id
         LEFT JOIN conversions v ON v.id = c.conversion_id
         LEFT JOIN partner_terms t ON t.id = COALESCE(c.terms_version_id,
             (SELECT s.terms_version_id FROM commissions s WHERE s.id = c.source_id))
         LEFT JOIN commission_plans cp ON cp.id = t.plan_id
         WHERE c.partner_id = $2 AND ($3::bigint[] IS NULL OR c.program_id = ANY($3))
           AND ($4::text IS NULL OR {STANDING} = $4)"
    );
    let (offset, limit) = super::page_window(filter.page, filter.per_page);
    let rows = diesel::sql_query(format!(
        "SELECT c.id, c.kind, {STANDING} AS standing, st.stage, c.amount, c.currency, p.name AS program_name,
                v.order_id, v.event, v.amount AS sale_amount, t.version AS terms_version, cp.name AS plan_name,
                c.explanation, c.reason, c.created_at, c.payable_at
         {from} ORDER BY c.created_at DESC, c.id DESC OFFSET $5 LIMIT $6"
    ))
    .bind::<Timestamptz, _>(now)
    .bind::<BigInt, _>(filter.partner_id)
    .bind::<Nullable<Array<BigInt>>, _>(filter.programs.as_deref())
    .bind::<Nullable<Text>, _>(filter.standing.clone())
    .bind::<BigInt, _>(offset)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?;
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        total: i64,
    }
    let total = diesel::sql_query(format!("SELECT count(*) AS total {from}"))
        .bind::<Timestamptz, _>(now)
        .bind::<BigInt, _>(filter.partner_id)
        .bind::<Nullable<Array<BigInt>>, _>(filter.programs.as_deref())
        .bind::<Nullable<Text>, _>(filter.standing.clone())
        .get_result::<Count>(conn)
        .await?
        .total;
    Ok(super::Page { rows, total })
}
