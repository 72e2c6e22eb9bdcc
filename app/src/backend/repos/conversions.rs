//! Conversions, their commissions and refunds, and lifetime customer bindings. Money rows are
//! only ever inserted.

use crate::backend::schema::{conversions, customer_bindings, partners, refunds};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use serde_json::Value;
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = conversions)]
pub struct ConversionRow {
    pub id: i64,
    pub program_id: i64,
    pub order_id: String,
    pub event: String,
    pub amount: Option<Decimal>,
    pub currency: Option<String>,
    pub click_id: Option<String>,
    pub coupon: Option<String>,
    pub customer_id: Option<String>,
    pub customer_email: Option<String>,
    pub occurred_at: OffsetDateTime,
    pub received_at: OffsetDateTime,
    pub partner_id: Option<i64>,
    pub link_id: Option<i64>,
    pub attribution: String,
    pub attribution_note: Option<String>,
    pub request: Value,
    pub deductions: Decimal,
    pub country: Option<String>,
    /// The attributed click's sub1, kept so rollups outlive the click's month.
    pub sub1: Option<String>,
    /// The attributed click's creative, kept for the same reason.
    pub creative_id: Option<i64>,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = conversions)]
pub struct NewConversion {
    pub program_id: i64,
    pub order_id: String,
    pub event: String,
    pub amount: Option<Decimal>,
    pub currency: Option<String>,
    pub click_id: Option<String>,
    pub coupon: Option<String>,
    pub customer_id: Option<String>,
    pub customer_email: Option<String>,
    pub occurred_at: OffsetDateTime,
    pub received_at: OffsetDateTime,
    pub metadata: Option<Value>,
    pub partner_id: Option<i64>,
    pub link_id: Option<i64>,
    pub attribution: String,
    pub attribution_note: Option<String>,
    pub request: Value,
    pub deductions: Decimal,
    pub country: Option<String>,
    /// The attributed click's sub1, kept so rollups outlive the click's month.
    pub sub1: Option<String>,
    /// The attributed click's creative, kept for the same reason.
    pub creative_id: Option<i64>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = refunds)]
pub struct RefundRow {
    pub id: i64,
    pub conversion_id: i64,
    pub refund_id: String,
    pub amount: Decimal,
    pub reason: Option<String>,
    pub created_at: OffsetDateTime,
}

