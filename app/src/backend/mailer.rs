//! Email delivery from the outbox: SMTP through lettre when `SMTP_URL` is set, otherwise `.eml`
//! files under the data folder (shown in the console's dev mailbox).

use super::db::DbPool;
use super::repos::outbox::{self, OutboxRow};
use crate::api::error::AppError;
use diesel_async::AsyncConnection;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;
use time::OffsetDateTime;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl Transport {
    pub fn new(smtp_url: Option<&str>, data_dir: &Path) -> Result<Self, String> {
        match smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|builder| Self::Smtp(builder.timeout(Some(Duration::from_secs(20))).build()))
                .map_err(|e| format!("SMTP_URL is not a valid SMTP address: {e}")),
            None => Ok(Self::Files(data_dir.join("mail"))),
        }
    }

    /// Without SMTP, the console's mailbox is the developer's inbox and shows links in full.
    pub fn is_dev_mailbox(&self) -> bool {
        matches!(self, Self::Files(_))
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Smtp(_) => "SMTP".into(),
            Self::Files(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    async fn send(&self, from: &Mailbox, row: &OutboxRow) -> Result<(), String> {
        let to: Mailbox = row.to_address.parse().map_err(|e| format!("bad recipient: {e}"))?;
        // A program's email carries its brand's name; the address stays the installation's.
        let from = match &row.sender_name {
            Some(name) => Mailbox::new(Some(name.clone()), from.email.clone()),
            None => from.clone(),
        };
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(&row.subject)
            .multipart(MultiPart::alternative_plain_html(
                row.body_text.clone(),
                row.body_html.clone(),
            ))
            .map_err(|e| format!("could not build the message: {e}"))?;
        match self {
            Self::Smtp(transport) => transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Self::Files(dir) => write_whole(dir, &format!("{:08}.eml", row.id), message.formatted()).await,
        }
    }
}

/// Writes `name` in `dir` whole or not at all: into a hidden temporary file first, renamed into
/// place once complete and synced. A failed write (a full disk) removes the partial file, so the
/// folder never holds a truncated message while the outbox row waits for its retry. (Blocking
/// std I/O on purpose: tokio's `File` reports a failed write only on a later write or flush,
/// and `sync_all` would not see it.)
async fn write_whole(dir: &Path, name: &str, bytes: Vec<u8>) -> Result<(), String> {
    let (dir, name) = (dir.to_owned(), name.to_owned());
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&dir)?;
        let partial = dir.join(format!(".{name}.partial"));
        let written = std::fs::File::create(&partial).and_then(|mut file| {
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&partial, dir.join(&name))
        });
        if written.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        written
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())
}

pub const MAX_ATTEMPTS: i32 = 8;

/// When to try again after `attempts` failures: 30 s, 1 min, 2 min ... capped at 1 hour;
/// `None` once the message has had `MAX_ATTEMPTS`.
pub fn retry_delay(attempts: i32) -> Option<Duration> {
    (attempts < MAX_ATTEMPTS).then(|| Duration::from_secs((30u64 << attempts.clamp(0, 16) as u64).min(3600)))
}

/// Delivers up to `batch` due messages and returns how many were sent. Each message is sent
/// while its row is locked, so no other worker on any instance sends it too.
pub async fn deliver_due(pool: &DbPool, transport: &Transport, from: &Mailbox, batch: i64) -> Result<usize, AppError> {
    let mut conn = pool.get().await?;
    let sent = conn
        .transaction::<_, AppError, _>(async |conn| {
            let now = OffsetDateTime::now_utc();
            let mut sent = 0;
            for row in outbox::claim_due(conn, batch, now).await? {
                match transport.send(from, &row).await {
                    Ok(()) => {
                        outbox::mark_sent(conn, row.id, OffsetDateTime::now_utc()).await?;
                        sent += 1;
                    }
                    Err(error) => {
                        tracing::warn!(outbox_id = row.id, %error, "email delivery failed");
                        let retry_at = retry_delay(row.attempts + 1).map(|d| OffsetDateTime::now_utc() + d);
                        outbox::mark_attempt_failed(conn, row.id, &error, retry_at).await?;
                    }
                }
            }
            Ok(sent)
        })
        .await?;
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;
    use crate::domain::emails::application_received;

    #[test]
    fn retries_back_off_and_stop() {
        assert_eq!(retry_delay(0), Some(Duration::from_secs(30)));
        assert_eq!(retry_delay(1), Some(Duration::from_secs(60)));
        assert_eq!(retry_delay(7), Some(Duration::from_secs(3600)));
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
    }

    #[tokio::test]
    async fn file_transport_writes_eml_and_marks_sent() {
        let db = TestDb::new().await;
        let dir = std::env::temp_dir().join(format!("trellis-mail-{}", crate::backend::tokens::short_reference()));
        let transport = Transport::new(None, &dir).unwrap();
        let from: Mailbox = "Trellis <no-reply@example.com>".parse().unwrap();
        let id = outbox::enqueue(
            &*db.conn().await,
            "ada@example.com",
            &application_received("Ada", "Acme"),
        )
        .await
        .unwrap();
        assert_eq!(deliver_due(&db.pool(), &transport, &from, 10).await.unwrap(), 1);
        assert_eq!(
            deliver_due(&db.pool(), &transport, &from, 10).await.unwrap(),
            0,
            "never twice"
        );
        let eml = std::fs::read_to_string(dir.join("mail").join(format!("{id:08}.eml"))).unwrap();
        assert!(eml.contains("To: ada@example.com"));
        assert!(eml.contains("Content-Type: text/html"));
        let row = outbox::get(&mut *db.conn().await, id).await.unwrap();
        assert_eq!(row.status, "sent");
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn a_bad_address_is_retried_later_not_lost() {
        let db = TestDb::new().await;
        let transport = Transport::new(None, &std::env::temp_dir()).unwrap();
        let from: Mailbox = "no-reply@example.com".parse().unwrap();
        let id = outbox::enqueue(&*db.conn().await, "not an address", &application_received("A", "B"))
            .await
            .unwrap();
        assert_eq!(deliver_due(&db.pool(), &transport, &from, 10).await.unwrap(), 0);
        let row = outbox::get(&mut *db.conn().await, id).await.unwrap();
        assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
        assert!(row.last_error.unwrap().contains("bad recipient"));
    }
}
