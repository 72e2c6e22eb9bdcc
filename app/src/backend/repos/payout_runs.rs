//! Payout runs, their items and the ledger entries each item pays. A run is made in set-based
//! statements so that a million entries never pass through the application: the payable
//! entries go into a temporary table, are summed per partner, brand and currency, and are
//! attached to the items in one `INSERT ... SELECT`. The partial unique indexes on
//! `payout_item_entries` refuse any entry that an unfailed item already holds.

use super::ledger::{STANDING, STATE_JOIN};
use crate::backend::schema::{brand_payout_settings as bps, payout_items as items, payout_runs as runs};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date as SqlDate, Integer, Nullable, Numeric, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

/// The minimum payout of a program without its own setting (the column's default).
pub const DEFAULT_MINIMUM: i64 = 50;

/// The advisory lock that makes runs one at a time: a second run waits for the first to commit
/// and then gathers only what is left.
const RUN_LOCK: i64 = 0x7472_6c73_7061_7931; // "trlspay1"

/// The unique indexes that keep an entry in at most one unfailed item.
pub const ONE_ITEM_PER_ENTRY: [&str; 2] = [
    "payout_item_entries_one_commission",
    "payout_item_entries_one_mdf_request",
];

#[derive(Clone, Debug, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = runs)]
pub struct RunRow {
    pub id: i64,
    pub brand_ids: Vec<i64>,
    pub as_of: Date,
    pub status: String,
    pub created_by: i64,
    pub created_at: OffsetDateTime,
    pub approved_by: Option<i64>,
    pub approved_at: Option<OffsetDateTime>,
    pub closed_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = items)]
pub struct ItemRow {
    pub id: i64,
    pub run_id: i64,
    pub partner_id: i64,
    pub brand_id: i64,
    pub currency: String,
    pub amount: Decimal,
    pub entries: i32,
    pub method_id: i64,
    pub reference: String,
    pub status: String,
    pub paid_on: Option<Date>,
    pub bank_reference: Option<String>,
    pub failure_reason: Option<String>,
    pub settled_at: Option<OffsetDateTime>,
    pub invoice_number: Option<String>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = bps)]
pub struct BrandSettingsRow {
    pub brand_id: i64,
    pub debtor_iban: Option<String>,
    pub debtor_bic: Option<String>,
    pub self_billing: bool,
    pub invoice_prefix: String,
    pub next_invoice_number: i64,
}

pub async fn lock_runs(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<BigInt, _>(RUN_LOCK)
        .execute(conn)
        .await
        .map(drop)
}

pub async fn insert_run(
    conn: &mut AsyncPgConnection,
    brand_ids: &[i64],
    as_of: Date,
    created_by: i64,
    now: OffsetDateTime,
) -> QueryResult<RunRow> {
    diesel::insert_into(runs::table)
        .values((
            runs::brand_ids.eq(brand_ids),
            runs::as_of.eq(as_of),
            runs::created_by.eq(created_by),
            runs::created_at.eq(now),
        ))
        .returning(RunRow::as_returning())
        .get_result(conn)
        .await
}

/// Puts every entry payable at `cutoff` in the brands, and not held by an unfailed item, into
/// the transaction's temporary table `payout_candidates`: commission ledger rows (accruals,
/// overrides, adjustments and reversals, so refunds after an earlier payment claw back), and
/// MDF requests whose claim was approved. Returns how many there are.
pub async fn gather(conn: &mut AsyncPgConnection, brand_ids: &[i64], cutoff: OffsetDateTime) -> QueryResult<usize> {
    let sql = format!(
        "CREATE TEMP TABLE payout_candidates ON COMMIT DROP AS
         SELECT c.id AS commission_id, NULL::bigint AS mdf_request_id, c.partner_id, p.brand_id,
                c.program_id, c.currency, c.amount
         FROM commissions c {STATE_JOIN}
         JOIN programs p ON p.id = c.program_id
         WHERE p.brand_id = ANY($2) AND {STANDING} = 'payable'
           AND NOT EXISTS (SELECT 1 FROM payout_item_entries e WHERE e.commission_id = c.id AND NOT e.released)
         UNION ALL
         SELECT NULL, r.id, r.partner_id, p.brand_id, f.program_id, f.currency, cl.approved_amount
         FROM mdf_requests r
         JOIN mdf_funds f ON f.id = r.fund_id
         JOIN programs p ON p.id = f.program_id
         JOIN mdf_claims cl ON cl.request_id = r.id AND cl.status = 'approved'
         WHERE r.status = 'payable' AND p.brand_id = ANY($2) AND cl.decided_at <= $1
           AND NOT EXISTS (SELECT 1 FROM payout_item_entries e WHERE e.mdf_request_id = r.id AND NOT e.released)"
    );
    diesel::sql_query(sql)
        .bind::<Timestamptz, _>(cutoff)
        .bind::<Array<BigInt>, _>(brand_ids)
        .execute(conn)
        .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct GroupRow {
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = BigInt)]
    pub brand_id: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = BigInt)]
    pub entries: i64,
    #[diesel(sql_type = Numeric)]
    pub minimum: Decimal,
}

