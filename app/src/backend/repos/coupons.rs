//! Coupon codes assigned to partners, unique per program whatever their case.

use crate::backend::schema::{coupons, partners, programs};
use crate::backend::sql::lower;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = coupons)]
pub struct CouponRow {
    pub id: i64,
    pub program_id: i64,
    pub partner_id: i64,
    pub code: String,
    pub created_at: OffsetDateTime,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    partner_id: i64,
    code: &str,
    now: OffsetDateTime,
) -> QueryResult<CouponRow> {
    diesel::insert_into(coupons::table)
        .values((
            coupons::program_id.eq(program_id),
            coupons::partner_id.eq(partner_id),
            coupons::code.eq(code),
            coupons::created_at.eq(now),
        ))
        .returning(CouponRow::as_returning())
        .get_result(conn)
        .await
}

/// The partner holding `code` in the program, matched case-insensitively.
pub async fn holder(mut conn: &AsyncPgConnection, program_id: i64, code: &str) -> QueryResult<Option<i64>> {
    coupons::table
        .filter(coupons::program_id.eq(program_id))
        .filter(lower(coupons::code).eq(code.to_lowercase()))
        .select(coupons::partner_id)
        .first(&mut conn)
        .await
        .optional()
}

/// The holders of any of the codes (lower-cased) in any of the programs, as (program, code in
/// lower case, partner): [`holder`] for a batch.
pub async fn holders(
    mut conn: &AsyncPgConnection,
    program_ids: &[i64],
    lowered: &[String],
) -> QueryResult<Vec<(i64, String, i64)>> {
    if lowered.is_empty() {
        return Ok(Vec::new());
    }
    coupons::table
        .filter(coupons::program_id.eq_any(program_ids))
        .filter(lower(coupons::code).eq_any(lowered))
        .select((coupons::program_id, lower(coupons::code), coupons::partner_id))
        .load(&mut conn)
        .await
}

/// A program's coupons with the partner's name.
pub async fn for_program(conn: &mut AsyncPgConnection, program_id: i64) -> QueryResult<Vec<(CouponRow, String)>> {
    coupons::table
        .inner_join(partners::table)
        .filter(coupons::program_id.eq(program_id))
        .select((CouponRow::as_select(), partners::name))
        .order(coupons::code.asc())
        .load(conn)
        .await
}

/// A partner's coupons with the program's name.
pub async fn for_partner(conn: &mut AsyncPgConnection, partner_id: i64) -> QueryResult<Vec<(CouponRow, String)>> {
    coupons::table
        .inner_join(programs::table)
        .filter(coupons::partner_id.eq(partner_id))
        .select((CouponRow::as_select(), programs::name))
        .order(coupons::code.asc())
        .load(conn)
        .await
}
