//! The daily training job: reminds holders 30 and 7 days before a certificate expires (each
//! once, and only for a person's newest certificate), and rewrites the stored counts of
//! certified people so that expired certificates stop counting.

use crate::api::error::AppError;
use crate::backend::repos::{certifications, outbox};
use crate::domain::format;
use crate::domain::training::certification::{self, Reminder, RENEWAL_WINDOW};
use crate::domain::training::emails;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Done {
    pub reminders: usize,
    pub counts_changed: usize,
}

pub async fn run(conn: &mut AsyncPgConnection, base_url: &str, now: OffsetDateTime) -> Result<Done, AppError> {
    let mut done = Done::default();
    for held in certifications::ending_between(conn, None, now, now + RENEWAL_WINDOW).await? {
        let c = &held.certificate;
        let Some(reminder) = certification::reminder_due(
            c.valid_until,
            now,
            c.reminded_30_at.is_some(),
            c.reminded_7_at.is_some(),
        ) else {
            continue;
        };
        let seven = reminder == Reminder::SevenDays;
        let sent = conn
            .transaction::<_, AppError, _>(async |conn| {
                // Marked first: a second instance running the job skips what this one sends.
                if !certifications::mark_reminded(conn, c.id, seven, now).await? {
                    return Ok(false);
                }
                if seven && c.reminded_30_at.is_none() {
                    certifications::mark_reminded(conn, c.id, false, now).await?;
                }
                let email = emails::expiring(
                    &held.holder,
                    &held.certification,
                    &format::date(c.valid_until),
                    (c.valid_until - now).whole_days().max(1),
                    &format!("{base_url}/portal/training"),
                );
                let program_id = certifications::program_of(conn, c.certification_id).await?;
                outbox::enqueue_for_program(conn, program_id, &held.holder_email, &email).await?;
                Ok(true)
            })
            .await;
        // One certificate that can't be reminded doesn't hold up the others, or the counts.
        match sent {
            Ok(sent) => done.reminders += usize::from(sent),
            Err(e) => tracing::warn!(certificate = c.id, error = %e, "a certificate reminder failed"),
        }
    }
    done.counts_changed = certifications::refresh_counts(conn, None, now).await?;
    Ok(done)
}
