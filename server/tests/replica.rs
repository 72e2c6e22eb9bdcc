//! `DATABASE_REPLICA_URL` against a real streaming standby: a private primary cluster and a
//! standby made from it with `pg_basebackup -R`, each on its own Unix socket, and the real
//! `trellis serve`.
//!
//! With the standby's replay paused, a conversion committed on the primary is missing from the
//! CSV export and the conversion list, so they read from the standby; once replay resumes it
//! appears. With a one-second lag bound and WAL waiting to be replayed, the export falls back to
//! the primary (the row the standby lacks is there); with the standby stopped, reports still
//! answer 200 from the primary; a server started while the standby is down uses it once it
//! comes up. A replica URL that reaches the primary itself, spelled the same or not, stops
//! start-up with a message naming DATABASE_REPLICA_URL.

mod serve;

use serve::{get, login_operator, text, Server, BIN};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use trellis::local_pg::LocalPostgres;

/// A primary and its standby under one folder in /tmp (short, for the socket paths, and
/// reachable by the postgres user when the tests run as root); both stopped and the folder
/// removed when dropped, whatever happened.
struct Clusters {
    dir: PathBuf,
    primary: LocalPostgres,
    standby: LocalPostgres,
}

impl Drop for Clusters {
    fn drop(&mut self) {
        for (name, pg) in [("standby", &self.standby), ("primary", &self.primary)] {
            if let Err(e) = pg.stop() {
                eprintln!("could not stop the {name}: {e}");
            }
        }
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

impl Clusters {
    fn start() -> Self {
        let dir = PathBuf::from("/tmp").join(format!("trellis-rep-{}", app::backend::tokens::short_reference()));
        let primary = LocalPostgres::new(&dir.join("p")).unwrap();
        let standby = LocalPostgres::new(&dir.join("s")).unwrap().standby_of(&primary);
        let clusters = Self { dir, primary, standby };
        clusters.primary.start().expect("starting the primary");
        clusters.standby.start().expect("making and starting the standby");
        assert_eq!(sql(&clusters.standby, "SELECT pg_is_in_recovery()"), "t");
        clusters
    }

    fn primary_url(&self) -> String {
        self.primary.url("trellis")
    }

    fn standby_url(&self) -> String {
        self.standby.url("trellis")
    }

    /// Waits until the standby has received (`replayed` false) or replayed everything the
    /// primary has written so far.
    fn wait_for_standby(&self, replayed: bool) {
        let written = sql(&self.primary, "SELECT pg_current_wal_lsn()");
        let function = if replayed {
            "pg_last_wal_replay_lsn"
        } else {
            "pg_last_wal_receive_lsn"
        };
        let caught_up = format!("SELECT {function}() >= '{written}'::pg_lsn");
        eventually(&format!("the standby's {function} reaches {written}"), || {
            sql(&self.standby, &caught_up) == "t"
        });
    }
}

/// One value from `query` in the `trellis` database of `pg`.
fn sql(pg: &LocalPostgres, query: &str) -> String {
    pg.client("psql", &["-d", "trellis", "-tAc", query])
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .trim()
        .to_owned()
}

fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A conversion committed on the primary, with order id `order_id`.
fn convert(clusters: &Clusters, program_id: &str, order_id: &str) {
    sql(
        &clusters.primary,
        &format!(
            "INSERT INTO conversions (program_id, order_id, event, amount, currency, occurred_at, received_at, attribution, request, deductions)
             VALUES ({program_id}, '{order_id}', 'sale', 10, 'USD', now(), now(), 'none', '{{}}', 0) RETURNING id"
        ),
    );
}

fn trellis(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env("RUST_LOG", "off");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

/// `trellis serve` on the primary and the standby, logging to `log`.
fn serve(clusters: &Clusters, data: &Path, log: &Path, max_lag: &str) -> Server {
    let log = std::fs::File::create(log).unwrap();
    Server::start(|serve| {
        serve
            .env("DATABASE_URL", clusters.primary_url())
            .env("DATABASE_REPLICA_URL", clusters.standby_url())
            .env("TRELLIS_REPLICA_MAX_LAG_SECONDS", max_lag)
            .env("TRELLIS_DATA_DIR", data)
            .env("RUST_LOG", "info")
            .stderr(Stdio::from(log));
    })
}

/// How many times the server has logged `message` so far.
fn logged(log: &Path, message: &str) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .matches(message)
        .count()
}

const ON_REPLICA: &str = "reports and CSV exports read from the replica";
const TOO_FAR: &str = "too far behind";
const UNREACHABLE: &str = "can't be reached";

#[test]
fn reports_read_from_a_fit_replica_and_otherwise_from_the_primary() {
    let clusters = Clusters::start();
    let primary_url = clusters.primary_url();
    let seeded = trellis(&["seed-demo"], &[("DATABASE_URL", &primary_url)]);
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    clusters.wait_for_standby(true);
    let program = sql(
        &clusters.primary,
        "SELECT program_id FROM conversions GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
    );
    let csv = format!("/console/programs/{program}/conversions.csv");
    let list = format!("/console/programs/{program}/conversions");
    let data = clusters.dir.join("data");

    // 1. A generous bound: reports read from the standby, whose replay is paused.
    let log = clusters.dir.join("lag-600.log");
    let server = serve(&clusters, &data, &log, "600");
    eventually("the replica is used", || logged(&log, ON_REPLICA) == 1);
    let session = login_operator(server.port, "admin@acme.test");
    let before = get(server.port, &csv, &session);
    assert_eq!(before.status, 200, "{}", before.body);
    assert!(
        before.body.lines().count() > 1,
        "the demo's conversions: {}",
        before.body
    );
    sql(&clusters.standby, "SELECT pg_wal_replay_pause()");
    convert(&clusters, &program, "REPLICA-ONE");
    clusters.wait_for_standby(false);
    let export = get(server.port, &csv, &session);
    assert_eq!(export.status, 200);
    assert!(
        !export.body.contains("REPLICA-ONE"),
        "read from the standby, not the primary"
    );
    assert_eq!(export.body, before.body, "the standby's rows, as before");
    let page = get(server.port, &list, &session);
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("REPLICA-ONE"), "the conversion list too");
    sql(&clusters.standby, "SELECT pg_wal_replay_resume()");
    eventually("the new conversion reaches the export", || {
        get(server.port, &csv, &session).body.contains("REPLICA-ONE")
    });
    assert!(get(server.port, &list, &session).body.contains("REPLICA-ONE"));
    assert_eq!(logged(&log, ON_REPLICA), 1, "the route is logged once, not per request");
    drop(server);

    // 2. A one-second bound, replay paused with WAL waiting: the primary answers instead.
    let log = clusters.dir.join("lag-1.log");
    let server = serve(&clusters, &data, &log, "1");
    eventually("the replica is used", || logged(&log, ON_REPLICA) >= 1);
    let session = login_operator(server.port, "admin@acme.test");
    sql(&clusters.standby, "SELECT pg_wal_replay_pause()");
    convert(&clusters, &program, "REPLICA-TWO");
    clusters.wait_for_standby(false);
    eventually("the export falls back to the primary", || {
        get(server.port, &csv, &session).body.contains("REPLICA-TWO")
    });
    assert_eq!(
        sql(
            &clusters.standby,
            "SELECT count(*) FROM conversions WHERE order_id = 'REPLICA-TWO'"
        ),
        "0",
        "the standby still lacks it: the primary answered"
    );
    assert!(get(server.port, &list, &session).body.contains("REPLICA-TWO"));
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(
        said.contains(TOO_FAR) && said.contains("TRELLIS_REPLICA_MAX_LAG_SECONDS (1 s)"),
        "{said}"
    );
    // Replayed, and nothing else waiting: no lag, however old its last transaction.
    let used = logged(&log, ON_REPLICA);
    sql(&clusters.standby, "SELECT pg_wal_replay_resume()");
    eventually("the caught-up replica is used again", || {
        logged(&log, ON_REPLICA) > used
    });

    // 3. The standby stopped: reports still answer, from the primary.
    clusters.standby.stop().unwrap();
    let export = get(server.port, &csv, &session);
    assert_eq!(export.status, 200, "{}", export.body);
    assert!(export.body.contains("REPLICA-TWO"));
    let page = get(server.port, &list, &session);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("REPLICA-TWO"));
    let overview = get(server.port, &format!("/console/programs/{program}"), &session);
    assert_eq!(overview.status, 200, "the program's report");
    eventually("the fallback is logged", || logged(&log, UNREACHABLE) >= 1);
    drop(server);

