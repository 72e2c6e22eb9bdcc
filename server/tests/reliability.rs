//! The redirect's promise under a crash: a visitor who received a redirect has a stored click.
//! Each cycle starts the real binary, loads `GET /r/{code}` from many connections, and SIGKILLs
//! the server at a random moment mid-load. Afterwards every click id that reached a client in a
//! complete `302` must be in `clicks`, once. Responses cut off by the kill, and 503s, promise
//! nothing and are not counted.
//!
//! `TRELLIS_KILL_CYCLES` sets the number of cycles (default 20; `make bench` runs 100).

use app::backend::testing::TestDb;
use rand::Rng;
use std::collections::HashSet;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_trellis");
const LOAD_TASKS: usize = 16;
const CLICK_PARAM: &str = "trl_click=";

/// Kills the server with SIGKILL when dropped, so a failing test leaves no server behind.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_server(database_url: &str, data_dir: &std::path::Path) -> Server {
    let port = free_port();
    let child = Command::new(BIN)
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("TRELLIS_ADDR", format!("127.0.0.1:{port}"))
        .env("TRELLIS_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("starting trellis serve");
    Server { child, port }
}

/// One parsed response: the status and the `Location` header.
struct Reply {
    status: u16,
    location: Option<String>,
}

/// A minimal HTTP/1.1 keep-alive client: enough for GET requests whose responses carry a
/// `Content-Length` (axum's 302s and error pages do).
struct Client {
    stream: TcpStream,
    buffer: Vec<u8>,
}

fn io_error(message: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message.into())
}

impl Client {
    async fn connect(port: u16) -> std::io::Result<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buffer: Vec::with_capacity(4096),
        })
    }

    async fn fill(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 4096];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.buffer.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// Sends a GET and reads one complete response; anything short of that is an error.
    async fn get(&mut self, path: &str) -> std::io::Result<(Reply, bool)> {
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0 (reliability test)\r\n\r\n");
        self.stream.write_all(request.as_bytes()).await?;
        let head_end = loop {
            if let Some(i) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            self.fill().await?;
        };
        let head = std::str::from_utf8(&self.buffer[..head_end]).map_err(|_| io_error("head is not UTF-8"))?;
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status: u16 = status_line
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| io_error(format!("bad status line {status_line:?}")))?;
        let (mut length, mut location, mut close) = (0usize, None, false);
        for line in lines.filter(|l| !l.is_empty()) {
            let (name, value) = line.split_once(':').ok_or_else(|| io_error("bad header"))?;
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse().map_err(|_| io_error("bad content-length"))?,
                "location" => location = Some(value.to_owned()),
                "connection" => close = value.eq_ignore_ascii_case("close"),
                "transfer-encoding" => panic!("the test client expects Content-Length, got {line:?}"),
                _ => {}
            }
        }
        while self.buffer.len() < head_end + length {
            self.fill().await?;
        }
        self.buffer.drain(..head_end + length);
        Ok((Reply { status, location }, !close))
    }
}