/// Inserts unless the order is already known; `None` means another request stored it first.
pub async fn insert_new(conn: &mut AsyncPgConnection, new: &NewConversion) -> QueryResult<Option<ConversionRow>> {
    diesel::insert_into(conversions::table)
        .values(new)
        .on_conflict_do_nothing()
        .returning(ConversionRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

pub async fn find_by_order(
    mut conn: &AsyncPgConnection,
    program_id: i64,
    order_id: &str,
) -> QueryResult<Option<ConversionRow>> {
    conversions::table
        .filter(conversions::program_id.eq(program_id))
        .filter(conversions::order_id.eq(order_id))
        .select(ConversionRow::as_select())
        .first(&mut conn)
        .await
        .optional()
}

/// The conversion, locked so that refunds of one order take turns.
pub async fn lock_by_order(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    order_id: &str,
) -> QueryResult<Option<ConversionRow>> {
    conversions::table
        .filter(conversions::program_id.eq(program_id))
        .filter(conversions::order_id.eq(order_id))
        .select(ConversionRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

pub async fn partner_name(mut conn: &AsyncPgConnection, partner_id: i64) -> QueryResult<String> {
    partners::table
        .find(partner_id)
        .select(partners::name)
        .first(&mut conn)
        .await
}

pub async fn refunds_of(conn: &mut AsyncPgConnection, conversion_id: i64) -> QueryResult<Vec<RefundRow>> {
    refunds::table
        .filter(refunds::conversion_id.eq(conversion_id))
        .select(RefundRow::as_select())
        .order(refunds::id.asc())
        .load(conn)
        .await
}

pub async fn find_refund(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    refund_id: &str,
) -> QueryResult<Option<RefundRow>> {
    refunds::table
        .filter(refunds::program_id.eq(program_id))
        .filter(refunds::refund_id.eq(refund_id))
        .select(RefundRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert_refund(
    conn: &mut AsyncPgConnection,
    conversion: &ConversionRow,
    refund_id: &str,
    amount: Decimal,
    reason: Option<&str>,
    now: OffsetDateTime,
) -> QueryResult<RefundRow> {
    diesel::insert_into(refunds::table)
        .values((
            refunds::conversion_id.eq(conversion.id),
            refunds::program_id.eq(conversion.program_id),
            refunds::refund_id.eq(refund_id),
            refunds::amount.eq(amount),
            refunds::reason.eq(reason),
            refunds::created_at.eq(now),
        ))
        .returning(RefundRow::as_returning())
        .get_result(conn)
        .await
}

/// The partner a customer is bound to, by any of the given keys.
pub async fn bound_partner(mut conn: &AsyncPgConnection, program_id: i64, keys: &[String]) -> QueryResult<Option<i64>> {
    if keys.is_empty() {
        return Ok(None);
    }
    customer_bindings::table
        .filter(customer_bindings::program_id.eq(program_id))
        .filter(customer_bindings::customer_key.eq_any(keys))
        .order(customer_bindings::created_at.asc())
        .select(customer_bindings::partner_id)
        .first(&mut conn)
        .await
        .optional()
}

/// When the customer was first bound to this partner by an earlier conversion (for recurring
/// commission); `None` for a new customer.
pub async fn customer_since(
    mut conn: &AsyncPgConnection,
    conversion: &ConversionRow,
    partner_id: i64,
    keys: &[String],
) -> QueryResult<Option<OffsetDateTime>> {
    if keys.is_empty() {
        return Ok(None);
    }
    customer_bindings::table
        .inner_join(conversions::table.on(conversions::id.eq(customer_bindings::conversion_id)))
        .filter(customer_bindings::program_id.eq(conversion.program_id))
        .filter(customer_bindings::customer_key.eq_any(keys))
        .filter(customer_bindings::partner_id.eq(partner_id))
        .filter(customer_bindings::conversion_id.ne(conversion.id))
        .select(diesel::dsl::min(conversions::occurred_at))
        .first(&mut conn)
        .await
}

/// Binds customers to a partner; a customer who is already bound stays with their partner.
pub async fn bind_customer(
    conn: &AsyncPgConnection,
    conversion: &ConversionRow,
    partner_id: i64,
    keys: &[String],
    now: OffsetDateTime,
) -> QueryResult<()> {
    let bindings = keys
        .iter()
        .map(|key| NewBinding {
            program_id: conversion.program_id,
            customer_key: key.clone(),
            partner_id,
            conversion_id: conversion.id,
            created_at: now,
        })
        .collect();
    bind_many(conn, bindings).await
}

pub async fn order_of(conn: &mut AsyncPgConnection, conversion_id: i64) -> QueryResult<String> {
    conversions::table
        .find(conversion_id)
        .select(conversions::order_id)
        .first(conn)
        .await
}

pub async fn get(conn: &mut AsyncPgConnection, conversion_id: i64) -> QueryResult<ConversionRow> {
    conversions::table
        .find(conversion_id)
        .select(ConversionRow::as_select())
        .first(conn)
        .await
}

/// The stored conversions of any of the orders in any of the programs (a batch's replay check);
/// the caller matches each program with its order.
pub async fn find_orders(
    mut conn: &AsyncPgConnection,
    program_ids: &[i64],
    order_ids: &[&str],
) -> QueryResult<Vec<ConversionRow>> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    conversions::table
        .filter(conversions::program_id.eq_any(program_ids))
        .filter(conversions::order_id.eq_any(order_ids))
        .select(ConversionRow::as_select())
        .load(&mut conn)
        .await
}

/// Inserts the orders that aren't known yet, in one statement; an order another request stored
/// first is left out of the answer.
pub async fn insert_many(mut conn: &AsyncPgConnection, new: &[NewConversion]) -> QueryResult<Vec<ConversionRow>> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    diesel::insert_into(conversions::table)
        .values(new)
        .on_conflict_do_nothing()
        .returning(ConversionRow::as_returning())
        .get_results(&mut conn)
        .await
}

/// A customer binding with when its conversion occurred.
#[derive(Clone, Debug, Queryable)]
pub struct Binding {
    pub program_id: i64,
    pub customer_key: String,
    pub partner_id: i64,
    pub created_at: OffsetDateTime,
    pub occurred_at: OffsetDateTime,
}

/// The bindings of any of the customer keys in any of the programs (for a batch, what
/// [`bound_partner`] and [`customer_since`] read one conversion at a time).
pub async fn bindings_of(
    mut conn: &AsyncPgConnection,
    program_ids: &[i64],
    keys: &[&str],
) -> QueryResult<Vec<Binding>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    customer_bindings::table
        .inner_join(conversions::table.on(conversions::id.eq(customer_bindings::conversion_id)))
        .filter(customer_bindings::program_id.eq_any(program_ids))
        .filter(customer_bindings::customer_key.eq_any(keys))
        .select((
            customer_bindings::program_id,
            customer_bindings::customer_key,
            customer_bindings::partner_id,
            customer_bindings::created_at,
            conversions::occurred_at,
        ))
        .load(&mut conn)
        .await
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = customer_bindings)]
pub struct NewBinding {
    pub program_id: i64,
    pub customer_key: String,
    pub partner_id: i64,
    pub conversion_id: i64,
    pub created_at: OffsetDateTime,
}

/// [`bind_customer`] for a batch whose customers are all different. Keys are inserted in
/// sorted order, by every caller, so two transactions binding the same customers never wait
/// for each other in a circle.
pub async fn bind_many(mut conn: &AsyncPgConnection, mut bindings: Vec<NewBinding>) -> QueryResult<()> {
    if bindings.is_empty() {
        return Ok(());
    }
    bindings.sort_by(|a, b| (a.program_id, &a.customer_key).cmp(&(b.program_id, &b.customer_key)));
    diesel::insert_into(customer_bindings::table)
        .values(&bindings)
        .on_conflict_do_nothing()
        .execute(&mut conn)
        .await
        .map(drop)
}

pub async fn partner_names(mut conn: &AsyncPgConnection, partner_ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    if partner_ids.is_empty() {
        return Ok(Vec::new());
    }
    partners::table
        .filter(partners::id.eq_any(partner_ids))
        .select((partners::id, partners::name))
        .load(&mut conn)
        .await
}
