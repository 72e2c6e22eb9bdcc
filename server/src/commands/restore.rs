//! `trellis restore FILE`: loads a `trellis backup` archive into the private PostgreSQL under the
//! data folder, with pg_restore from the installation that runs it. The archive goes into a
//! database of its own first; only when all of it is in (one transaction) does that database
//! replace `trellis`. A refusal or a failure leaves the data as it was.

use super::archive;
use crate::config::Config;
use crate::local_pg::LocalPostgres;
use std::fs::File;
use std::path::Path;
use std::process::Stdio;

/// Where the archive is restored before it replaces `trellis`.
const STAGING: &str = "trellis_restoring";

pub fn run(config: &Config, file: &Path, force: bool) -> Result<(), String> {
    if config.database_url.is_some() {
        return Err(
            "restore writes into the private PostgreSQL under the data folder, but DATABASE_URL is set. \
                    Unset it to restore into TRELLIS_DATA_DIR, or restore into your own server with \
                    pg_restore --clean --if-exists --no-owner --dbname \"$DATABASE_URL\" FILE"
                .into(),
        );
    }
    let archive = archive::open(file)?;
    let pg = LocalPostgres::new(&config.data_dir)?;
    let tables = pg.while_running(|pg| {
        let existing = public_tables(pg, "trellis")?;
        if existing > 0 && !force {
            return Err(format!(
                "the data folder {} already holds a Trellis database ({existing} tables); nothing was changed. \
                 Give --force to replace it with the backup",
                config.data_dir.display()
            ));
        }
        restore(pg, archive)?;
        public_tables(pg, "trellis")
    })?;
    println!(
        "Restored {} into the private PostgreSQL in {} ({tables} tables). `trellis serve` applies any newer migrations at start.",
        file.display(),
        config.data_dir.display()
    );
    Ok(())
}

fn public_tables(pg: &LocalPostgres, database: &str) -> Result<i64, String> {
    let sql = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
    let out = pg.client("psql", &["--dbname", database, "-tAc", sql])?;
    out.trim()
        .parse()
        .map_err(|_| format!("unexpected answer from psql: {out}"))
}

/// Restores into the staging database, then swaps it in for `trellis`.
fn restore(pg: &LocalPostgres, archive: File) -> Result<(), String> {
    pg.client("dropdb", &["--if-exists", STAGING])?;
    pg.client("createdb", &[STAGING])?;
    let loaded = pg_restore(pg, archive).and_then(|()| check_is_trellis(pg));
    let swapped = loaded.and_then(|()| {
        pg.client("psql", &["--dbname", "postgres", "-c", "DROP DATABASE IF EXISTS trellis"])
            .map_err(|e| {
                format!("{e}\nThe current data was left as it was; stop `trellis serve` (or anything else using the database) and try again")
            })
    });
    if let Err(e) = swapped {
        let _ = pg.client("dropdb", &["--if-exists", STAGING]);
        return Err(e);
    }
    let rename = format!("ALTER DATABASE {STAGING} RENAME TO trellis");
    pg.client("psql", &["--dbname", "postgres", "-c", &rename])
        .map_err(|e| format!("{e}\nThe restored data is in the database {STAGING}; rename it to trellis with psql"))?;
    Ok(())
}

/// pg_restore reads the archive from its standard input (a file Trellis opened, so the
/// `postgres` user needs no access to it) in one transaction that stops at the first error.
fn pg_restore(pg: &LocalPostgres, archive: File) -> Result<(), String> {
    let out = pg
        .command("pg_restore")
        .args(pg.connection_args())
        .args([
            "--dbname",
            STAGING,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
        ])
        .stdin(archive)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("could not run pg_restore: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "pg_restore failed; nothing was changed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Any pg_dump archive would restore; only one with Trellis's migrations table may replace it.
fn check_is_trellis(pg: &LocalPostgres) -> Result<(), String> {
    let sql = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '__diesel_schema_migrations'";
    let out = pg.client("psql", &["--dbname", STAGING, "-tAc", sql])?;
    if out.trim() == "1" {
        Ok(())
    } else {
        Err("the archive is a PostgreSQL dump but not of a Trellis database (it has no __diesel_schema_migrations table); nothing was changed".into())
    }
}
