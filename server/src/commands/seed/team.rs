//! The demo's partner team: Bright Reviews has a finance person besides its owner, who sees its
//! payouts and statements but not where they go. Runs once.

use app::api::error::AppError;
use app::backend::repos::users;
use app::domain::access::PartnerRole;
use diesel_async::AsyncPgConnection;

/// (email, name, partner) of the demo's partner people besides the owners.
pub const PEOPLE: [(&str, &str, &str); 1] = [("finance@brightreviews.test", "Finn Okafor", "ana@brightreviews.test")];

pub async fn seed(conn: &mut AsyncPgConnection, hash: &str) -> Result<(), AppError> {
    for (email, name, owner) in PEOPLE {
        if users::find_by_email(conn, email).await?.is_some() {
            continue;
        }
        let Some(partner_id) = users::find_by_email(conn, owner).await?.and_then(|u| u.partner_id) else {
            continue;
        };
        let person = users::insert_partner_user(conn, partner_id, email, name, PartnerRole::Finance).await?;
        users::set_password(conn, person.id, hash).await?;
    }
    Ok(())
}