/// The gathered entries summed per partner, brand and currency (consolidation: one payment
/// per brand, whatever the number of its programs), with the largest minimum among them.
pub async fn groups(conn: &mut AsyncPgConnection) -> QueryResult<Vec<GroupRow>> {
    diesel::sql_query(
        "SELECT c.partner_id, c.brand_id, c.currency, sum(c.amount) AS amount, count(*) AS entries,
                max(COALESCE(s.minimum_payout, $1)) AS minimum
         FROM payout_candidates c LEFT JOIN payout_settings s ON s.program_id = c.program_id
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    .bind::<Numeric, _>(Decimal::from(DEFAULT_MINIMUM))
    .load(conn)
    .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct PartnerFacts {
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub tax_form: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub review_until: Option<OffsetDateTime>,
}

/// Each partner's country, current tax form and the latest review period of its current
/// payout methods.
pub async fn partner_facts(conn: &mut AsyncPgConnection, partner_ids: &[i64]) -> QueryResult<Vec<PartnerFacts>> {
    diesel::sql_query(
        "SELECT p.id AS partner_id, p.country, t.form AS tax_form,
                (SELECT max(m.review_until) FROM payout_methods m
                 WHERE m.partner_id = p.id AND m.replaced_at IS NULL) AS review_until
         FROM partners p
         LEFT JOIN tax_profiles t ON t.partner_id = p.id AND t.replaced_at IS NULL
         WHERE p.id = ANY($1)",
    )
    .bind::<Array<BigInt>, _>(partner_ids)
    .load(conn)
    .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct CurrentMethod {
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub method_id: i64,
}

pub async fn current_methods(conn: &mut AsyncPgConnection, partner_ids: &[i64]) -> QueryResult<Vec<CurrentMethod>> {
    diesel::sql_query(
        "SELECT partner_id, currency, id AS method_id FROM payout_methods
         WHERE partner_id = ANY($1) AND replaced_at IS NULL",
    )
    .bind::<Array<BigInt>, _>(partner_ids)
    .load(conn)
    .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct Hold {
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = BigInt)]
    pub brand_id: i64,
    #[diesel(sql_type = Text)]
    pub why: String,
}

/// Partners flagged or suspended in a program of the brands: why, per partner and brand.
pub async fn holds(conn: &mut AsyncPgConnection, brand_ids: &[i64], partner_ids: &[i64]) -> QueryResult<Vec<Hold>> {
    diesel::sql_query(
        "SELECT m.partner_id, p.brand_id,
                string_agg(p.name || ': ' || COALESCE(m.flagged_reason,
                    'suspended' || COALESCE(' (' || m.status_reason || ')', '')), '; ' ORDER BY p.name) AS why
         FROM program_memberships m JOIN programs p ON p.id = m.program_id
         WHERE p.brand_id = ANY($1) AND m.partner_id = ANY($2)
           AND (m.flagged_reason IS NOT NULL OR m.status = 'suspended')
         GROUP BY 1, 2",
    )
    .bind::<Array<BigInt>, _>(brand_ids)
    .bind::<Array<BigInt>, _>(partner_ids)
    .load(conn)
    .await
}

/// The items to pay, column by column.
#[derive(Clone, Debug, Default)]
pub struct NewItems {
    pub partner_ids: Vec<i64>,
    pub brand_ids: Vec<i64>,
    pub currencies: Vec<String>,
    pub amounts: Vec<Decimal>,
    pub entries: Vec<i32>,
    pub method_ids: Vec<i64>,
    pub references: Vec<String>,
}

/// Inserts the items, then attaches the gathered entries to them.
pub async fn insert_items(conn: &mut AsyncPgConnection, run_id: i64, new: &NewItems) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO payout_items (run_id, partner_id, brand_id, currency, amount, entries, method_id, reference)
         SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::numeric[], $6::int[], $7::bigint[], $8::text[])",
    )
    .bind::<BigInt, _>(run_id)
    .bind::<Array<BigInt>, _>(&new.partner_ids)
    .bind::<Array<BigInt>, _>(&new.brand_ids)
    .bind::<Array<Text>, _>(&new.currencies)
    .bind::<Array<Numeric>, _>(&new.amounts)
    .bind::<Array<Integer>, _>(&new.entries)
    .bind::<Array<BigInt>, _>(&new.method_ids)
    .bind::<Array<Text>, _>(&new.references)
    .execute(conn)
    .await?;
    diesel::sql_query(
        "INSERT INTO payout_item_entries (item_id, program_id, commission_id, mdf_request_id, amount)
         SELECT i.id, c.program_id, c.commission_id, c.mdf_request_id, c.amount
         FROM payout_candidates c
         JOIN payout_items i ON i.run_id = $1 AND i.partner_id = c.partner_id
              AND i.brand_id = c.brand_id AND i.currency = c.currency",
    )
    .bind::<BigInt, _>(run_id)
    .execute(conn)
    .await
}

