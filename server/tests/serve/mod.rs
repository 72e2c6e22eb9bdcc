//! For tests that run `trellis serve` itself: the server on a free port (stopped with SIGTERM
//! when dropped), plain HTTP/1.0 requests, and a demo operator's login through the real form
//! with its CSRF token.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_trellis");

pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    /// `trellis serve` on a free port, with the environment and output `configure` sets, once
    /// /healthz answers 200.
    pub fn start(configure: impl FnOnce(&mut Command)) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = Command::new(BIN);
        command.arg("serve").env("TRELLIS_ADDR", format!("127.0.0.1:{port}"));
        configure(&mut command);
        let child = command.spawn().unwrap();
        let mut server = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() || get(port, "/healthz", "").status != 200 {
            let exited = server.child.try_wait().unwrap();
            assert!(exited.is_none(), "serve exited: {exited:?}");
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

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    pub fn cookie(&self, name: &str) -> String {
        let prefix = format!("\r\nset-cookie: {name}=");
        let start = self.head.to_lowercase().find(&prefix).expect(name) + prefix.len();
        self.head[start..].split([';', '\r']).next().unwrap().to_owned()
    }
}

pub fn get(port: u16, path: &str, cookies: &str) -> Reply {
    request(port, "GET", path, cookies, "")
}

/// One HTTP/1.0 request (so the body is neither chunked nor kept alive).
pub fn request(port: u16, method: &str, path: &str, cookies: &str, form: &str) -> Reply {
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

/// Logs a demo operator in through the login form and returns the cookies of their session.
pub fn login_operator(port: u16, email: &str) -> String {
    let login = get(port, "/login", "");
    let csrf_cookie = login.cookie("trellis_csrf");
    let marker = "name=\"csrf-token\" content=\"";
    let start = login.body.find(marker).expect("a CSRF token on the login page") + marker.len();
    let token = &login.body[start..][..login.body[start..].find('"').expect("the meta tag ends")];
    let form = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("csrf_token", token),
            ("email", email),
            ("password", trellis::commands::seed::DEMO_PASSWORD),
            ("next", ""),
        ])
        .finish();
    let cookies = format!("trellis_csrf={csrf_cookie}");
    let logged_in = request(port, "POST", "/login", &cookies, &form);
    assert_eq!(logged_in.status, 303, "{}", logged_in.head);
    assert!(
        logged_in.head.to_lowercase().contains("\r\nlocation: /console\r\n"),
        "{}",
        logged_in.head
    );
    format!("{cookies}; trellis_session={}", logged_in.cookie("trellis_session"))
}
