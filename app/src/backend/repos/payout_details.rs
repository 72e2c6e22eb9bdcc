//! Partners' payout methods and tax profiles. Each change inserts a new row and marks the one it
//! replaces, so the history stays; at most one row per partner and currency (methods) or per
//! partner (tax) is current, which a unique index enforces.

use crate::backend::schema::{
    payout_methods as pm, payout_settings, program_memberships, programs, tax_profiles as tp,
};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = pm)]
pub struct MethodRow {
    pub id: i64,
    pub partner_id: i64,
    pub currency: String,
    pub kind: String,
    pub account_holder: Option<String>,
    pub account_sealed: Option<Vec<u8>>,
    pub account_last4: Option<String>,
    pub bank_code: Option<String>,
    pub email: Option<String>,
    pub instructions: Option<String>,
    pub key_id: Option<String>,
    pub review_until: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = pm)]
pub struct NewMethod {
    pub partner_id: i64,
    pub currency: String,
    pub kind: String,
    pub account_holder: Option<String>,
    pub account_sealed: Option<Vec<u8>>,
    pub account_last4: Option<String>,
    pub bank_code: Option<String>,
    pub email: Option<String>,
    pub instructions: Option<String>,
    pub key_id: Option<String>,
    pub review_until: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub created_by: Option<i64>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = tp)]
pub struct TaxRow {
    pub id: i64,
    pub partner_id: i64,
    pub form: String,
    pub legal_name: String,
    pub entity_type: Option<String>,
    pub tin_sealed: Option<Vec<u8>>,
    pub tin_last4: Option<String>,
    pub address: String,
    pub country: String,
    pub treaty_article: Option<String>,
    pub vat_sealed: Option<Vec<u8>>,
    pub vat_last4: Option<String>,
    pub invoice_name: String,
    pub invoice_address: String,
    pub key_id: Option<String>,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = tp)]
pub struct NewTax {
    pub partner_id: i64,
    pub form: String,
    pub legal_name: String,
    pub entity_type: Option<String>,
    pub tin_sealed: Option<Vec<u8>>,
    pub tin_last4: Option<String>,
    pub address: String,
    pub country: String,
    pub treaty_article: Option<String>,
    pub vat_sealed: Option<Vec<u8>>,
    pub vat_last4: Option<String>,
    pub invoice_name: String,
    pub invoice_address: String,
    pub key_id: Option<String>,
    pub created_at: OffsetDateTime,
    pub created_by: Option<i64>,
}

/// The partner's current methods, by currency.
pub async fn methods(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<MethodRow>> {
    pm::table
        .filter(pm::partner_id.eq(partner_id))
        .filter(pm::replaced_at.is_null())
        .order(pm::currency.asc())
        .select(MethodRow::as_select())
        .load(conn)
        .await
}

/// Replaces the partner's method for the new row's currency (if any) with the new row, and
/// returns the one replaced. The caller holds the partner's lock.
pub async fn replace_method(conn: &mut AsyncPgConnection, new: &NewMethod) -> QueryResult<Option<MethodRow>> {
    let replaced = diesel::update(
        pm::table
            .filter(pm::partner_id.eq(new.partner_id))
            .filter(pm::currency.eq(&new.currency))
            .filter(pm::replaced_at.is_null()),
    )
    .set(pm::replaced_at.eq(new.created_at))
    .returning(MethodRow::as_returning())
    .get_result(conn)
    .await
    .optional()?;
    diesel::insert_into(pm::table).values(new).execute(conn).await?;
    Ok(replaced)
}

pub async fn tax_profile(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Option<TaxRow>> {
    tp::table
        .filter(tp::partner_id.eq(partner_id))
        .filter(tp::replaced_at.is_null())
        .select(TaxRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Replaces the partner's tax profile with the new row; returns the one replaced.
pub async fn replace_tax(conn: &mut AsyncPgConnection, new: &NewTax) -> QueryResult<Option<TaxRow>> {
    let replaced = diesel::update(
        tp::table
            .filter(tp::partner_id.eq(new.partner_id))
            .filter(tp::replaced_at.is_null()),
    )
    .set(tp::replaced_at.eq(new.created_at))
    .returning(TaxRow::as_returning())
    .get_result(conn)
    .await
    .optional()?;
    diesel::insert_into(tp::table).values(new).execute(conn).await?;
    Ok(replaced)
}

/// The review period of a program that hasn't set one.
pub const DEFAULT_REVIEW_DAYS: i32 = 7;

/// The currencies the partner's programs pay in (active or suspended memberships), and the
/// longest review period among them, in days.
pub async fn payout_terms(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<(Vec<String>, i32)> {
    let rows: Vec<(String, Option<i32>)> = program_memberships::table
        .inner_join(programs::table.left_join(payout_settings::table))
        .filter(program_memberships::partner_id.eq(partner_id))
        .filter(program_memberships::status.eq_any(["active", "suspended"]))
        .select((programs::currency, payout_settings::review_days.nullable()))
        .load(conn)
        .await?;
    let mut currencies: Vec<String> = rows.iter().map(|(c, _)| c.clone()).collect();
    currencies.sort();
    currencies.dedup();
    let review_days = rows
        .iter()
        .map(|(_, d)| d.unwrap_or(DEFAULT_REVIEW_DAYS))
        .max()
        .unwrap_or(DEFAULT_REVIEW_DAYS);
    Ok((currencies, review_days))
}

/// Every key id that sealed something, current or replaced, in order.
pub async fn key_ids(conn: &mut AsyncPgConnection) -> QueryResult<Vec<String>> {
    let methods = pm::table
        .filter(pm::key_id.is_not_null())
        .select(pm::key_id.assume_not_null());
    let tax = tp::table
        .filter(tp::key_id.is_not_null())
        .select(tp::key_id.assume_not_null());
    let mut ids: Vec<String> = methods.union(tax).load(conn).await?;
    ids.sort();
    Ok(ids)
}

/// Sealed method accounts, for re-sealing: (row id, partner id, sealed bytes).
pub async fn sealed_accounts(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(i64, i64, Vec<u8>)>> {
    pm::table
        .filter(pm::account_sealed.is_not_null())
        .select((pm::id, pm::partner_id, pm::account_sealed.assume_not_null()))
        .order(pm::id.asc())
        .for_update()
        .load(conn)
        .await
}

pub async fn reseal_account(conn: &mut AsyncPgConnection, id: i64, sealed: &[u8], key_id: &str) -> QueryResult<()> {
    diesel::update(pm::table.find(id))
        .set((pm::account_sealed.eq(sealed), pm::key_id.eq(key_id)))
        .execute(conn)
        .await
        .map(drop)
}

/// Sealed tax fields, for re-sealing: (row id, partner id, TIN, VAT id).
pub async fn sealed_tax(
    conn: &mut AsyncPgConnection,
) -> QueryResult<Vec<(i64, i64, Option<Vec<u8>>, Option<Vec<u8>>)>> {
    tp::table
        .filter(tp::key_id.is_not_null())
        .select((tp::id, tp::partner_id, tp::tin_sealed, tp::vat_sealed))
        .order(tp::id.asc())
        .for_update()
        .load(conn)
        .await
}

pub async fn reseal_tax(
    conn: &mut AsyncPgConnection,
    id: i64,
    tin: Option<&[u8]>,
    vat: Option<&[u8]>,
    key_id: &str,
) -> QueryResult<()> {
    diesel::update(tp::table.find(id))
        .set((tp::tin_sealed.eq(tin), tp::vat_sealed.eq(vat), tp::key_id.eq(key_id)))
        .execute(conn)
        .await
        .map(drop)
}