/// What the run held back, column by column.
#[derive(Clone, Debug, Default)]
pub struct NewSkips {
    pub partner_ids: Vec<i64>,
    pub brand_ids: Vec<i64>,
    pub currencies: Vec<String>,
    pub amounts: Vec<Decimal>,
    pub entries: Vec<i32>,
    pub reasons: Vec<String>,
    pub details: Vec<String>,
}

pub async fn insert_skips(conn: &mut AsyncPgConnection, run_id: i64, new: &NewSkips) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO payout_skips (run_id, partner_id, brand_id, currency, amount, entries, reason, detail)
         SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::numeric[], $6::int[], $7::text[], $8::text[])",
    )
    .bind::<BigInt, _>(run_id)
    .bind::<Array<BigInt>, _>(&new.partner_ids)
    .bind::<Array<BigInt>, _>(&new.brand_ids)
    .bind::<Array<Text>, _>(&new.currencies)
    .bind::<Array<Numeric>, _>(&new.amounts)
    .bind::<Array<Integer>, _>(&new.entries)
    .bind::<Array<Text>, _>(&new.reasons)
    .bind::<Array<Text>, _>(&new.details)
    .execute(conn)
    .await
}

/// A run whose brands are all in the scope; `None` otherwise, as for a missing id. With
/// `for_update` the row stays locked until the transaction ends.
pub async fn get_in_scope(
    conn: &mut AsyncPgConnection,
    brands: &[i64],
    id: i64,
    for_update: bool,
) -> QueryResult<Option<RunRow>> {
    let lock = if for_update { "FOR UPDATE" } else { "" };
    diesel::sql_query(format!(
        "SELECT id, brand_ids, as_of, status, created_by, created_at, approved_by, approved_at, closed_at
         FROM payout_runs WHERE id = $1 AND brand_ids <@ $2 {lock}"
    ))
    .bind::<BigInt, _>(id)
    .bind::<Array<BigInt>, _>(brands)
    .get_result(conn)
    .await
    .optional()
}

