//! A program's deal registration rules: who may register, protection and SLA, the
//! product catalogue and the domains of existing customers.

use crate::backend::schema::{customer_domains, mdf_funds, mdf_requests, products, programs};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = programs)]
pub struct DealSettings {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub deal_partner_kinds: Vec<String>,
    pub deal_protection_days: i32,
    pub deal_sla_hours: i32,
    pub existing_customer_policy: String,
}

pub async fn settings(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<DealSettings> {
    programs::table
        .find(program_id)
        .select(DealSettings::as_select())
        .first(conn)
        .await
}

/// The days a deal of this partner is protected for: its tier's, when the tier gives them, else
/// the program's. Approval, the extension limit and the forms all read this one answer.
pub async fn protection_days(conn: &mut AsyncPgConnection, program_id: i64, partner_id: i64) -> QueryResult<i32> {
    use crate::backend::schema::{program_memberships as pm, program_tiers as pt};
    let tier_days = pm::table
        .inner_join(pt::table.on(pt::program_id.eq(pm::program_id).and(pm::tier.eq(pt::name.nullable()))))
        .filter(pm::program_id.eq(program_id))
        .filter(pm::partner_id.eq(partner_id))
        .select(pt::protection_days)
        .first::<Option<i32>>(conn)
        .await
        .optional()?
        .flatten();
    match tier_days {
        Some(days) => Ok(days),
        None => Ok(settings(conn, program_id).await?.deal_protection_days),
    }
}

/// What an operator may change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealRules {
    pub partner_kinds: Vec<String>,
    pub protection_days: i32,
    pub sla_hours: i32,
    pub existing_customer_policy: String,
}

pub async fn update_settings(conn: &mut AsyncPgConnection, program_id: i64, rules: &DealRules) -> QueryResult<()> {
    diesel::update(programs::table.find(program_id))
        .set((
            programs::deal_partner_kinds.eq(&rules.partner_kinds),
            programs::deal_protection_days.eq(rules.protection_days),
            programs::deal_sla_hours.eq(rules.sla_hours),
            programs::existing_customer_policy.eq(&rules.existing_customer_policy),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = products)]
pub struct ProductRow {
    pub id: i64,
    pub name: String,
    pub archived_at: Option<OffsetDateTime>,
}

/// The catalogue, archived products last.
pub async fn products(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<ProductRow>> {
    products::table
        .filter(products::program_id.eq(program_id))
        .order((products::archived_at.is_not_null(), products::name.asc()))
        .select(ProductRow::as_select())
        .load(conn)
        .await
}

/// `None` when the program already has a product of that name (in any case).
pub async fn add_product(conn: &mut AsyncPgConnection, program_id: i64, name: &str) -> QueryResult<Option<i64>> {
    diesel::insert_into(products::table)
        .values((products::program_id.eq(program_id), products::name.eq(name)))
        .on_conflict_do_nothing()
        .returning(products::id)
        .get_result(conn)
        .await
        .optional()
}

/// Archives or restores a product of the program; false when there is no such product.
pub async fn set_archived(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    product_id: i64,
    archived_at: Option<OffsetDateTime>,
) -> QueryResult<bool> {
    let changed = diesel::update(
        products::table
            .filter(products::id.eq(product_id))
            .filter(products::program_id.eq(program_id)),
    )
    .set(products::archived_at.eq(archived_at))
    .execute(conn)
    .await?;
    Ok(changed == 1)
}

/// Of `ids`, those that are live products of the program.
pub async fn live_product_ids(conn: &mut AsyncPgConnection, program_id: i64, ids: &[i64]) -> QueryResult<Vec<i64>> {
    products::table
        .filter(products::program_id.eq(program_id))
        .filter(products::archived_at.is_null())
        .filter(products::id.eq_any(ids))
        .select(products::id)
        .load(conn)
        .await
}

/// Adds domains as existing customers; returns how many were new.
pub async fn import_customers(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    domains: &[String],
    source: &str,
    now: OffsetDateTime,
) -> QueryResult<usize> {
    let rows: Vec<_> = domains
        .iter()
        .map(|d| {
            (
                customer_domains::program_id.eq(program_id),
                customer_domains::domain.eq(d),
                customer_domains::source.eq(source),
                customer_domains::created_at.eq(now),
            )
        })
        .collect();
    diesel::insert_into(customer_domains::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await
}

pub async fn is_customer(conn: &mut AsyncPgConnection, program_id: i64, domain: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        customer_domains::table
            .filter(customer_domains::program_id.eq(program_id))
            .filter(customer_domains::domain.eq(domain)),
    ))
    .get_result(conn)
    .await
}

pub async fn customer_count(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<i64> {
    customer_domains::table
        .filter(customer_domains::program_id.eq(program_id))
        .count()
        .get_result(conn)
        .await
}

/// The partner's MDF activities in the program that a deal can name as its source: those the
/// program approved (running, claimed, paid or lapsed), as (id, label).
pub async fn sourcing_activities(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    program_id: i64,
) -> QueryResult<Vec<(i64, String)>> {
    let rows: Vec<(i64, String, String)> = mdf_requests::table
        .inner_join(mdf_funds::table.on(mdf_funds::id.eq(mdf_requests::fund_id)))
        .filter(mdf_requests::partner_id.eq(partner_id))
        .filter(mdf_funds::program_id.eq(program_id))
        .filter(mdf_requests::status.ne_all(["pending", "declined"]))
        .order(mdf_requests::id.desc())
        .select((mdf_requests::id, mdf_requests::activity, mdf_requests::description))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, activity, description)| {
            let short: String = description.chars().take(60).collect();
            (id, format!("#{id} {activity}: {short}"))
        })
        .collect())
}
