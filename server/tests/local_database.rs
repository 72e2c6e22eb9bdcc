//! The `make run` path, with the real binary: from an empty data folder `trellis serve` creates
//! and starts a private PostgreSQL, answers 503 while the database is away and recovers by itself
//! when it returns, and stops the cluster on SIGTERM. Bad start-up conditions exit non-zero with
//! a message that says what is wrong.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use trellis::local_pg::LocalPostgres;

const BIN: &str = env!("CARGO_BIN_EXE_trellis");

fn status_of(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

fn wait_for(port: u16, path: &str, want: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while status_of(port, path) != Some(want) {
        assert!(
            Instant::now() < deadline,
            "{path} never answered {want} (last: {:?})",
            status_of(port, path)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn local_db(action: &str, dir: &Path) {
    let status = Command::new(BIN)
        .args(["local-db", action, "--data-dir"])
        .arg(dir)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "local-db {action}");
}

fn scratch_dir() -> PathBuf {
    // Under /tmp so that the postgres user can reach it when the tests run as root.
    let dir = PathBuf::from("/tmp").join(format!("trellis-local-{}", app::backend::tokens::short_reference()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn serve_provisions_a_private_database_survives_an_outage_and_stops_it() {
    let dir = scratch_dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(BIN)
        .arg("serve")
        .env_remove("DATABASE_URL")
        .env("TRELLIS_DATA_DIR", &dir)
        .env("TRELLIS_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(port, "/healthz", 200);
    assert!(
        dir.join("postgres/data/PG_VERSION").is_file(),
        "initdb ran in the data folder"
    );
    assert!(dir.join("secret").is_file(), "a CSRF secret was generated and kept");

    local_db("stop", &dir);
    wait_for(port, "/healthz", 503);
    assert_eq!(status_of(port, "/"), Some(503), "pages say the database is away");

    local_db("start", &dir);
    wait_for(port, "/healthz", 200);
    assert_eq!(status_of(port, "/"), Some(200), "and recover by themselves");

    // SAFETY: sending SIGTERM to our own child process.
    unsafe { libc::kill(server.id() as i32, libc::SIGTERM) };
    let exit = server.wait().unwrap();
    assert!(exit.success(), "clean shutdown: {exit:?}");
    assert!(
        !LocalPostgres::new(&dir).unwrap().is_running(),
        "the private cluster is stopped on exit"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_unreachable_database_at_start_is_a_clear_error() {
    let out = Command::new(BIN)
        .arg("migrate")
        .env("DATABASE_URL", "postgres://trellis@127.0.0.1:9/none")
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("could not connect to the database"), "{stderr}");
}

#[test]
fn a_bad_setting_names_its_variable() {
    let out = Command::new(BIN)
        .arg("migrate")
        .env("TRELLIS_ADDR", "everywhere")
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("TRELLIS_ADDR"), "{stderr}");
}