/// Approves a draft run; `false` when it isn't a draft any more (approved or discarded by
/// someone else first).
pub async fn approve(conn: &mut AsyncPgConnection, id: i64, approver: i64, now: OffsetDateTime) -> QueryResult<bool> {
    let changed = diesel::update(runs::table.find(id).filter(runs::status.eq("draft")))
        .set((
            runs::status.eq("approved"),
            runs::approved_by.eq(approver),
            runs::approved_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(changed == 1)
}

/// Closes a run as `to` ("complete" or "discarded") from `from`; `false` when it wasn't in
/// `from` any more.
pub async fn close(
    conn: &mut AsyncPgConnection,
    id: i64,
    from: &str,
    to: &str,
    now: OffsetDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(runs::table.find(id).filter(runs::status.eq(from)))
        .set((runs::status.eq(to), runs::closed_at.eq(now)))
        .execute(conn)
        .await?;
    Ok(changed == 1)
}

/// Releases every entry of a run's items (the run was discarded) or of one item (it failed):
/// they are back in the partner's balance.
pub async fn release_entries(conn: &mut AsyncPgConnection, run_id: i64, item_id: Option<i64>) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE payout_item_entries e SET released = TRUE
         FROM payout_items i
         WHERE e.item_id = i.id AND i.run_id = $1 AND ($2::bigint IS NULL OR i.id = $2) AND NOT e.released",
    )
    .bind::<BigInt, _>(run_id)
    .bind::<Nullable<BigInt>, _>(item_id)
    .execute(conn)
    .await
}

pub async fn items_of_run(conn: &mut AsyncPgConnection, run_id: i64) -> QueryResult<Vec<ItemRow>> {
    items::table
        .filter(items::run_id.eq(run_id))
        .order(items::id.asc())
        .select(ItemRow::as_select())
        .load(conn)
        .await
}

/// An item of a run, locked until the transaction ends.
pub async fn lock_item(conn: &mut AsyncPgConnection, run_id: i64, item_id: i64) -> QueryResult<Option<ItemRow>> {
    items::table
        .find(item_id)
        .filter(items::run_id.eq(run_id))
        .for_update()
        .select(ItemRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Records how an item was settled.
#[derive(Clone, Debug)]
pub enum Settled<'a> {
    Paid {
        paid_on: Date,
        bank_reference: &'a str,
        invoice_number: Option<String>,
    },
    Failed {
        reason: &'a str,
    },
}

pub async fn settle_item(
    conn: &mut AsyncPgConnection,
    item_id: i64,
    settled: &Settled<'_>,
    by: i64,
    now: OffsetDateTime,
) -> QueryResult<()> {
    let target = items::table.find(item_id).filter(items::status.eq("open"));
    let common = (items::settled_by.eq(by), items::settled_at.eq(now));
    match settled {
        Settled::Paid {
            paid_on,
            bank_reference,
            invoice_number,
        } => {
            diesel::update(target)
                .set((
                    items::status.eq("paid"),
                    items::paid_on.eq(paid_on),
                    items::bank_reference.eq(bank_reference),
                    items::invoice_number.eq(invoice_number),
                    common,
                ))
                .execute(conn)
                .await
        }
        Settled::Failed { reason } => {
            diesel::update(target)
                .set((items::status.eq("failed"), items::failure_reason.eq(reason), common))
                .execute(conn)
                .await
        }
    }
    .map(drop)
}

/// Whether every item of the run is paid or failed.
pub async fn all_settled(conn: &mut AsyncPgConnection, run_id: i64) -> QueryResult<bool> {
    let open: i64 = items::table
        .filter(items::run_id.eq(run_id))
        .filter(items::status.eq("open"))
        .count()
        .get_result(conn)
        .await?;
    Ok(open == 0)
}

/// The MDF requests an item pays.
pub async fn mdf_requests_of_item(conn: &mut AsyncPgConnection, item_id: i64) -> QueryResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        mdf_request_id: i64,
    }
    let rows: Vec<Id> = diesel::sql_query(
        "SELECT mdf_request_id FROM payout_item_entries WHERE item_id = $1 AND mdf_request_id IS NOT NULL ORDER BY 1",
    )
    .bind::<BigInt, _>(item_id)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.mdf_request_id).collect())
}

