//! `trellis local-db start|stop`: the private PostgreSQL on its own, for `make test` and for
//! poking at the data with psql.

use crate::local_pg::LocalPostgres;
use std::path::Path;

pub fn start(data_dir: &Path) -> Result<(), String> {
    let pg = LocalPostgres::new(data_dir)?;
    pg.start()?;
    // The admin URL (database `postgres`), from which tests create their own databases.
    println!("{}", pg.url("postgres"));
    Ok(())
}

pub fn stop(data_dir: &Path) -> Result<(), String> {
    LocalPostgres::new(data_dir)?.stop()
}
