//! tower-sessions store over the Diesel pool. Any instance can load any session.

use super::db::DbPool;
use super::schema::sessions;
use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, ExpiredDeletion, Result};
use tower_sessions::SessionStore;

#[derive(Clone)]
pub struct PgSessionStore {
    pool: DbPool,
}

impl std::fmt::Debug for PgSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgSessionStore")
    }
}

impl PgSessionStore {
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }

    async fn conn(&self) -> Result<super::db::DbConn> {
        self.pool.get().await.map_err(|e| Error::Backend(e.to_string()))
    }
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let mut conn = self.conn().await?;
        // A fresh id on the (astronomically rare) collision, never an overwrite.
        loop {
            let data = serde_json::to_value(&record.data).map_err(backend)?;
            let inserted = diesel::insert_into(sessions::table)
                .values((
                    sessions::id.eq(record.id.to_string()),
                    sessions::data.eq(data),
                    sessions::expires_at.eq(record.expiry_date),
                ))
                .on_conflict_do_nothing()
                .execute(&mut conn)
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// Updates an existing session only: new sessions go through `create`. A session ended
    /// meanwhile (logout elsewhere, "end this session") stays ended when a request it had in
    /// flight finishes, rather than being written back.
    async fn save(&self, record: &Record) -> Result<()> {
        let mut conn = self.conn().await?;
        let data = serde_json::to_value(&record.data).map_err(backend)?;
        diesel::update(sessions::table.filter(sessions::id.eq(record.id.to_string())))
            .set((sessions::data.eq(data), sessions::expires_at.eq(record.expiry_date)))
            .execute(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let mut conn = self.conn().await?;
        let row: Option<(serde_json::Value, OffsetDateTime)> = sessions::table
            .filter(sessions::id.eq(id.to_string()))
            .filter(sessions::expires_at.gt(OffsetDateTime::now_utc()))
            .select((sessions::data, sessions::expires_at))
            .first(&mut conn)
            .await
            .optional()
            .map_err(backend)?;
        row.map(|(data, expiry_date)| {
            Ok(Record {
                id: *id,
                data: serde_json::from_value(data).map_err(backend)?,
                expiry_date,
            })
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        let mut conn = self.conn().await?;
        diesel::delete(sessions::table.filter(sessions::id.eq(id.to_string())))
            .execute(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for PgSessionStore {
    async fn delete_expired(&self) -> Result<()> {
        let mut conn = self.conn().await?;
        diesel::delete(sessions::table.filter(sessions::expires_at.le(OffsetDateTime::now_utc())))
            .execute(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;
    use std::collections::HashMap;

    fn record(expiry: OffsetDateTime) -> Record {
        let mut data = HashMap::new();
        data.insert("user".to_owned(), serde_json::json!({"id": 7}));
        Record {
            id: Id::default(),
            data,
            expiry_date: expiry,
        }
    }

    #[tokio::test]
    async fn sessions_round_trip_and_expire() {
        let db = TestDb::new().await;
        let store = PgSessionStore::new(db.pool());
        let later = OffsetDateTime::now_utc() + time::Duration::hours(1);
        let mut live = record(later);
        store.create(&mut live).await.unwrap();
        assert_eq!(
            SessionStore::load(&store, &live.id).await.unwrap().unwrap().data,
            live.data
        );

        let mut stale = record(OffsetDateTime::now_utc() - time::Duration::seconds(1));
        store.create(&mut stale).await.unwrap();
        assert!(
            SessionStore::load(&store, &stale.id).await.unwrap().is_none(),
            "expired sessions never load"
        );

        store.delete_expired().await.unwrap();
        let mut conn = db.conn().await;
        let ids: Vec<String> = sessions::table.select(sessions::id).load(&mut conn).await.unwrap();
        assert_eq!(ids, vec![live.id.to_string()]);

        store.delete(&live.id).await.unwrap();
        assert!(SessionStore::load(&store, &live.id).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_session_ended_during_a_request_is_not_written_back() {
        let db = TestDb::new().await;
        let store = PgSessionStore::new(db.pool());
        let mut live = record(OffsetDateTime::now_utc() + time::Duration::hours(1));
        store.create(&mut live).await.unwrap();
        // A request loaded it; meanwhile the person ended it from another browser.
        let loaded = SessionStore::load(&store, &live.id).await.unwrap().unwrap();
        store.delete(&live.id).await.unwrap();
        store.save(&loaded).await.unwrap();
        assert!(SessionStore::load(&store, &live.id).await.unwrap().is_none());
        // A session that still exists is updated as before.
        let mut other = record(OffsetDateTime::now_utc() + time::Duration::hours(1));
        store.create(&mut other).await.unwrap();
        let later = OffsetDateTime::now_utc() + time::Duration::hours(2);
        store
            .save(&Record {
                expiry_date: later,
                ..other.clone()
            })
            .await
            .unwrap();
        let saved = SessionStore::load(&store, &other.id).await.unwrap().unwrap();
        assert_eq!(saved.expiry_date.unix_timestamp(), later.unix_timestamp());
    }
}