pub async fn brand_settings(conn: &mut AsyncPgConnection, brand_id: i64) -> QueryResult<Option<BrandSettingsRow>> {
    bps::table
        .find(brand_id)
        .select(BrandSettingsRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Takes the brand's next self-billing invoice number. The row stays locked until the
/// transaction ends, so concurrent settlements queue; a rollback gives the number back.
pub async fn take_invoice_number(conn: &mut AsyncPgConnection, brand_id: i64) -> QueryResult<String> {
    #[derive(QueryableByName)]
    struct Taken {
        #[diesel(sql_type = Text)]
        number: String,
    }
    let taken: Taken = diesel::sql_query(
        "UPDATE brand_payout_settings SET next_invoice_number = next_invoice_number + 1
         WHERE brand_id = $1
         RETURNING invoice_prefix || lpad((next_invoice_number - 1)::text, 6, '0') AS number",
    )
    .bind::<BigInt, _>(brand_id)
    .get_result(conn)
    .await?;
    Ok(taken.number)
}

/// Saves a brand's payout settings (debtor account and self-billing).
pub async fn save_brand_settings(
    conn: &mut AsyncPgConnection,
    brand_id: i64,
    (iban, bic): (Option<&str>, Option<&str>),
    self_billing: bool,
    invoice_prefix: &str,
) -> QueryResult<()> {
    diesel::insert_into(bps::table)
        .values((
            bps::brand_id.eq(brand_id),
            bps::debtor_iban.eq(iban),
            bps::debtor_bic.eq(bic),
            bps::self_billing.eq(self_billing),
            bps::invoice_prefix.eq(invoice_prefix),
        ))
        .on_conflict(bps::brand_id)
        .do_update()
        .set((
            bps::debtor_iban.eq(iban),
            bps::debtor_bic.eq(bic),
            bps::self_billing.eq(self_billing),
            bps::invoice_prefix.eq(invoice_prefix),
        ))
        .execute(conn)
        .await
        .map(drop)
}

#[derive(Clone, Debug, QueryableByName)]
pub struct RunLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = SqlDate)]
    pub as_of: Date,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Text)]
    pub brands: String,
    #[diesel(sql_type = Text)]
    pub created_by: String,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<Text>)]
    pub approved_by: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub items: i64,
    #[diesel(sql_type = BigInt)]
    pub skips: i64,
    /// "EUR 1,234.00 · USD 56.00"-ready totals: currency and sum, per currency.
    #[diesel(sql_type = Array<Text>)]
    pub currencies: Vec<String>,
    #[diesel(sql_type = Array<Numeric>)]
    pub totals: Vec<Decimal>,
}

const RUN_LINE: &str = "SELECT r.id, r.as_of, r.status,
        (SELECT string_agg(b.name, ', ' ORDER BY b.name) FROM brands b WHERE b.id = ANY(r.brand_ids)) AS brands,
        maker.display_name AS created_by, r.created_at, checker.display_name AS approved_by,
        (SELECT count(*) FROM payout_items i WHERE i.run_id = r.id) AS items,
        (SELECT count(*) FROM payout_skips s WHERE s.run_id = r.id) AS skips,
        COALESCE(t.currencies, '{}') AS currencies, COALESCE(t.totals, '{}') AS totals
    FROM payout_runs r
    JOIN users maker ON maker.id = r.created_by
    LEFT JOIN users checker ON checker.id = r.approved_by
    LEFT JOIN LATERAL (
        SELECT array_agg(currency ORDER BY currency) AS currencies, array_agg(total ORDER BY currency) AS totals
        FROM (SELECT currency, sum(amount) AS total FROM payout_items i WHERE i.run_id = r.id GROUP BY currency) s
    ) t ON TRUE";

/// The runs an operator may see (all their brands in its brands), newest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    brands: &[i64],
    page: i64,
    per_page: i64,
) -> QueryResult<super::Page<RunLine>> {
    let (offset, limit) = super::page_window(page, per_page);
    let rows = diesel::sql_query(format!(
        "{RUN_LINE} WHERE r.brand_ids <@ $1 ORDER BY r.id DESC OFFSET $2 LIMIT $3"
    ))
    .bind::<Array<BigInt>, _>(brands)
    .bind::<BigInt, _>(offset)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?;
    let total: i64 = runs::table
        .filter(diesel::dsl::sql::<Bool>("brand_ids <@ ").bind::<Array<BigInt>, _>(brands))
        .count()
        .get_result(conn)
        .await?;
    Ok(super::Page { rows, total })
}

