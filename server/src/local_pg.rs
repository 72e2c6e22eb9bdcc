//! The embedded default database: a private PostgreSQL cluster under the data folder, listening
//! only on a Unix socket in that folder. Used when `DATABASE_URL` is not set.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct LocalPostgres {
    bin_dir: PathBuf,
    root: PathBuf,
    as_postgres_user: bool,
    tcp_tls: Option<TcpTls>,
    /// Made as a streaming standby of the cluster these client arguments reach.
    primary: Option<[String; 6]>,
}

/// A cluster that also listens on 127.0.0.1, TLS only (no plain TCP), with this certificate: for
/// tests of `sslmode` in `DATABASE_URL`. The socket in the folder stays, without TLS.
pub struct TcpTls {
    pub port: u16,
    /// PEM files; copied into the cluster's folder (the key readable by its owner alone).
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
}

const INSTALL_HINT: &str = "PostgreSQL's server programs (initdb, pg_ctl) were not found on PATH or under \
/usr/lib/postgresql/*/bin. Install them with `apt-get install postgresql` (Debian's package), or set \
DATABASE_URL to use an existing PostgreSQL server.";

/// Finds the directory holding `initdb` and `pg_ctl`: PATH first, then the newest
/// `/usr/lib/postgresql/<version>/bin`.
pub fn find_bin_dir() -> Option<PathBuf> {
    // Symlinks on PATH (as in /usr/local/bin) lead to the real folder, where psql lives too.
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
            .and_then(|dir| dir.join("initdb").canonicalize().ok())
            .and_then(|initdb| initdb.parent().map(Path::to_path_buf))
    });
    on_path.or_else(|| {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
            .filter(|(_, bin): &(u32, PathBuf)| bin.join("initdb").is_file())
            .collect();
        versions.sort();
        versions.pop().map(|(_, bin)| bin)
    })
}

fn postgres_can_enter(dir: &Path) -> bool {
    Command::new("runuser")
        .args(["-u", "postgres", "--", "test", "-x"])
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success())
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

impl LocalPostgres {
    /// Prepares (but doesn't start) the cluster under `<data_dir>/postgres`.
    pub fn new(data_dir: &Path) -> Result<Self, String> {
        let bin_dir = find_bin_dir().ok_or_else(|| INSTALL_HINT.to_owned())?;
        std::fs::create_dir_all(data_dir)
            .map_err(|e| format!("cannot create TRELLIS_DATA_DIR {}: {e}", data_dir.display()))?;
        let root = data_dir
            .canonicalize()
            .map_err(|e| format!("cannot resolve TRELLIS_DATA_DIR {}: {e}", data_dir.display()))?
            .join("postgres");
        let as_postgres_user = is_root();
        // Run as root, PostgreSQL runs as `postgres`, which must reach the folder. When a parent
        // is private (a clone under a 0700 temp folder, say), the cluster lives in a folder of its
        // own under /tmp instead, named after the data folder so every command finds it again.
        let root = if as_postgres_user && !postgres_can_enter(root.parent().unwrap_or(&root)) {
            let name = hex::encode(&app::backend::tokens::hash_token(&root.to_string_lossy())[..6]);
            let fallback = PathBuf::from("/tmp").join(format!("trellis-pg-{name}"));
            tracing::info!(dir = %fallback.display(), "the data folder is private to root; the private PostgreSQL lives here");
            fallback
        } else {
            root
        };
        // Unix socket paths are limited to about 107 bytes.
        if root.join(".s.PGSQL.65535").as_os_str().len() > 100 {
            return Err(format!(
                "the data folder path {} is too long for a PostgreSQL socket; set TRELLIS_DATA_DIR to a shorter path",
                data_dir.display()
            ));
        }
        Ok(Self {
            bin_dir,
            root,
            as_postgres_user,
            tcp_tls: None,
            primary: None,
        })
    }

    /// Made (when first started) as a streaming standby of `primary`, which must be running:
    /// `pg_basebackup -R` copies it and writes `standby.signal` and the `primary_conninfo` that
    /// follows it over its socket. For tests of `DATABASE_REPLICA_URL`.
    pub fn standby_of(self, primary: &LocalPostgres) -> Self {
        Self {
            primary: Some(primary.connection_args()),
            ..self
        }
    }

    /// Listens on 127.0.0.1 as `tls` says too (set before the cluster is first created).
    pub fn with_tcp_tls(self, tls: TcpTls) -> Self {
        Self {
            tcp_tls: Some(tls),
            ..self
        }
    }

