//! `trellis backup FILE`: a pg_dump custom-format archive of the database, made by the same
//! PostgreSQL installation that runs the private cluster. pg_dump writes to its standard output,
//! which is a temporary file beside FILE opened by Trellis (so the `postgres` user needs no access
//! to FILE's folder); FILE appears only once the dump is complete.

use super::archive;
use crate::config::Config;
use crate::local_pg::{find_bin_dir, LocalPostgres};
use std::fs::{self, File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub fn run(config: &Config, file: &Path, force: bool) -> Result<(), String> {
    if !force && fs::symlink_metadata(file).is_ok() {
        return Err(format!("{} already exists; give --force to replace it", file.display()));
    }
    let partial = Partial::create(file)?;
    let source = match &config.database_url {
        Some(url) => {
            dump(external_pg_dump(url), &partial)?;
            "the database at DATABASE_URL".to_owned()
        }
        None => {
            let pg = LocalPostgres::new(&config.data_dir)?;
            pg.while_running(|pg| {
                let mut pg_dump = pg.command("pg_dump");
                pg_dump.args(pg.connection_args()).args(["--dbname", "trellis"]);
                dump(pg_dump, &partial)
            })?;
            format!("the private PostgreSQL in {}", config.data_dir.display())
        }
    };
    let size = partial.persist(file, force)?;
    let shown = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    println!(
        "Wrote {} ({}, {size} bytes): a backup of {source}. Restore it with `trellis restore {}`.",
        shown.display(),
        archive::human_size(size),
        shown.display()
    );
    Ok(())
}

/// pg_dump for a database Trellis doesn't run: the installation's own, else the one on PATH.
fn external_pg_dump(url: &str) -> Command {
    let program = find_bin_dir()
        .map(|dir| dir.join("pg_dump"))
        .filter(|path| path.is_file())
        .unwrap_or_else(|| PathBuf::from("pg_dump"));
    let mut command = Command::new(program);
    command.arg("--dbname").arg(url);
    command
}

/// Runs pg_dump (already pointed at its database) in custom format into the partial file.
fn dump(mut pg_dump: Command, partial: &Partial) -> Result<(), String> {
    let output = partial
        .file
        .try_clone()
        .map_err(|e| format!("cannot write {}: {e}", partial.path.display()))?;
    let out = pg_dump
        .args(["--format=custom", "--no-password"])
        .stdin(Stdio::null())
        .stdout(output)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| {
            format!(
                "could not run pg_dump ({e}); install PostgreSQL's client programs (apt-get install postgresql-client)"
            )
        })?;
    if !out.status.success() {
        return Err(format!(
            "pg_dump failed, no backup written: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    partial
        .file
        .sync_all()
        .map_err(|e| format!("cannot write {}: {e}", partial.path.display()))?;
    archive::open(&partial.path).map(drop)
}

/// The temporary file beside FILE that the dump goes into; removed unless it becomes FILE.
struct Partial {
    path: PathBuf,
    file: File,
    kept: bool,
}

impl Partial {
    fn create(target: &Path) -> Result<Self, String> {
        let name = target
            .file_name()
            .ok_or_else(|| format!("{} is not a file name", target.display()))?;
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let path = folder.join(format!(".{}.partial-{}", name.to_string_lossy(), std::process::id()));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| format!("cannot write in {}: {e}", folder.display()))?;
        Ok(Self {
            path,
            file,
            kept: false,
        })
    }

    /// Moves the finished dump to `target` (replacing it only with `force`) and returns its size.
    fn persist(mut self, target: &Path, force: bool) -> Result<u64, String> {
        let size = self
            .file
            .metadata()
            .map_err(|e| format!("cannot read {}: {e}", self.path.display()))?
            .len();
        let moved = if force {
            fs::rename(&self.path, target)
        } else {
            // A hard link never replaces an existing file, even one created since the check above.
            match fs::hard_link(&self.path, target) {
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    return Err(format!(
                        "{} appeared while the backup ran; give --force to replace it",
                        target.display()
                    ))
                }
                Ok(()) => {
                    let _ = fs::remove_file(&self.path);
                    Ok(())
                }
                // A file system without hard links.
                Err(_) => fs::rename(&self.path, target),
            }
        };
        moved.map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        self.kept = true;
        if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            // Makes the new name durable; the data already is.
            let _ = File::open(folder).and_then(|f| f.sync_all());
        }
        Ok(size)
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.kept {
            let _ = fs::remove_file(&self.path);
        }
    }
}
