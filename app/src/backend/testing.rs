//! Private databases for tests. Each test gets its own database, cloned from a template that
//! is migrated once per migration set, on the PostgreSQL server named by
//! `TRELLIS_TEST_DATABASE_URL` (`make test` starts one). Without it, tests fail loudly.

use super::db::{build_pool, run_migrations, DbConn, DbPool};
use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};

pub struct TestDb {
    admin_url: String,
    name: String,
    url: String,
    pool: DbPool,
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub fn admin_url() -> String {
    std::env::var("TRELLIS_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "TRELLIS_TEST_DATABASE_URL is not set. Run the tests with `make test`, which starts a \
             private PostgreSQL, or point the variable at a server where this user may create databases."
        )
    })
}

/// Replaces the database name in a `postgres://` URL, keeping the host and query.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{}", &base[..path_start], database);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// The migrations this binary carries and the files on disk: an older test binary run against a
/// newer checkout must not build (or use) the template of the newer migrations.
fn migrations_fingerprint() -> String {
    use diesel::migration::MigrationSource;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut paths: Vec<_> = walk(&dir);
    paths.sort();
    let mut hasher = Sha256::new();
    let embedded = MigrationSource::<diesel::pg::Pg>::migrations(&super::db::MIGRATIONS).unwrap_or_default();
    for migration in embedded {
        hasher.update(migration.name().to_string().as_bytes());
    }
    for path in paths {
        hasher.update(path.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&path).unwrap_or_default());
    }
    hex::encode(&hasher.finalize()[..6])
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    entries
        .flatten()
        .flat_map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                vec![e.path()]
            }
        })
        .collect()
}

async fn admin_conn(admin: &str) -> AsyncPgConnection {
    super::db::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL at TRELLIS_TEST_DATABASE_URL: {e}"))
}

async fn ensure_template(admin: &str) -> String {
    let template = format!("trellis_tpl_{}", migrations_fingerprint());
    let mut conn = admin_conn(admin).await;
    diesel::sql_query("SELECT pg_advisory_lock(7406)")
        .execute(&mut conn)
        .await
        .unwrap();
    let exists: Exists = diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(&template)
        .get_result(&mut conn)
        .await
        .unwrap();
    if exists.n == 0 {
        let building = format!("{template}_building");
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {building}"))
            .execute(&mut conn)
            .await
            .unwrap();
        diesel::sql_query(format!("CREATE DATABASE {building}"))
            .execute(&mut conn)
            .await
            .unwrap();
        run_migrations(&with_database(admin, &building))
            .await
            .expect("migrating the template");
        diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {template}"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    diesel::sql_query("SELECT pg_advisory_unlock(7406)")
        .execute(&mut conn)
        .await
        .unwrap();
    template
}

impl TestDb {
    /// A new, migrated, empty database for one test.
    pub async fn new() -> Self {
        let admin = admin_url();
        let template = ensure_template(&admin).await;
        let name = format!("t_{}", super::tokens::short_reference());
        let mut conn = admin_conn(&admin).await;
        diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut conn)
            .await
            .expect("creating a test database");
        let url = with_database(&admin, &name);
        let pool = build_pool(&url, 8).expect("test pool");
        Self {
            admin_url: admin,
            name,
            url,
            pool,
        }
    }

    /// An empty database with no migrations applied (for the migration tests).
    pub async fn unmigrated() -> Self {
        let admin = admin_url();
        let name = format!("t_{}", super::tokens::short_reference());
        let mut conn = admin_conn(&admin).await;
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let url = with_database(&admin, &name);
        let pool = build_pool(&url, 4).expect("test pool");
        Self {
            admin_url: admin,
            name,
            url,
            pool,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pool(&self) -> DbPool {
        self.pool.clone()
    }

    pub async fn conn(&self) -> DbConn {
        self.pool.get().await.expect("test database connection")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        self.pool.close();
        let (admin, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime; the clean-up gets a runtime of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut conn = super::db::connect(&admin).await.ok()?;
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .ok()
            })
        })
        .join();
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_names_are_replaced_in_every_url_shape() {
        assert_eq!(with_database("postgres://u:p@h:5/db", "x"), "postgres://u:p@h:5/x");
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
        assert_eq!(
            with_database("postgresql:///postgres?host=/tmp/pg&user=t", "x"),
            "postgresql:///x?host=/tmp/pg&user=t"
        );
    }
}
