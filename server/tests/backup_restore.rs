//! `trellis backup` and `trellis restore` with the real binary and private PostgreSQL clusters:
//! the demo backed up from one data folder and restored into an empty one is served the same
//! (same rows, same join page, the demo manager logs in), and bad input (an existing backup file,
//! a garbage or truncated archive, a data folder that holds data) is refused and changes nothing.

mod serve;

use serve::{get, login_operator, text, Server, BIN};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use trellis::local_pg::LocalPostgres;

/// A folder under /tmp (short, for the socket path, and reachable by the postgres user when the
/// tests run as root) holding data folders and archives. Dropping it stops every cluster in it.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let dir = PathBuf::from("/tmp").join(format!("trellis-bk-{}", app::backend::tokens::short_reference()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for entry in std::fs::read_dir(&self.0).into_iter().flatten().flatten() {
            if entry.path().join("postgres").is_dir() {
                let _ = Command::new(BIN)
                    .args(["local-db", "stop", "--data-dir"])
                    .arg(entry.path())
                    .output();
            }
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn trellis(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("DATABASE_URL")
        .env("TRELLIS_DATA_DIR", data_dir)
        .env("RUST_LOG", "info")
        .output()
        .unwrap()
}

fn succeeds(data_dir: &Path, args: &[&str]) -> Output {
    let out = trellis(data_dir, args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    out
}

/// Runs `args`, expects a refusal, and returns its message.
fn refused(data_dir: &Path, args: &[&str]) -> String {
    let out = trellis(data_dir, args);
    assert!(!out.status.success(), "{args:?} should be refused");
    text(&out.stderr)
}

const TABLES: [&str; 10] = [
    "brands",
    "programs",
    "partners",
    "users",
    "deals",
    "links",
    "clicks",
    "conversions",
    "commissions",
    "__diesel_schema_migrations",
];

/// Row counts of TABLES in a data folder's database, with the cluster started for the query and
/// stopped again.
fn counts(data_dir: &Path) -> Vec<i64> {
    let sql = TABLES
        .map(|t| format!("(SELECT count(*) FROM {t})"))
        .join(" || ',' || ");
    let pg = LocalPostgres::new(data_dir).unwrap();
    let out = pg
        .while_running(|pg| pg.client("psql", &["--dbname", "trellis", "-tAc", &format!("SELECT {sql}")]))
        .unwrap();
    out.trim().split(',').map(|n| n.parse().unwrap()).collect()
}

#[test]
fn the_demo_backed_up_and_restored_into_an_empty_folder_is_served_the_same() {
    let scratch = Scratch::new();
    let (source, restored, file) = (scratch.path("a"), scratch.path("b"), scratch.path("demo.dump"));
    succeeds(&source, &["seed-demo"]);
    let file_arg = file.to_str().unwrap();

    let backup = succeeds(&source, &["backup", file_arg]);
    let said = text(&backup.stdout);
    let size = std::fs::metadata(&file).unwrap().len();
    assert!(
        said.contains(file_arg) && said.contains(&format!("{size} bytes")),
        "{said}"
    );
    assert!(std::fs::read(&file).unwrap().starts_with(b"PGDMP"));
    assert!(
        !LocalPostgres::new(&source).unwrap().is_running(),
        "backup stops the cluster it started"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&scratch.0)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left: {leftovers:?}");

    let restore = succeeds(&restored, &["restore", file_arg]);
    assert!(text(&restore.stdout).contains("Restored"), "{}", text(&restore.stdout));
    assert!(!LocalPostgres::new(&restored).unwrap().is_running());
    let migrate = succeeds(&restored, &["migrate"]);
    assert!(
        !text(&migrate.stderr).contains("applied migration"),
        "no migration is pending after a restore: {}",
        text(&migrate.stderr)
    );
    let before = counts(&source);
    assert!(
        before.iter().all(|&n| n > 0),
        "the demo fills every counted table: {before:?}"
    );
    assert_eq!(counts(&restored), before, "{TABLES:?}");

    let server = Server::start(|serve| {
        serve
            .env_remove("DATABASE_URL")
            .env("TRELLIS_DATA_DIR", &restored)
            .env("RUST_LOG", "warn")
            .stderr(Stdio::null());
    });
    let join = get(server.port, "/join/acme-resellers", "");
    assert_eq!(join.status, 200);
    assert!(join.body.contains("Acme Resellers"), "the demo's program is served");
    let session = login_operator(server.port, "manager@acme.test");
    assert_eq!(
        get(server.port, "/console", &session).status,
        200,
        "the demo manager's console"
    );
    assert_eq!(
        get(server.port, "/console", "").status,
        303,
        "and only with the session"
    );
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let scratch = Scratch::new();
    let (data, empty, file) = (scratch.path("a"), scratch.path("c"), scratch.path("demo.dump"));
    let file_arg = file.to_str().unwrap();
    succeeds(&data, &["seed-demo"]);
    succeeds(&data, &["backup", file_arg]);
    let archive = std::fs::read(&file).unwrap();

    // An existing backup is never overwritten without --force.
    assert!(refused(&data, &["backup", file_arg]).contains("already exists; give --force"));
    assert_eq!(std::fs::read(&file).unwrap(), archive, "the file is untouched");

    // Data added since the backup shows what a refused restore keeps.
    succeeds(
        &data,
        &["create-operator", "--email", "later@acme.test", "--role", "viewer"],
    );
    let current = counts(&data);

    let message = refused(&data, &["restore", file_arg]);
    assert!(message.contains("already holds a Trellis database"), "{message}");
    assert!(message.contains("--force"), "{message}");
    assert_eq!(counts(&data), current, "a refused restore changes nothing");

    let garbage = scratch.path("garbage.dump");
    std::fs::write(&garbage, "-- not an archive\n").unwrap();
    let truncated = scratch.path("cut.dump");
    std::fs::write(&truncated, &archive[..archive.len() / 2]).unwrap();
    for (args, why) in [
        (
            vec!["restore", "--force", garbage.to_str().unwrap()],
            "is not a Trellis backup",
        ),
        (vec!["restore", "--force", "/tmp/no/such.dump"], "does not exist"),
        (
            vec!["restore", "--force", truncated.to_str().unwrap()],
            "pg_restore failed",
        ),
    ] {
        let message = refused(&data, &args);
        assert!(message.contains(why), "{args:?}: {message}");
        assert_eq!(counts(&data), current, "{args:?} changes nothing");
    }
    assert!(refused(&empty, &["restore", garbage.to_str().unwrap()]).contains("is not a Trellis backup"));
    assert!(!empty.exists(), "a refused archive creates no data folder");

    // --force replaces the data with the backup's.
    succeeds(&data, &["restore", "--force", file_arg]);
    let users = TABLES.iter().position(|&t| t == "users").unwrap();
    assert_eq!(counts(&data)[users], current[users] - 1, "the later operator is gone");
    succeeds(&data, &["backup", "--force", file_arg]);
    assert!(std::fs::read(&file).unwrap().starts_with(b"PGDMP"));
}
