//! What brands pay from and how they number self-billing invoices, and each program's minimum
//! payout and review days, as the console's payout settings show them.

use super::payout_details::DEFAULT_REVIEW_DAYS;
use super::payout_runs::DEFAULT_MINIMUM;
use crate::backend::schema::payout_settings as ps;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Integer, Nullable, Numeric, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;

#[derive(Clone, Debug, QueryableByName)]
pub struct BrandLine {
    #[diesel(sql_type = BigInt)]
    pub brand_id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub debtor_iban: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub debtor_bic: Option<String>,
    #[diesel(sql_type = Bool)]
    pub self_billing: bool,
    #[diesel(sql_type = Text)]
    pub invoice_prefix: String,
    #[diesel(sql_type = BigInt)]
    pub next_invoice_number: i64,
}

pub async fn brands(conn: &mut AsyncPgConnection, brand_ids: &[i64]) -> QueryResult<Vec<BrandLine>> {
    diesel::sql_query(
        "SELECT b.id AS brand_id, b.name, s.debtor_iban, s.debtor_bic, COALESCE(s.self_billing, FALSE) AS self_billing,
                COALESCE(s.invoice_prefix, 'SB-') AS invoice_prefix, COALESCE(s.next_invoice_number, 1) AS next_invoice_number
         FROM brands b LEFT JOIN brand_payout_settings s ON s.brand_id = b.id
         WHERE b.id = ANY($1) ORDER BY b.name",
    )
    .bind::<Array<BigInt>, _>(brand_ids)
    .load(conn)
    .await
}

#[derive(Clone, Debug, QueryableByName)]
pub struct ProgramLine {
    #[diesel(sql_type = BigInt)]
    pub program_id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub brand_name: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Numeric)]
    pub minimum_payout: Decimal,
    #[diesel(sql_type = Integer)]
    pub review_days: i32,
}

pub async fn programs(conn: &mut AsyncPgConnection, program_ids: &[i64]) -> QueryResult<Vec<ProgramLine>> {
    diesel::sql_query(
        "SELECT p.id AS program_id, p.name, b.name AS brand_name, p.currency,
                COALESCE(s.minimum_payout, $2) AS minimum_payout, COALESCE(s.review_days, $3) AS review_days
         FROM programs p JOIN brands b ON b.id = p.brand_id LEFT JOIN payout_settings s ON s.program_id = p.id
         WHERE p.id = ANY($1) AND p.archived_at IS NULL ORDER BY b.name, p.name",
    )
    .bind::<Array<BigInt>, _>(program_ids)
    .bind::<Numeric, _>(Decimal::from(DEFAULT_MINIMUM))
    .bind::<Integer, _>(DEFAULT_REVIEW_DAYS)
    .load(conn)
    .await
}

pub async fn save_program(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    minimum: Decimal,
    review_days: i32,
) -> QueryResult<()> {
    diesel::insert_into(ps::table)
        .values((
            ps::program_id.eq(program_id),
            ps::minimum_payout.eq(minimum),
            ps::review_days.eq(review_days),
        ))
        .on_conflict(ps::program_id)
        .do_update()
        .set((ps::minimum_payout.eq(minimum), ps::review_days.eq(review_days)))
        .execute(conn)
        .await
        .map(drop)
}
