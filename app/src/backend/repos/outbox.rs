//! The email outbox. Messages are enqueued inside the transaction of the event that causes
//! them; workers claim due messages with `FOR UPDATE SKIP LOCKED`.

use super::{page_window, Page};
use crate::backend::schema::email_outbox as outbox;
use crate::domain::emails::EmailContent;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: OffsetDateTime,
    pub last_error: Option<String>,
    pub created_at: OffsetDateTime,
    pub sent_at: Option<OffsetDateTime>,
    /// The brand's sender name for a program's email (the address stays the installation's).
    pub sender_name: Option<String>,
}

pub async fn enqueue(mut conn: &AsyncPgConnection, to: &str, content: &EmailContent) -> QueryResult<i64> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::to_address.eq(to),
            outbox::subject.eq(&content.subject),
            outbox::body_text.eq(&content.text),
            outbox::body_html.eq(&content.html),
        ))
        .returning(outbox::id)
        .get_result(&mut conn)
        .await
}

/// A program's email, dressed in its brand (signature, button colour) and sent under the
/// brand's sender name.
pub async fn enqueue_for_program(
    conn: &mut AsyncPgConnection,
    program_id: i64,
    to: &str,
    content: &EmailContent,
) -> QueryResult<i64> {
    let brand = super::brands::of_program(conn, program_id).await?;
    let branding = crate::domain::emails::Branding {
        name: brand.name.clone(),
        // Buttons carry white text: the accent, darkened if the brand's colour is too light.
        color: crate::domain::admin::accent::palette(&brand.primary_color)
            .map_or_else(|| brand.primary_color.clone(), |p| p.accent),
    };
    let content = crate::domain::emails::branded(content.clone(), &branding);
    let sender = Some(brand.sender_name)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(brand.name);
    diesel::insert_into(outbox::table)
        .values((
            outbox::to_address.eq(to),
            outbox::subject.eq(&content.subject),
            outbox::body_text.eq(&content.text),
            outbox::body_html.eq(&content.html),
            outbox::sender_name.eq(sender),
        ))
        .returning(outbox::id)
        .get_result(conn)
        .await
}

/// Claims up to `limit` due messages. Call inside a transaction: the row locks last until it
/// ends, and other workers skip locked rows instead of waiting for them.
pub async fn claim_due(conn: &mut AsyncPgConnection, limit: i64, now: OffsetDateTime) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::status.eq("pending"))
        .filter(outbox::next_attempt_at.le(now))
        .order(outbox::id.asc())
        .limit(limit)
        .for_update()
        .skip_locked()
        .select(OutboxRow::as_select())
        .load(conn)
        .await
}

pub async fn mark_sent(conn: &mut AsyncPgConnection, id: i64, now: OffsetDateTime) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq("sent"),
            outbox::sent_at.eq(now),
            outbox::attempts.eq(outbox::attempts + 1),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Records a failed attempt: retried at `retry_at`, or failed for good when it is `None`.
pub async fn mark_attempt_failed(
    conn: &mut AsyncPgConnection,
    id: i64,
    error: &str,
    retry_at: Option<OffsetDateTime>,
) -> QueryResult<()> {
    let status = if retry_at.is_some() { "pending" } else { "failed" };
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(status),
            outbox::last_error.eq(error),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::next_attempt_at.eq(retry_at.unwrap_or_else(OffsetDateTime::now_utc)),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn list(conn: &mut AsyncPgConnection, page: i64, per_page: i64) -> QueryResult<Page<OutboxRow>> {
    let total = outbox::table.count().get_result(conn).await?;
    let (offset, limit) = page_window(page, per_page);
    let rows = outbox::table
        .order(outbox::id.desc())
        .offset(offset)
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
        .await?;
    Ok(Page { rows, total })
}

pub async fn get(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<OutboxRow> {
    outbox::table.find(id).select(OutboxRow::as_select()).first(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;
    use crate::domain::emails::password_reset;
    use diesel_async::AsyncConnection;

    #[tokio::test]
    async fn claimed_rows_are_skipped_by_other_workers() {
        let db = TestDb::new().await;
        let mut first = db.conn().await;
        let mut second = db.conn().await;
        for i in 0..3 {
            enqueue(
                &first,
                &format!("u{i}@example.com"),
                &password_reset("U", "https://x/y"),
            )
            .await
            .unwrap();
        }
        let now = OffsetDateTime::now_utc();
        first
            .transaction::<_, diesel::result::Error, _>(async |first| {
                let mine = claim_due(first, 2, now).await?;
                assert_eq!(mine.len(), 2);
                let theirs = claim_due(&mut second, 10, now).await?;
                assert_eq!(theirs.len(), 1, "locked rows are skipped, not waited for");
                assert!(mine.iter().all(|m| m.id != theirs[0].id));
                mark_sent(first, mine[0].id, now).await?;
                mark_attempt_failed(first, mine[1].id, "550 no such user", None).await
            })
            .await
            .unwrap();
        let page = list(&mut first, 1, 10).await.unwrap();
        let statuses: Vec<_> = page.rows.iter().map(|r| (r.status.as_str(), r.attempts)).collect();
        assert_eq!(statuses, [("pending", 0), ("failed", 1), ("sent", 1)]);
    }

    #[tokio::test]
    async fn a_retry_waits_until_its_time() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let id = enqueue(&conn, "a@example.com", &password_reset("A", "https://x"))
            .await
            .unwrap();
        let now = OffsetDateTime::now_utc();
        mark_attempt_failed(&mut conn, id, "timeout", Some(now + time::Duration::minutes(1)))
            .await
            .unwrap();
        assert!(claim_due(&mut conn, 10, now).await.unwrap().is_empty());
        let row = get(&mut conn, id).await.unwrap();
        assert_eq!(
            (row.status.as_str(), row.attempts, row.last_error.as_deref()),
            ("pending", 1, Some("timeout"))
        );
        assert_eq!(
            claim_due(&mut conn, 10, now + time::Duration::minutes(2))
                .await
                .unwrap()
                .len(),
            1
        );
    }
}
