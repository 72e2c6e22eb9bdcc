//! The connection pool and the embedded migrations.

use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::AsyncPgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

#[cfg(test)]
const MIGRATIONS_COUNT: usize = 17;

/// A pool that fails fast when the database is away, so requests get a 503 quickly and the
/// pool reconnects by itself when it comes back.
pub fn build_pool(database_url: &str, max_size: usize) -> Result<DbPool, String> {
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(database_url, config);
    Pool::builder(manager)
        .max_size(max_size)
        .wait_timeout(Some(Duration::from_secs(5)))
        .create_timeout(Some(Duration::from_secs(3)))
        .recycle_timeout(Some(Duration::from_secs(3)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| format!("could not build the connection pool: {e}"))
}

/// Runs every pending migration. Migrations use Diesel's synchronous harness, so they run on a
/// blocking thread.
pub async fn run_migrations(database_url: &str) -> Result<Vec<String>, String> {
    let url = database_url.to_owned();
    tokio::task::spawn_blocking(move || {
        use diesel::connection::SimpleConnection;
        use diesel::Connection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .map_err(|e| format!("could not connect to the database: {e}"))?;
        // Instances starting together take turns (the lock ends with the connection at the
        // latest); the later ones find nothing pending.
        conn.batch_execute("SELECT pg_advisory_lock(hashtext('trellis-migrations'))")
            .map_err(|e| format!("could not take the migration lock: {e}"))?;
        conn.run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(|v| v.to_string()).collect())
            .map_err(|e| format!("migration failed: {e}"))
    })
    .await
    .map_err(|e| format!("migration task failed: {e}"))?
}

/// Reverts every migration, newest first (used by the migration round-trip test).
pub async fn revert_all_migrations(database_url: &str) -> Result<usize, String> {
    let url = database_url.to_owned();
    tokio::task::spawn_blocking(move || {
        use diesel::Connection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .map_err(|e| format!("could not connect to the database: {e}"))?;
        let mut reverted = 0;
        while !conn.applied_migrations().map_err(|e| e.to_string())?.is_empty() {
            conn.revert_last_migration(MIGRATIONS)
                .map_err(|e| format!("revert failed: {e}"))?;
            reverted += 1;
        }
        Ok(reverted)
    })
    .await
    .map_err(|e| format!("migration task failed: {e}"))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::testing::TestDb;
    use diesel::sql_types::BigInt;
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    async fn table_count(db: &TestDb) -> i64 {
        let row: Count = diesel::sql_query(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
        )
        .get_result(&mut db.conn().await)
        .await
        .unwrap();
        row.n
    }

    #[tokio::test]
    async fn every_migration_goes_down_and_up_again() {
        let db = TestDb::unmigrated().await;
        let applied = run_migrations(db.url()).await.unwrap();
        assert_eq!(applied.len(), MIGRATIONS_COUNT);
        let tables = table_count(&db).await;
        assert!(tables >= 10);
        assert_eq!(revert_all_migrations(db.url()).await.unwrap(), applied.len());
        assert_eq!(table_count(&db).await, 0, "down.sql removes everything up.sql made");
        assert_eq!(run_migrations(db.url()).await.unwrap().len(), applied.len());
        assert_eq!(table_count(&db).await, tables);
        assert!(
            run_migrations(db.url()).await.unwrap().is_empty(),
            "nothing left to apply"
        );
    }
}
