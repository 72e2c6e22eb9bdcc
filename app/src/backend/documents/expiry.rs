//! The daily job that tells partners an approved document has expired. Expiry itself needs no
//! write (a document's standing reads its date); the job only makes sure each partner hears of
//! it once, whichever instance runs it.

use crate::backend::repos::outbox;
use crate::backend::repos::partner_documents as repo;
use crate::domain::documents::emails;
use crate::domain::mdf::date_text;
use diesel::QueryResult;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use time::OffsetDateTime;

/// At most this many notices per transaction; the job loops until none are left.
const BATCH: i64 = 200;

/// Emails the partner of every approved document whose expiry day has come. Returns how many.
pub async fn notify_expired(conn: &mut AsyncPgConnection, base_url: &str, now: OffsetDateTime) -> QueryResult<usize> {
    let url = format!("{base_url}/portal/documents");
    let mut total = 0;
    loop {
        let told = conn
            .transaction::<_, diesel::result::Error, _>(async |conn| {
                let rows = repo::expired_untold(conn, now.date(), BATCH).await?;
                for row in &rows {
                    let address = match crate::backend::repos::users::partner_owner(conn, row.partner_id).await? {
                        Some(owner) => owner.email,
                        None => row.partner_email.clone(),
                    };
                    let content = emails::expired(
                        &row.partner,
                        &row.requirement,
                        &row.program,
                        &date_text(row.expires_on),
                        &url,
                    );
                    outbox::enqueue_for_program(conn, row.program_id, &address, &content).await?;
                }
                let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
                repo::mark_expiry_told(conn, &ids, now).await?;
                Ok(rows.len())
            })
            .await?;
        total += told;
        if told < BATCH as usize {
            return Ok(total);
        }
    }
}
