//! `DATABASE_URL` with `sslmode`, against a real PostgreSQL that accepts TCP connections only over
//! TLS: a private cluster with a certificate for `localhost` from a CA made here (the `openssl`
//! command), and `hostssl` as its only TCP line in pg_hba.conf.
//!
//! Plain TCP is refused; `require` and `verify-full` (with `sslrootcert`) connect through the
//! pool, the migrations and the binary, and the server sees the sessions as TLS; `verify-full`
//! refuses a certificate from a CA it doesn't trust and one for another host name.

use app::backend::db::{build_pool, connect, run_migrations};
use diesel::sql_types::Bool;
use diesel_async::RunQueryDsl;
use std::path::{Path, PathBuf};
use std::process::Command;
use trellis::local_pg::{LocalPostgres, TcpTls};

const BIN: &str = env!("CARGO_BIN_EXE_trellis");

/// A cluster listening on 127.0.0.1 with TLS only; stopped and removed when dropped.
struct TlsCluster {
    pg: LocalPostgres,
    dir: PathBuf,
    port: u16,
    ca: PathBuf,
    other_ca: PathBuf,
}

impl Drop for TlsCluster {
    fn drop(&mut self) {
        if let Err(e) = self.pg.stop() {
            eprintln!("could not stop the test cluster: {e}");
        }
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

impl TlsCluster {
    fn start() -> Self {
        // Under /tmp so that the postgres user can reach it when the tests run as root.
        let dir = PathBuf::from("/tmp").join(format!("trellis-tls-{}", app::backend::tokens::short_reference()));
        let certs = dir.join("certs");
        std::fs::create_dir_all(&certs).unwrap();
        let ca = make_ca(&certs, "ca");
        let other_ca = make_ca(&certs, "other-ca");
        let (cert_file, key_file) = make_server_cert(&certs, "ca", "localhost");
        let port = free_port();
        let pg = LocalPostgres::new(&dir.join("data")).unwrap().with_tcp_tls(TcpTls {
            port,
            cert_file,
            key_file,
        });
        let cluster = Self {
            pg,
            dir,
            port,
            ca,
            other_ca,
        };
        cluster.pg.start().expect("starting PostgreSQL with TLS on 127.0.0.1");
        cluster
    }

    fn url(&self, host: &str, database: &str, params: &str) -> String {
        format!("postgresql://trellis@{host}:{}/{database}?{params}", self.port)
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Runs `openssl` in `dir` with these space-separated arguments (file names without spaces).
fn openssl(dir: &Path, args: &str) {
    let out = Command::new("openssl")
        .args(args.split_whitespace())
        .current_dir(dir)
        .output()
        .expect("the openssl command (Debian package openssl) makes the test certificates");
    assert!(
        out.status.success(),
        "openssl {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A new P-256 key in `<name>.key` and, with `rest`, a request or certificate in `<name>.<ext>`.
fn new_key(dir: &Path, name: &str, ext: &str, rest: &str) -> PathBuf {
    openssl(
        dir,
        &format!("req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout {name}.key -out {name}.{ext} -subj /CN={name} {rest}"),
    );
    dir.join(format!("{name}.{ext}"))
}

/// A self-signed CA: `<name>.pem` and `<name>.key`.
fn make_ca(dir: &Path, name: &str) -> PathBuf {
    new_key(
        dir,
        name,
        "pem",
        "-x509 -days 2 -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign",
    )
}

/// A server certificate for `host` (its only name) signed by the CA `ca`: `<host>.crt`, `<host>.key`.
fn make_server_cert(dir: &Path, ca: &str, host: &str) -> (PathBuf, PathBuf) {
    let extensions = format!(
        "subjectAltName=DNS:{host}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
    );
    std::fs::write(dir.join(format!("{host}.ext")), extensions).unwrap();
    new_key(dir, host, "csr", "");
    openssl(
        dir,
        &format!("x509 -req -in {host}.csr -CA {ca}.pem -CAkey {ca}.key -CAcreateserial -days 2 -sha256 -extfile {host}.ext -out {host}.crt"),
    );
    (dir.join(format!("{host}.crt")), dir.join(format!("{host}.key")))
}

#[derive(diesel::QueryableByName)]
struct Ssl {
    #[diesel(sql_type = Bool)]
    ssl: bool,
}

const SESSION_IS_TLS: &str = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

/// Through the pool, as the server's requests do: is this session encrypted?
async fn pooled_session_is_tls(url: &str) -> bool {
    let pool = build_pool(url, 2).expect("a pool for a valid TLS URL");
    let mut conn = pool
        .get()
        .await
        .unwrap_or_else(|e| panic!("pool connection to {url}: {e}"));
    let row: Ssl = diesel::sql_query(SESSION_IS_TLS).get_result(&mut conn).await.unwrap();
    row.ssl
}

async fn connect_error(url: &str) -> String {
    match connect(url).await {
        Ok(_) => panic!("{url} connected"),
        Err(e) => e.to_string(),
    }
}

fn trellis_migrate(database_url: &str) -> std::process::Output {
    Command::new(BIN)
        .arg("migrate")
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "off")
        .output()
        .unwrap()
}

#[tokio::test]
async fn tls_urls_connect_encrypted_and_verify_full_checks_the_certificate() {
    let pg = TlsCluster::start();
    let ca = pg.ca.display().to_string();
    let other_ca = pg.other_ca.display().to_string();

    // No plain TCP: without sslmode (or with disable) the server refuses the connection.
    for params in ["", "sslmode=disable"] {
        let refused = connect_error(&pg.url("127.0.0.1", "trellis", params)).await;
        assert!(
            refused.contains("no pg_hba.conf entry") && refused.contains("no encryption"),
            "{refused}"
        );
    }

    // require: encrypted, certificate unchecked (the URL's 127.0.0.1 is not the certificate's name).
    let require = pg.url("127.0.0.1", "trellis", "sslmode=require");
    let applied = run_migrations(&require).await.expect("migrating over sslmode=require");
    assert!(!applied.is_empty(), "the migrations ran over TLS");
    assert!(pooled_session_is_tls(&require).await);

    // verify-full against our CA, on a database of its own so the migrations run again.
    let mut admin = connect(&require).await.unwrap();
    diesel::sql_query("CREATE DATABASE verified")
        .execute(&mut admin)
        .await
        .unwrap();
    let full = pg.url(
        "localhost",
        "verified",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    );
    assert_eq!(
        run_migrations(&full)
            .await
            .expect("migrating over sslmode=verify-full")
            .len(),
        applied.len()
    );
    assert!(pooled_session_is_tls(&full).await);

    // verify-full refuses a certificate from a CA it doesn't trust: the public roots, another CA.
    let untrusted = "not signed by a trusted CA";
    let public_roots = connect_error(&pg.url("localhost", "trellis", "sslmode=verify-full")).await;
    assert!(
        public_roots.contains(untrusted) && public_roots.contains("Mozilla"),
        "{public_roots}"
    );
    let wrong_ca = pg.url(
        "localhost",
        "trellis",
        &format!("sslmode=verify-full&sslrootcert={other_ca}"),
    );
    let wrong = connect_error(&wrong_ca).await;
    assert!(wrong.contains(untrusted) && wrong.contains(&other_ca), "{wrong}");
    let migration_error = run_migrations(&wrong_ca).await.unwrap_err();
    assert!(migration_error.contains(untrusted), "{migration_error}");

    // ... and one for another host: the certificate names localhost, the URL 127.0.0.1.
    let by_ip = connect_error(&pg.url("127.0.0.1", "trellis", &format!("sslmode=verify-full&sslrootcert={ca}"))).await;
    assert!(by_ip.contains("not valid for name \"127.0.0.1\""), "{by_ip}");
    // verify-ca checks the CA but not the name.
    let ca_only = pg.url("127.0.0.1", "trellis", &format!("sslmode=verify-ca&sslrootcert={ca}"));
    assert!(pooled_session_is_tls(&ca_only).await);
    let ca_wrong = connect_error(&pg.url(
        "127.0.0.1",
        "trellis",
        &format!("sslmode=verify-ca&sslrootcert={other_ca}"),
    ))
    .await;
    assert!(ca_wrong.contains(untrusted), "{ca_wrong}");

    // The binary: migrate over verify-full; bad TLS settings stop it before it connects.
    let out = trellis_migrate(&full);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (params, says) in [
        ("sslmode=verify", "sslmode 'verify' is not one of"),
        (
            "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
            "cannot read sslrootcert /nonexistent/ca.pem",
        ),
    ] {
        let out = trellis_migrate(&pg.url("localhost", "trellis", params));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains("DATABASE_URL") && stderr.contains(says),
            "{stderr}"
        );
    }
}
