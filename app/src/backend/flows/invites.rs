//! A partner's sub-partner invitation link: made on the partner's request (a POST), only where
//! the program takes sub-partners by invitation and the partner is active in it.

use crate::api::error::AppError;
use crate::backend::repos::{commission_settings, memberships, sub_partners};
use crate::backend::tokens;
use crate::domain::membership::{may_invite, MembershipStatus};
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

/// The partner's code for the program: a new one the first time, the same one after that.
pub async fn create(
    conn: &mut AsyncPgConnection,
    partner_id: i64,
    program_id: i64,
    now: OffsetDateTime,
) -> Result<String, AppError> {
    let status = memberships::find(conn, partner_id, program_id)
        .await?
        .and_then(|m| MembershipStatus::parse(&m.status));
    // Not a member looks like no program at all; a member who may not invite is told why.
    if status.is_none() {
        return Err(AppError::NotFound("That program doesn't exist.".into()));
    }
    let invites = commission_settings::get(conn, program_id).await?.sub_partner_invites;
    if !may_invite(status, invites) {
        return Err(AppError::Conflict(
            "This program doesn't take sub-partners by invitation from you right now.".into(),
        ));
    }
    Ok(sub_partners::invite_code(conn, program_id, partner_id, &tokens::invite_code(), now).await?)
}