/// The click id in a redirect's `Location`.
fn click_id(location: &str) -> String {
    let start = location
        .find(CLICK_PARAM)
        .unwrap_or_else(|| panic!("no {CLICK_PARAM} in Location {location:?}"))
        + CLICK_PARAM.len();
    let id: String = location[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    assert_eq!(id.len(), 22, "a click id is 22 alphanumeric characters: {location:?}");
    id
}

#[derive(Default)]
struct Tally {
    redirects: AtomicU64,
    unavailable: AtomicU64,
    failed: AtomicU64,
}

/// Requests `path` over and over on one keep-alive connection (reconnecting after errors)
/// until `stop`, returning the click ids of the complete 302s it received.
async fn load(port: u16, path: String, stop: Arc<AtomicBool>, tally: Arc<Tally>) -> Vec<String> {
    let mut ids = Vec::new();
    let mut client = None;
    while !stop.load(Ordering::Relaxed) {
        let conn = match client.as_mut() {
            Some(conn) => conn,
            None => match Client::connect(port).await {
                Ok(conn) => client.insert(conn),
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
            },
        };
        match tokio::time::timeout(Duration::from_secs(10), conn.get(&path)).await {
            Ok(Ok((reply, keep_alive))) => {
                match reply.status {
                    302 => {
                        let location = reply.location.expect("a 302 has a Location");
                        ids.push(click_id(&location));
                        tally.redirects.fetch_add(1, Ordering::Relaxed);
                    }
                    503 => {
                        tally.unavailable.fetch_add(1, Ordering::Relaxed);
                    }
                    other => panic!("GET {path} answered {other}"),
                }
                if !keep_alive {
                    client = None;
                }
            }
            Ok(Err(_)) | Err(_) => {
                tally.failed.fetch_add(1, Ordering::Relaxed);
                client = None;
            }
        }
    }
    ids
}

async fn status_of(port: u16, path: &str) -> Option<u16> {
    let mut client = Client::connect(port).await.ok()?;
    let (reply, _) = tokio::time::timeout(Duration::from_secs(5), client.get(path))
        .await
        .ok()?
        .ok()?;
    Some(reply.status)
}

async fn wait_until_healthy(server: &mut Server) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if status_of(server.port, "/healthz").await == Some(200) {
            return;
        }
        if let Ok(Some(exit)) = server.child.try_wait() {
            panic!("trellis serve exited before it was healthy: {exit}");
        }
        assert!(Instant::now() < deadline, "trellis serve was not healthy within 60 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct Code {
    #[diesel(sql_type = diesel::sql_types::Text)]
    code: String,
}

async fn demo_link_code(db: &TestDb) -> String {
    use diesel_async::RunQueryDsl;
    diesel::sql_query(
        "SELECT code FROM links WHERE program_id = (SELECT id FROM programs WHERE slug = 'acme-affiliates') \
         ORDER BY id LIMIT 1",
    )
    .get_result::<Code>(&mut *db.conn().await)
    .await
    .expect("the demo has a tracked link")
    .code
}

/// How many of `ids` are in `clicks`.
async fn stored_clicks(db: &TestDb, ids: &[String]) -> i64 {
    use diesel_async::RunQueryDsl;
    diesel::sql_query("SELECT count(*) AS n FROM clicks WHERE id = ANY($1)")
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(ids)
        .get_result::<Count>(&mut *db.conn().await)
        .await
        .unwrap()
        .n
}

async fn all_clicks(db: &TestDb) -> i64 {
    use diesel_async::RunQueryDsl;
    diesel::sql_query("SELECT count(*) AS n FROM clicks")
        .get_result::<Count>(&mut *db.conn().await)
        .await
        .unwrap()
        .n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_redirect_received_before_a_sigkill_has_its_click_stored_once() {
    let cycles: usize = std::env::var("TRELLIS_KILL_CYCLES")
        .ok()
        .map(|v| v.trim().parse().expect("TRELLIS_KILL_CYCLES is a whole number"))
        .unwrap_or(20);
    let db = TestDb::new().await;
    let seed = std::process::Command::new(BIN)
        .arg("seed-demo")
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert!(
        seed.status.success(),
        "seed-demo: {}",
        String::from_utf8_lossy(&seed.stderr)
    );
    let code = demo_link_code(&db).await;
    let path = format!("/r/{code}");
    let data_dir = std::env::temp_dir().join(format!(
        "trellis-reliability-{}",
        app::backend::tokens::short_reference()
    ));
    std::fs::create_dir_all(&data_dir).unwrap();

    let tally = Arc::new(Tally::default());
    let mut received: Vec<String> = Vec::new();
    for cycle in 0..cycles {
        let mut server = start_server(db.url(), &data_dir);
        wait_until_healthy(&mut server).await;
        let stop = Arc::new(AtomicBool::new(false));
        let tasks: Vec<_> = (0..LOAD_TASKS)
            .map(|_| tokio::spawn(load(server.port, path.clone(), stop.clone(), tally.clone())))
            .collect();
        let delay = rand::thread_rng().gen_range(50..=400);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        server.child.start_kill().expect("SIGKILL to the server");
        let exit = server.child.wait().await.expect("waiting for the killed server");
        assert!(
            exit.code().is_none(),
            "cycle {cycle}: the server died by a signal: {exit}"
        );
        stop.store(true, Ordering::Relaxed);
        for task in tasks {
            received.extend(task.await.expect("a load task panicked"));
        }
    }
    std::fs::remove_dir_all(&data_dir).ok();

    let redirects = tally.redirects.load(Ordering::Relaxed);
    let unavailable = tally.unavailable.load(Ordering::Relaxed);
    let failed = tally.failed.load(Ordering::Relaxed);
    let summary = format!(
        "{cycles} cycles: {redirects} redirects received, {unavailable} answered 503, {failed} cut off or failed"
    );
    println!("{summary}");
    assert!(
        received.len() >= cycles,
        "too few redirects to mean anything: {summary}"
    );

    let distinct: HashSet<&String> = received.iter().collect();
    assert_eq!(
        distinct.len(),
        received.len(),
        "a click id was handed out twice: {summary}"
    );
    let stored = stored_clicks(&db, &received).await;
    assert_eq!(
        stored,
        received.len() as i64,
        "every click id a visitor received is stored: {} missing; {summary}",
        received.len() as i64 - stored
    );
    let total = all_clicks(&db).await;
    println!("clicks stored in total (received or not): {total}");
}