    fn port(&self) -> u16 {
        self.tcp_tls.as_ref().map_or(5432, |tls| tls.port)
    }

    fn data(&self) -> PathBuf {
        self.root.join("data")
    }

    /// A PostgreSQL program of this installation, set to run as the `postgres` user when we are
    /// root (PostgreSQL refuses to run as root), in the cluster's folder. The caller adds the
    /// arguments and decides where its input and output go.
    pub fn command(&self, program: &str) -> Command {
        let program_path = self.bin_dir.join(program);
        let mut command = if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program_path);
            c
        } else {
            Command::new(&program_path)
        };
        command.current_dir(&self.root);
        command
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<std::process::Output, String> {
        self.command(program)
            .args(args)
            .output()
            .map_err(|e| format!("could not run {}: {e}", self.bin_dir.join(program).display()))
    }

    /// The arguments that point a client program (psql, pg_dump...) at this cluster as the
    /// `trellis` user.
    pub fn connection_args(&self) -> [String; 6] {
        [
            "-h".into(),
            self.root.to_string_lossy().into_owned(),
            "-p".into(),
            self.port().to_string(),
            "-U".into(),
            "trellis".into(),
        ]
    }

    /// Runs a client program against this cluster and returns its standard output, or its
    /// standard error as the error.
    pub fn client(&self, program: &str, args: &[&str]) -> Result<String, String> {
        let out = self
            .command(program)
            .args(self.connection_args())
            .args(args)
            .output()
            .map_err(|e| format!("could not run {}: {e}", self.bin_dir.join(program).display()))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "{program} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    /// Runs `f` with the cluster up: starts it if needed and stops it afterwards if this call
    /// started it (a cluster a running `trellis serve` started stays up).
    pub fn while_running<T>(&self, f: impl FnOnce(&Self) -> Result<T, String>) -> Result<T, String> {
        let (_, started_here) = self.start()?;
        let result = f(self);
        if started_here {
            if let Err(e) = self.stop() {
                tracing::error!(error = %e, "could not stop the private PostgreSQL");
            }
        }
        result
    }

    fn prepare_root(&self) -> Result<(), String> {
        std::fs::create_dir_all(&self.root).map_err(|e| format!("cannot create {}: {e}", self.root.display()))?;
        if let Some(tls) = &self.tcp_tls {
            self.copy_tls_files(tls)?;
        }
        if self.as_postgres_user {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&self.root)
                .status()
                .map_err(|e| format!("chown failed: {e}"))?;
            if !status.success() {
                return Err(
                    "could not give the postgres user the database folder (is there a `postgres` user?)".into(),
                );
            }
            let reachable = Command::new("runuser")
                .args(["-u", "postgres", "--", "test", "-w"])
                .arg(&self.root)
                .status()
                .is_ok_and(|s| s.success());
            if !reachable {
                return Err(format!(
                    "the postgres user can't reach {}; a parent folder is private. Set TRELLIS_DATA_DIR to a folder under /tmp or /var/lib, or set DATABASE_URL",
                    self.root.display()
                ));
            }
        }
        Ok(())
    }

    /// Into the folder that is about to be given to the server's user; PostgreSQL refuses a key
    /// that others may read.
    fn copy_tls_files(&self, tls: &TcpTls) -> Result<(), String> {
        use std::os::unix::fs::PermissionsExt;
        for (from, to) in [(&tls.cert_file, "server.crt"), (&tls.key_file, "server.key")] {
            std::fs::copy(from, self.root.join(to)).map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
        }
        std::fs::set_permissions(self.root.join("server.key"), std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("cannot make the TLS key private: {e}"))
    }

    /// What `init` adds to postgresql.conf, and the pg_hba.conf it writes for TLS over TCP.
    fn listen_settings(&self) -> (String, Option<&'static str>) {
        let socket = format!(
            "unix_socket_directories = '{}'\nunix_socket_permissions = 0700\nport = {}\n",
            self.root.display(),
            self.port()
        );
        match &self.tcp_tls {
            None => (
                format!("# Trellis: a private cluster reachable only through the socket in this folder\nlisten_addresses = ''\n{socket}"),
                None,
            ),
            Some(_) => (
                format!(
                    "# Trellis: the socket in this folder, and TLS on 127.0.0.1 (a test of sslmode)\nlisten_addresses = '127.0.0.1'\n{socket}ssl = on\nssl_cert_file = '{root}/server.crt'\nssl_key_file = '{root}/server.key'\n",
                    root = self.root.display()
                ),
                // The socket as before; over TCP only TLS (a plain `host` line would allow both).
                Some("local all all trust\nhostssl all all 127.0.0.1/32 trust\n"),
            ),
        }
    }

    /// Whether `initdb` has made a cluster here already.
    pub fn initialized(&self) -> bool {
        self.data().join("PG_VERSION").is_file()
    }

    /// A new cluster from `initdb`, or a standby's copy of its primary from `pg_basebackup`. The
    /// primary's pg_hba.conf (initdb's with `--auth=trust`) lets local replication connections in.
    fn create(&self) -> Result<(), String> {
        let data = self.data();
        let data = data.to_string_lossy();
        let (program, out) = match &self.primary {
            None => (
                "initdb",
                self.run(
                    "initdb",
                    &[
                        "-D",
                        &data,
                        "-U",
                        "trellis",
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--no-locale",
                    ],
                )?,
            ),
            Some(primary) => {
                let mut args = vec!["-D", &*data, "-R", "-X", "stream", "--checkpoint=fast"];
                args.extend(primary.iter().map(String::as_str));
                ("pg_basebackup", self.run("pg_basebackup", &args)?)
            }
        };
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{program} failed: {}", String::from_utf8_lossy(&out.stderr)))
        }
    }

    fn init(&self) -> Result<(), String> {
        self.create()?;
        // Only a socket inside our own folder, readable by its owner alone (and TLS over TCP
        // when asked for). A standby's copy of its primary's settings is overridden by these,
        // which come later in the file.
        let (listen, hba) = self.listen_settings();
        let settings = format!("\n{listen}synchronous_commit = on\n");
        let conf = self.data().join("postgresql.conf");
        let mut existing = std::fs::read_to_string(&conf).map_err(|e| e.to_string())?;
        existing.push_str(&settings);
        std::fs::write(&conf, existing).map_err(|e| format!("cannot write postgresql.conf: {e}"))?;
        match hba {
            Some(hba) => std::fs::write(self.data().join("pg_hba.conf"), hba)
                .map_err(|e| format!("cannot write pg_hba.conf: {e}")),
            None => Ok(()),
        }
    }

    pub fn is_running(&self) -> bool {
        let data = self.data();
        self.run("pg_ctl", &["-D", &data.to_string_lossy(), "status"])
            .is_ok_and(|o| o.status.success())
    }

    /// Initializes the cluster on first use, starts it unless it runs already, makes sure the
    /// `trellis` database exists, and returns its URL and whether this call started it.
    pub fn start(&self) -> Result<(String, bool), String> {
        self.prepare_root()?;
        if !self.initialized() {
            tracing::info!(dir = %self.data().display(), "creating a private PostgreSQL cluster");
            self.init()?;
        }
        let already_running = self.is_running();
        if !already_running {
            let data = self.data();
            let log = self.root.join("postgres.log");
            let out = self.run(
                "pg_ctl",
                &[
                    "-D",
                    &data.to_string_lossy(),
                    "-l",
                    &log.to_string_lossy(),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
            )?;
            if !out.status.success() {
                return Err(format!(
                    "PostgreSQL did not start: {}{}(see {})",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr),
                    log.display()
                ));
            }
        }
        self.ensure_database("trellis")?;
        Ok((self.url("trellis"), !already_running))
    }

    pub fn url(&self, database: &str) -> String {
        let port = match self.port() {
            5432 => String::new(),
            port => format!("&port={port}"),
        };
        format!(
            "postgresql:///{database}?host={}&user=trellis{port}",
            self.root.display()
        )
    }

    fn ensure_database(&self, name: &str) -> Result<(), String> {
        let query = format!("SELECT 1 FROM pg_database WHERE datname = '{name}'");
        if self.client("psql", &["-d", "postgres", "-tAc", &query])?.trim() != "1" {
            self.client("createdb", &[name])?;
        }
        Ok(())
    }

    pub fn stop(&self) -> Result<(), String> {
        if !self.is_running() {
            return Ok(());
        }
        let data = self.data();
        let out = self.run("pg_ctl", &["-D", &data.to_string_lossy(), "-m", "fast", "-w", "stop"])?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("pg_ctl stop failed: {}", String::from_utf8_lossy(&out.stderr)))
        }
    }
}