#[derive(Clone, Debug, QueryableByName)]
pub struct ItemLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub partner_id: i64,
    #[diesel(sql_type = Text)]
    pub partner_name: String,
    #[diesel(sql_type = BigInt)]
    pub brand_id: i64,
    #[diesel(sql_type = Text)]
    pub brand_name: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = Integer)]
    pub entries: i32,
    #[diesel(sql_type = Text)]
    pub reference: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub account_holder: Option<String>,
    /// Sealed; only the SEPA file opens it.
    #[diesel(sql_type = Nullable<diesel::sql_types::Bytea>)]
    pub account_sealed: Option<Vec<u8>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub account_last4: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub bank_code: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub email: Option<String>,
    #[diesel(sql_type = Nullable<SqlDate>)]
    pub paid_on: Option<Date>,
    #[diesel(sql_type = Nullable<Text>)]
    pub bank_reference: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub failure_reason: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub invoice_number: Option<String>,
}

const ITEM_LINE: &str = "SELECT i.id, i.partner_id, p.name AS partner_name, i.brand_id, b.name AS brand_name,
        i.currency, i.amount, i.entries, i.reference, i.status, m.kind, m.account_holder, m.account_sealed,
        m.account_last4, m.bank_code,
        m.email, i.paid_on, i.bank_reference, i.failure_reason, i.invoice_number
    FROM payout_items i
    JOIN partners p ON p.id = i.partner_id
    JOIN brands b ON b.id = i.brand_id
    JOIN payout_methods m ON m.id = i.method_id";

/// Every item of a run, in order (the files read them).
pub async fn all_item_lines(conn: &mut AsyncPgConnection, run_id: i64) -> QueryResult<Vec<ItemLine>> {
    diesel::sql_query(format!("{ITEM_LINE} WHERE i.run_id = $1 ORDER BY i.id"))
        .bind::<BigInt, _>(run_id)
        .load(conn)
        .await
}

/// A run's items with their partner, brand and the method they are paid to, sorted by `sort`
/// ("partner", "amount" (largest first) or "status"), one page at a time.
pub async fn item_lines(
    conn: &mut AsyncPgConnection,
    run_id: i64,
    sort: &str,
    page: i64,
    per_page: i64,
) -> QueryResult<super::Page<ItemLine>> {
    let order = match sort {
        "amount" => "i.amount DESC, i.id",
        "status" => "i.status, i.id",
        _ => "p.name, i.id",
    };
    let (offset, limit) = super::page_window(page, per_page);
    let rows = diesel::sql_query(format!(
        "{ITEM_LINE} WHERE i.run_id = $1 ORDER BY {order} OFFSET $2 LIMIT $3"
    ))
    .bind::<BigInt, _>(run_id)
    .bind::<BigInt, _>(offset)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?;
    let total = items::table
        .filter(items::run_id.eq(run_id))
        .count()
        .get_result(conn)
        .await?;
    Ok(super::Page { rows, total })
}

/// A partner's payout items, newest first (the portal's history).
pub async fn items_of_partner(conn: &mut AsyncPgConnection, partner_id: i64, limit: i64) -> QueryResult<Vec<ItemLine>> {
    diesel::sql_query(format!(
        "{ITEM_LINE} JOIN payout_runs r ON r.id = i.run_id
         WHERE i.partner_id = $1 AND r.status <> 'discarded' ORDER BY i.id DESC LIMIT $2"
    ))
    .bind::<BigInt, _>(partner_id)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// One item, if `whose` may see it: the partner's own, or one of a brand in the operator's
/// scope.
pub async fn item_line(
    conn: &mut AsyncPgConnection,
    item_id: i64,
    partner_id: Option<i64>,
    brands: &[i64],
) -> QueryResult<Option<ItemLine>> {
    diesel::sql_query(format!(
        "{ITEM_LINE} WHERE i.id = $1 AND (i.partner_id = $2 OR ($2 IS NULL AND i.brand_id = ANY($3)))"
    ))
    .bind::<BigInt, _>(item_id)
    .bind::<Nullable<BigInt>, _>(partner_id)
    .bind::<Array<BigInt>, _>(brands)
    .get_result(conn)
    .await
    .optional()
}

#[derive(Clone, Debug, QueryableByName)]
pub struct SkipLine {
    #[diesel(sql_type = Text)]
    pub partner_name: String,
    #[diesel(sql_type = Text)]
    pub brand_name: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = Integer)]
    pub entries: i32,
    #[diesel(sql_type = Text)]
    pub reason: String,
    #[diesel(sql_type = Text)]
    pub detail: String,
}