    // ... and one that is down at start is no reason not to start; it is used once it is up.
    let log = clusters.dir.join("down-at-start.log");
    let server = serve(&clusters, &data, &log, "30");
    let session = login_operator(server.port, "admin@acme.test");
    assert_eq!(get(server.port, &csv, &session).status, 200);
    assert!(logged(&log, UNREACHABLE) >= 1);
    clusters.standby.start().unwrap();
    eventually("the replica is used once it is up", || logged(&log, ON_REPLICA) >= 1);
    assert_eq!(get(server.port, &csv, &session).status, 200);
    drop(server);

    // 4. A replica URL that reaches the primary: the same text, another spelling, another database.
    let root = primary_url.split("host=").nth(1).unwrap().split('&').next().unwrap();
    for replica_url in [
        primary_url.clone(),
        format!("postgres://trellis@/trellis?host={root}"),
        clusters.primary.url("postgres"),
    ] {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let out = trellis(
            &["serve"],
            &[
                ("DATABASE_URL", &primary_url),
                ("DATABASE_REPLICA_URL", &replica_url),
                ("TRELLIS_DATA_DIR", data.to_str().unwrap()),
                ("TRELLIS_ADDR", &format!("127.0.0.1:{port}")),
            ],
        );
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{replica_url} was accepted");
        assert!(stderr.contains("DATABASE_REPLICA_URL"), "{replica_url}: {stderr}");
        assert!(
            stderr.contains("same URL as DATABASE_URL") || stderr.contains("the primary itself"),
            "{replica_url}: {stderr}"
        );
    }
}
