//! Connections (plain or TLS, as the URL's `sslmode` says), the connection pool and the
//! embedded migrations. Every connection Trellis opens goes through `Connector`.

use super::db_tls::MakeRustlsConnect;
use super::db_url::DbUrl;
use diesel::{ConnectionError, ConnectionResult};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

#[cfg(test)]
pub(crate) const MIGRATIONS_COUNT: usize = 38;

/// A database URL read once: the URL for tokio-postgres and, for `sslmode=require`,
/// `verify-ca` or `verify-full`, the TLS configuration (with the `sslrootcert` CA loaded).
#[derive(Clone)]
pub struct Connector {
    driver_url: String,
    tls: Option<MakeRustlsConnect>,
}

impl Connector {
    /// Fails on a bad `sslmode`, an unreadable `sslrootcert` or a URL tokio-postgres rejects.
    pub fn new(database_url: &str) -> Result<Self, String> {
        let url = DbUrl::parse(database_url)?;
        url.driver_url
            .parse::<tokio_postgres::Config>()
            .map_err(|e| format!("not a valid PostgreSQL URL: {}", error_chain(&e)))?;
        let tls = url.tls.as_ref().map(MakeRustlsConnect::new).transpose()?;
        Ok(Self {
            driver_url: url.driver_url,
            tls,
        })
    }

    pub async fn connect(&self) -> ConnectionResult<AsyncPgConnection> {
        let Some(tls) = &self.tls else {
            return AsyncPgConnection::establish(&self.driver_url).await;
        };
        let (client, connection) = tokio_postgres::connect(&self.driver_url, tls.clone())
            .await
            .map_err(|e| ConnectionError::BadConnection(error_chain(&e)))?;
        AsyncPgConnection::try_from_client_and_connection(client, connection).await
    }
}

/// One connection to the database at `database_url`, over TLS when its `sslmode` asks for it.
pub async fn connect(database_url: &str) -> ConnectionResult<AsyncPgConnection> {
    Connector::new(database_url)
        .map_err(ConnectionError::InvalidConnectionUrl)?
        .connect()
        .await
}

/// tokio-postgres's errors say only their kind ("error performing TLS handshake"); the reason is
/// in their sources.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// A pool that fails fast when the database is away, so requests get a 503 quickly and the
/// pool reconnects by itself when it comes back.
pub fn build_pool(database_url: &str, max_size: usize) -> Result<DbPool, String> {
    let connector = Connector::new(database_url)?;
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup = Box::new(move |_| {
        let connector = connector.clone();
        Box::pin(async move { connector.connect().await })
    });
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

/// Migrations use Diesel's synchronous harness over this connection, wrapped on a blocking thread.
async fn migration_connection(database_url: &str) -> Result<AsyncPgConnection, String> {
    connect(database_url)
        .await
        .map_err(|e| format!("could not connect to the database: {e}"))
}

/// Runs every pending migration. Migrations use Diesel's synchronous harness, so they run on a
/// blocking thread.
pub async fn run_migrations(database_url: &str) -> Result<Vec<String>, String> {
    let conn = migration_connection(database_url).await?;
    tokio::task::spawn_blocking(move || {
        use diesel::connection::SimpleConnection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
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
    revert_migrations(database_url, 0).await
}

/// Reverts the newest migrations, one at a time, until `keep` are left applied.
pub async fn revert_migrations(database_url: &str, keep: usize) -> Result<usize, String> {
    let conn = migration_connection(database_url).await?;
    tokio::task::spawn_blocking(move || {
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
        let mut reverted = 0;
        while conn.applied_migrations().map_err(|e| e.to_string())?.len() > keep {
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
