//! The real `trellis serve` binary for the fault tests, and load loops that tally every answer
//! and keep every acknowledged write.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use trellis::soak::browser::{Browser, USER_AGENT};
use trellis::soak::http::{Client, Response};
use trellis::soak::load::click_id;

pub const BIN: &str = env!("CARGO_BIN_EXE_trellis");
/// A request with no answer after this long has hung: counted as a failure, not waited for.
const HUNG_AFTER: Duration = Duration::from_secs(60);

/// A server process, SIGKILLed when dropped so a failing test leaves nothing behind.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A folder under /tmp (the postgres user reaches it when the tests run as root).
pub fn scratch_dir(what: &str) -> PathBuf {
    let dir = PathBuf::from("/tmp").join(format!("trellis-{what}-{}", app::backend::tokens::short_reference()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn seed_demo(database_url: &str) {
    let seed = Command::new(BIN)
        .arg("seed-demo")
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert!(
        seed.status.success(),
        "seed-demo: {}",
        String::from_utf8_lossy(&seed.stderr)
    );
}

/// `trellis serve` on a free port over `database_url`, healthy before this returns.
pub async fn start_server(database_url: &str, data_dir: &Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(BIN)
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("TRELLIS_ADDR", format!("127.0.0.1:{port}"))
        .env("TRELLIS_DATA_DIR", data_dir)
        .env("TRELLIS_SECRET", "fault-tests-share-this-secret-between-instances")
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting trellis serve");
    let mut server = Server {
        child,
        addr: format!("127.0.0.1:{port}"),
    };
    // Start-up (migrations, the first connection) is not timed; a server that exits is a failure.
    loop {
        if Client::new(server.addr.clone())
            .get("/healthz", &[])
            .await
            .is_ok_and(|r| r.status == 200)
        {
            return server;
        }
        if let Ok(Some(exit)) = server.child.try_wait() {
            panic!("trellis serve exited before it was healthy: {exit}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every answer of a set of load loops, and the writes they acknowledged.
#[derive(Default)]
pub struct Tally {
    pub ok: AtomicU64,
    /// 503 with Retry-After.
    pub unavailable: AtomicU64,
    /// No complete answer (connection refused or cut, or hung).
    pub failed: AtomicU64,
    /// Any other answer: what it was.
    pub wrong: Mutex<Vec<String>>,
    pub clicks: Mutex<Vec<String>>,
    pub conversions: Mutex<Vec<i64>>,
}

impl Tally {
    pub fn ok(&self) -> u64 {
        self.ok.load(Ordering::Relaxed)
    }

    pub fn unavailable(&self) -> u64 {
        self.unavailable.load(Ordering::Relaxed)
    }

    pub fn failed(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }

    pub fn wrong(&self) -> Vec<String> {
        self.wrong.lock().unwrap().clone()
    }

    pub fn summary(&self) -> String {
        format!(
            "{} as expected, {} 503 with Retry-After, {} without an answer, {} wrong",
            self.ok(),
            self.unavailable(),
            self.failed(),
            self.wrong.lock().unwrap().len()
        )
    }

    /// Counts one answer; true when it was the expected status.
    fn count(
        &self,
        what: &str,
        want: u16,
        result: Result<std::io::Result<Response>, tokio::time::error::Elapsed>,
    ) -> Option<Response> {
        match result {
            Ok(Ok(response)) if response.status == want => {
                self.ok.fetch_add(1, Ordering::Relaxed);
                Some(response)
            }
            Ok(Ok(response)) if response.is_deliberate_unavailable() => {
                self.unavailable.fetch_add(1, Ordering::Relaxed);
                None
            }
            Ok(Ok(response)) => {
                let body: String = response.text().chars().take(300).collect();
                self.wrong
                    .lock()
                    .unwrap()
                    .push(format!("{what}: {} {body}", response.status));
                None
            }
            Ok(Err(_)) | Err(_) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }
}

/// Runs until `stop`: each loop waits a little after an answer that was not a success, as a
/// client honouring Retry-After would (shorter, to keep the test quick).
pub type Stop = Arc<AtomicBool>;

pub async fn click_loop(addr: String, code: String, tally: Arc<Tally>, stop: Stop) {
    let mut client = Client::new(addr.clone());
    let path = format!("/r/{code}");
    while !stop.load(Ordering::Relaxed) {
        let result = tokio::time::timeout(HUNG_AFTER, client.get(&path, &[("User-Agent", USER_AGENT)])).await;
        match tally.count(&format!("GET {path} on {addr}"), 302, result) {
            Some(response) => {
                let id = response
                    .header("location")
                    .and_then(click_id)
                    .expect("a 302 carries its click id");
                tally.clicks.lock().unwrap().push(id);
            }
            None => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
}

pub struct Sales {
    pub api_key: String,
    pub currency: String,
    pub prefix: String,
}

pub async fn conversion_loop(addr: String, sales: Arc<Sales>, tally: Arc<Tally>, stop: Stop) {
    let mut client = Client::new(addr.clone());
    let auth = format!("Bearer {}", sales.api_key);
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let body = serde_json::json!({
            "order_id": format!("{}-{n}", sales.prefix),
            "amount": "20.00",
            "currency": sales.currency,
        })
        .to_string();
        let request = client.send("POST", "/api/v1/conversions", &headers, body.as_bytes());
        let result = tokio::time::timeout(HUNG_AFTER, request).await;
        match tally.count(&format!("POST /api/v1/conversions on {addr}"), 201, result) {
            Some(response) => {
                let id = serde_json::from_slice::<serde_json::Value>(&response.body)
                    .ok()
                    .and_then(|v| v["id"].as_i64());
                tally
                    .conversions
                    .lock()
                    .unwrap()
                    .push(id.expect("a 201 carries the conversion id"));
            }
            None => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
}

/// A page read over and over by `browser` (logged in or not): 200, or 503 with Retry-After
/// while the database is away.
pub async fn page_loop(mut browser: Browser, path: &'static str, tally: Arc<Tally>, stop: Stop) {
    while !stop.load(Ordering::Relaxed) {
        let result = tokio::time::timeout(HUNG_AFTER, browser.get(path)).await;
        if tally.count(&format!("GET {path}"), 200, result).is_none() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Waits (polling) until `done` holds; gives up with a panic once `gave_up` holds, saying `what`.
pub async fn wait_until(what: &str, mut done: impl FnMut() -> bool, mut gave_up: impl FnMut() -> bool) {
    while !done() {
        assert!(!gave_up(), "{what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How many acknowledged writes are missing from the database: (clicks, conversions).
pub async fn missing(database_url: &str, program_id: i64, tally: &Tally) -> (u64, u64) {
    let clicks = tally.clicks.lock().unwrap().clone();
    let conversions = tally.conversions.lock().unwrap().clone();
    let stored = trellis::soak::verify::check(database_url, program_id, &clicks, &conversions, &[])
        .await
        .expect("checking the stored writes");
    assert_eq!(stored.duplicate_click_ids, 0, "a click id was handed out twice");
    (
        clicks.len() as u64 - stored.clicks,
        conversions.len() as u64 - stored.conversions,
    )
}
