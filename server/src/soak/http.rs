//! A minimal HTTP/1.1 keep-alive client over one TCP connection, for the soak run and the fault
//! tests: any method, bodies read by `Content-Length`, chunked or to the end of the stream.
//! Nothing is retried: a failure is the caller's to count.

use std::io;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One complete response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    keep_alive: bool,
}

impl Response {
    /// The first header called `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Every header called `name` (lower case), e.g. each `set-cookie`.
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A 503 that says when to come back: the server's deliberate "not now".
    pub fn is_deliberate_unavailable(&self) -> bool {
        self.status == 503 && self.header("retry-after").is_some()
    }
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// A connection to `addr` ("127.0.0.1:3000"), opened on first use and again after an error or a
/// `Connection: close`.
pub struct Client {
    addr: String,
    stream: Option<TcpStream>,
    buffer: Vec<u8>,
}

impl Client {
    pub fn new(addr: impl Into<String>) -> Self {
        Self {
            addr: addr.into(),
            stream: None,
            buffer: Vec::with_capacity(8192),
        }
    }

    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// Sends one request and reads its whole response. `headers` are added to Host and
    /// Content-Length.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<Response> {
        let result = self.exchange(method, path, headers, body).await;
        match &result {
            Ok(response) if response.keep_alive => {}
            _ => {
                self.stream = None;
                self.buffer.clear();
            }
        }
        result
    }

    pub async fn get(&mut self, path: &str, headers: &[(&str, &str)]) -> io::Result<Response> {
        self.send("GET", path, headers, b"").await
    }

    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<Response> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(&self.addr).await?;
            stream.set_nodelay(true)?;
            self.stream = Some(stream);
            self.buffer.clear();
        }
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            request.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        self.stream_mut()?.write_all(&bytes).await?;
        self.read_response(method == "HEAD").await
    }

    fn stream_mut(&mut self) -> io::Result<&mut TcpStream> {
        self.stream.as_mut().ok_or_else(|| invalid("not connected"))
    }

    /// Reads more bytes into the buffer; false at the end of the stream.
    async fn fill(&mut self) -> io::Result<bool> {
        let mut chunk = [0u8; 16384];
        let n = self.stream_mut()?.read(&mut chunk).await?;
        self.buffer.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }

    async fn fill_or_eof(&mut self) -> io::Result<()> {
        if self.fill().await? {
            Ok(())
        } else {
            Err(io::ErrorKind::UnexpectedEof.into())
        }
    }

    /// One line ending in CRLF, taken from the buffer.
    async fn line(&mut self) -> io::Result<String> {
        loop {
            if let Some(i) = self.buffer.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buffer[..i]).into_owned();
                self.buffer.drain(..i + 2);
                return Ok(line);
            }
            self.fill_or_eof().await?;
        }
    }

    async fn exactly(&mut self, n: usize) -> io::Result<Vec<u8>> {
        while self.buffer.len() < n {
            self.fill_or_eof().await?;
        }
        Ok(self.buffer.drain(..n).collect())
    }

    async fn read_response(&mut self, head_only: bool) -> io::Result<Response> {
        let status_line = self.line().await?;
        let status: u16 = status_line
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| invalid(format!("bad status line {status_line:?}")))?;
        let mut headers = Vec::new();
        loop {
            let line = self.line().await?;
            if line.is_empty() {
                break;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| invalid(format!("bad header {line:?}")))?;
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        let find = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        let keep_alive = !find("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let no_body = head_only || status == 204 || status == 304 || (100..200).contains(&status);
        let body = if no_body {
            Vec::new()
        } else if find("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
            self.chunked_body().await?
        } else if let Some(length) = find("content-length") {
            let length = length
                .parse()
                .map_err(|_| invalid(format!("bad content-length {length:?}")))?;
            self.exactly(length).await?
        } else {
            while self.fill().await? {}
            std::mem::take(&mut self.buffer)
        };
        let keep_alive =
            keep_alive && (no_body || find("content-length").is_some() || find("transfer-encoding").is_some());
        Ok(Response {
            status,
            headers,
            body,
            keep_alive,
        })
    }

    async fn chunked_body(&mut self) -> io::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let size_line = self.line().await?;
            let size_text = size_line.split(';').next().unwrap_or_default().trim();
            let size =
                usize::from_str_radix(size_text, 16).map_err(|_| invalid(format!("bad chunk size {size_line:?}")))?;
            if size == 0 {
                // Trailers, if any, end with an empty line.
                while !self.line().await?.is_empty() {}
                return Ok(body);
            }
            body.extend(self.exactly(size).await?);
            if !self.line().await?.is_empty() {
                return Err(invalid("a chunk did not end with CRLF"));
            }
        }
    }
}
