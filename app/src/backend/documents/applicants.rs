//! An applicant to a program that needs documents before approval can't be approved without
//! them, so it is asked for them at once: an email naming them, with a single-use link to choose
//! a password when the applicant has none yet (the portal's documents page takes pending
//! applicants too).

use super::standing;
use crate::api::error::AppError;
use crate::backend::flows::join::Submitted;
use crate::backend::repos::password_tokens::{self, Purpose};
use crate::backend::repos::{outbox, partners, programs, users};
use crate::backend::settings::Settings;
use crate::domain::documents::{emails, names_text, NeededBefore};
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

/// Emails the applicant what the program needs before approval, if anything. Returns whether
/// it asked. Run it in the application's transaction.
pub async fn ask(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    submitted: &Submitted,
    now: OffsetDateTime,
) -> Result<bool, AppError> {
    let (partner_id, program_id) = (submitted.partner_id, submitted.program_id);
    let needed = standing::unmet(conn, partner_id, program_id, NeededBefore::Approval, now.date()).await?;
    if needed.is_empty() {
        return Ok(false);
    }
    let user = users::get(conn, submitted.user_id).await?;
    let url = match user.password_hash {
        Some(_) => format!("{}/portal/documents", settings.base_url),
        None => {
            let token = password_tokens::issue(conn, user.id, Purpose::Invite, settings.invite_token_ttl, now).await?;
            format!("{}/set-password?token={token}", settings.base_url)
        }
    };
    let partner = partners::get(conn, partner_id).await?;
    let program = programs::get(conn, program_id).await?;
    let names: Vec<&str> = needed.iter().map(String::as_str).collect();
    let content = emails::needed_for_application(&partner.name, &program.name, &names_text(&names), &url);
    outbox::enqueue_for_program(conn, program_id, &user.email, &content).await?;
    Ok(true)
}