const SKIP_LINE: &str =
    "SELECT p.name AS partner_name, b.name AS brand_name, s.currency, s.amount, s.entries, s.reason, s.detail
    FROM payout_skips s JOIN partners p ON p.id = s.partner_id JOIN brands b ON b.id = s.brand_id";

pub async fn skip_lines(conn: &mut AsyncPgConnection, run_id: i64) -> QueryResult<Vec<SkipLine>> {
    diesel::sql_query(format!("{SKIP_LINE} WHERE s.run_id = $1 ORDER BY s.reason, p.name"))
        .bind::<BigInt, _>(run_id)
        .load(conn)
        .await
}

/// Why the partner's balance was held back in the latest run that looked at it, if it was.
pub async fn latest_skip(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<SkipLine>> {
    diesel::sql_query(format!(
        "{SKIP_LINE}
         WHERE s.partner_id = $1
           AND s.run_id = (SELECT max(s2.run_id) FROM payout_skips s2 JOIN payout_runs r2 ON r2.id = s2.run_id
                           WHERE s2.partner_id = $1 AND r2.status <> 'discarded')
         ORDER BY b.name, s.currency"
    ))
    .bind::<BigInt, _>(partner_id)
    .load(conn)
    .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct BucketRow {
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Text)]
    pub bucket: String,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
}

/// The partner's money by where it stands at `now`: "pending" (not yet payable: waiting for a
/// decision, on hold or in its lock period), "payable", "in_run" (in an unsettled item) and
/// "paid", per currency, commissions and MDF claims together.
pub async fn buckets(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    now: OffsetDateTime,
) -> QueryResult<Vec<BucketRow>> {
    let sql = format!(
        "WITH held AS (
             SELECT pe.commission_id, pe.mdf_request_id, i.status
             FROM payout_item_entries pe JOIN payout_items i ON i.id = pe.item_id
             WHERE i.partner_id = $2 AND NOT pe.released
         ), lines AS (
             SELECT c.currency, c.amount,
                    CASE WHEN h.status = 'paid' THEN 'paid' WHEN h.status = 'open' THEN 'in_run'
                         ELSE {STANDING} END AS standing
             FROM commissions c {STATE_JOIN}
             LEFT JOIN held h ON h.commission_id = c.id
             WHERE c.partner_id = $2
             UNION ALL
             SELECT f.currency, cl.approved_amount,
                    CASE WHEN h.status = 'paid' OR r.status = 'paid' THEN 'paid' WHEN h.status = 'open' THEN 'in_run'
                         ELSE 'payable' END
             FROM mdf_requests r
             JOIN mdf_funds f ON f.id = r.fund_id
             JOIN mdf_claims cl ON cl.request_id = r.id AND cl.status = 'approved'
             LEFT JOIN held h ON h.mdf_request_id = r.id
             WHERE r.partner_id = $2 AND r.status IN ('payable', 'paid')
         )
         SELECT currency,
                CASE WHEN standing IN ('pending', 'on_hold', 'approved') THEN 'pending' ELSE standing END AS bucket,
                sum(amount) AS amount
         FROM lines WHERE standing <> 'rejected' GROUP BY 1, 2 ORDER BY 1, 2"
    );
    diesel::sql_query(sql)
        .bind::<Timestamptz, _>(now)
        .bind::<BigInt, _>(partner_id)
        .load(conn)
        .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct StatementLine {
    #[diesel(sql_type = Text)]
    pub program_name: String,
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    /// "commission", "reversal", "adjustment", "override" or "mdf".
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<Text>)]
    pub order_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub event: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub terms_version: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    pub plan_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub note: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub mdf_request_id: Option<i64>,
}

