//! `trellis backup` and `trellis restore` with the real binary and private PostgreSQL clusters:
//! the demo backed up from one data folder and restored into an empty one is served the same
//! (same rows, same join page, the demo manager logs in), and bad input (an existing backup file,
//! a garbage or truncated archive, a data folder that holds data) is refused and changes nothing.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use trellis::commands::seed::DEMO_PASSWORD;
use trellis::local_pg::LocalPostgres;

const BIN: &str = env!("CARGO_BIN_EXE_trellis");

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

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
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

    let server = Server::start(&restored);
    let join = get(server.port, "/join/acme-resellers", "");
    assert_eq!(join.status, 200);
    assert!(join.body.contains("Acme Resellers"), "the demo's program is served");
    let login = get(server.port, "/login", "");
    let csrf_cookie = login.cookie("trellis_csrf");
    let marker = "name=\"csrf-token\" content=\"";
    let start = login.body.find(marker).expect("a CSRF token on the login page") + marker.len();
    let token = &login.body[start..start + 64];
    let form = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("csrf_token", token),
            ("email", "manager@acme.test"),
            ("password", DEMO_PASSWORD),
            ("next", ""),
        ])
        .finish();
    let cookies = format!("trellis_csrf={csrf_cookie}");
    let logged_in = request(server.port, "POST", "/login", &cookies, &form);
    assert_eq!(logged_in.status, 303, "{}", logged_in.head);
    assert!(
        logged_in.head.to_lowercase().contains("\r\nlocation: /console\r\n"),
        "{}",
        logged_in.head
    );
    let session = format!("{cookies}; trellis_session={}", logged_in.cookie("trellis_session"));
    assert_eq!(
        get(server.port, "/console", &session).status,
        200,
        "the demo manager's console"
    );
    assert_eq!(
        get(server.port, "/console", &cookies).status,
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

/// `trellis serve` on a free port, stopped with SIGTERM when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(data_dir: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(BIN)
            .arg("serve")
            .env_remove("DATABASE_URL")
            .env("TRELLIS_DATA_DIR", data_dir)
            .env("TRELLIS_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() || get(port, "/healthz", "").status != 200 {
            assert!(Instant::now() < deadline, "serve never became healthy");
            std::thread::sleep(Duration::from_millis(200));
        }
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SAFETY: sending SIGTERM to our own child process.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn cookie(&self, name: &str) -> String {
        let prefix = format!("\r\nset-cookie: {name}=");
        let start = self.head.to_lowercase().find(&prefix).expect(name) + prefix.len();
        self.head[start..].split([';', '\r']).next().unwrap().to_owned()
    }
}

fn get(port: u16, path: &str, cookies: &str) -> Reply {
    request(port, "GET", path, cookies, "")
}

/// One HTTP/1.0 request (so the body is neither chunked nor kept alive).
fn request(port: u16, method: &str, path: &str, cookies: &str, form: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n");
    if !cookies.is_empty() {
        head.push_str(&format!("Cookie: {cookies}\r\n"));
    }
    if method == "POST" {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            form.len()
        ));
    }
    write!(stream, "{head}\r\n{form}").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = text(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    Reply {
        status: head[9..12].parse().unwrap(),
        head: format!("{head}\r\n"),
        body: body.to_owned(),
    }
}
