//! An approved claim is paid with the partner's payout: when finance marks the payout item
//! paid, each MDF request it carries becomes "paid" and the balance's paid column grows, in the
//! same transaction as the item.

use super::{apply_step, known, locked, record, Act};
use crate::api::error::AppError;
use crate::backend::repos::mdf_requests;
use crate::backend::scope::Whose;
use crate::domain::mdf::balance::{step, Step};
use diesel_async::AsyncPgConnection;

/// Marks the request paid by the payout item with `reference`.
pub async fn mark_paid(
    conn: &mut AsyncPgConnection,
    act: &Act<'_>,
    whose: Whose<'_>,
    request_id: i64,
    reference: &str,
) -> Result<(), AppError> {
    let (request, fund) = locked(conn, request_id, whose).await?;
    let open = mdf_requests::open_claim(conn, request_id).await?;
    let before = known(mdf_requests::state(&request, open.as_ref()))?;
    let after = step(before, Step::Pay).map_err(AppError::Conflict)?;
    let paid = after.share().paid;
    apply_step(conn, &fund, request.partner_id, before, after, act.now).await?;
    mdf_requests::set_status(conn, request_id, after.status()).await?;
    let note = format!("paid with payout {reference}");
    record(
        conn,
        act,
        fund.id,
        request.partner_id,
        Some(request_id),
        "paid",
        Some(paid),
        Some(&note),
        None,
    )
    .await
}