/// Every entry an item pays, by program, oldest first, with the conversion and terms version
/// it was computed under (a reversal or override shows its source's).
pub async fn statement_lines(conn: &mut AsyncPgConnection, item_id: i64) -> QueryResult<Vec<StatementLine>> {
    diesel::sql_query(
        "SELECT pr.name AS program_name, pe.amount,
                COALESCE(c.kind, 'mdf') AS kind,
                COALESCE(c.created_at, r.submitted_at) AS occurred_at,
                v.order_id, v.event, t.version AS terms_version, cp.name AS plan_name,
                COALESCE(c.reason, r.description) AS note, pe.mdf_request_id
         FROM payout_item_entries pe
         JOIN programs pr ON pr.id = pe.program_id
         LEFT JOIN commissions c ON c.id = pe.commission_id
         LEFT JOIN commissions s ON s.id = c.source_id
         LEFT JOIN conversions v ON v.id = COALESCE(c.conversion_id, s.conversion_id)
         LEFT JOIN partner_terms t ON t.id = COALESCE(c.terms_version_id, s.terms_version_id)
         LEFT JOIN commission_plans cp ON cp.id = t.plan_id
         LEFT JOIN mdf_requests r ON r.id = pe.mdf_request_id
         WHERE pe.item_id = $1 AND NOT pe.released
         ORDER BY pr.name, occurred_at, pe.commission_id, pe.mdf_request_id",
    )
    .bind::<BigInt, _>(item_id)
    .load(conn)
    .await
}

/// One run as the list shows it.
pub async fn list_one(conn: &mut AsyncPgConnection, run_id: i64) -> QueryResult<RunLine> {
    diesel::sql_query(format!("{RUN_LINE} WHERE r.id = $1"))
        .bind::<BigInt, _>(run_id)
        .get_result(conn)
        .await
}

/// The brands with open SEPA payments in the run: (id, name).
pub async fn sepa_brands(conn: &mut AsyncPgConnection, run_id: i64) -> QueryResult<Vec<(i64, String)>> {
    #[derive(QueryableByName)]
    struct Brand {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        name: String,
    }
    let rows: Vec<Brand> = diesel::sql_query(
        "SELECT DISTINCT b.id, b.name FROM payout_items i
         JOIN brands b ON b.id = i.brand_id JOIN payout_methods m ON m.id = i.method_id
         WHERE i.run_id = $1 AND m.kind = 'sepa' ORDER BY b.name",
    )
    .bind::<BigInt, _>(run_id)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|b| (b.id, b.name)).collect())
}

pub async fn run_of_item(conn: &mut AsyncPgConnection, item_id: i64) -> QueryResult<i64> {
    items::table.find(item_id).select(items::run_id).first(conn).await
}

/// Whether any run was ever made (the demo seeds one only on a fresh installation).
pub async fn any_run(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(runs::table.select(runs::id)))
        .get_result(conn)
        .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct YearEndLine {
    #[diesel(sql_type = Text)]
    pub partner_name: String,
    #[diesel(sql_type = Text)]
    pub legal_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub entity_type: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub tin_last4: Option<String>,
    #[diesel(sql_type = Text)]
    pub address: String,
    #[diesel(sql_type = Numeric)]
    pub paid: Decimal,
    #[diesel(sql_type = BigInt)]
    pub payments: i64,
}

/// For 1099-NEC preparation: US persons (a current W-9) paid at least `minimum` USD in payout
/// items paid during `year`, by the brands, largest first.
pub async fn year_end_1099(
    conn: &mut AsyncPgConnection,
    brands: &[i64],
    year: i32,
    minimum: Decimal,
) -> QueryResult<Vec<YearEndLine>> {
    diesel::sql_query(
        "SELECT p.name AS partner_name, t.legal_name, t.entity_type, t.tin_last4, t.address,
                sum(i.amount) AS paid, count(*) AS payments
         FROM payout_items i
         JOIN partners p ON p.id = i.partner_id
         JOIN tax_profiles t ON t.partner_id = i.partner_id AND t.replaced_at IS NULL AND t.form = 'w9'
         WHERE i.status = 'paid' AND i.currency = 'USD' AND i.brand_id = ANY($1)
           AND i.paid_on >= make_date($2, 1, 1) AND i.paid_on < make_date($2 + 1, 1, 1)
         GROUP BY p.id, p.name, t.legal_name, t.entity_type, t.tin_last4, t.address
         HAVING sum(i.amount) >= $3
         ORDER BY paid DESC, p.name",
    )
    .bind::<Array<BigInt>, _>(brands)
    .bind::<Integer, _>(year)
    .bind::<Numeric, _>(minimum)
    .load(conn)
    .await
}
