//! A logged-in user as a browser without JavaScript: one cookie jar, and requests that
//! alternate between the instances (sessions and CSRF secrets are shared through the database
//! and `TRELLIS_SECRET`, so any instance may answer).

use super::http::{Client, Response};
use std::collections::BTreeMap;
use std::io;

pub const USER_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 (trellis soak)";

pub struct Browser {
    clients: Vec<Client>,
    next: usize,
    cookies: BTreeMap<String, String>,
}

impl Browser {
    /// A browser over `addrs` ("127.0.0.1:3000", ...), taking turns.
    pub fn new(addrs: &[String]) -> Self {
        Self {
            clients: addrs.iter().map(|a| Client::new(a.clone())).collect(),
            next: 0,
            cookies: BTreeMap::new(),
        }
    }

    /// How many instances the requests go round.
    pub fn instances(&self) -> usize {
        self.clients.len()
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, response: &Response) {
        for set in response.headers_named("set-cookie") {
            let pair = set.split(';').next().unwrap_or_default();
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            if value.is_empty() || set.to_ascii_lowercase().contains("max-age=0") {
                self.cookies.remove(name.trim());
            } else {
                self.cookies.insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> io::Result<Response> {
        let cookie = self.cookie_header();
        let mut headers = vec![("User-Agent", USER_AGENT), ("Accept", "text/html")];
        if !cookie.is_empty() {
            headers.push(("Cookie", cookie.as_str()));
        }
        if let Some(content_type) = content_type {
            headers.push(("Content-Type", content_type));
        }
        let turn = self.next % self.clients.len();
        self.next += 1;
        let response = self.clients[turn].send(method, path, &headers, body).await?;
        self.keep_cookies(&response);
        Ok(response)
    }

    pub async fn get(&mut self, path: &str) -> io::Result<Response> {
        self.send("GET", path, None, b"").await
    }

    /// Logs in through the login form; an error says why it did not work.
    pub async fn log_in(&mut self, email: &str, password: &str) -> Result<(), String> {
        let page = self.get("/login").await.map_err(|e| format!("GET /login: {e}"))?;
        let token =
            csrf_token(&page.text()).ok_or_else(|| format!("GET /login ({}) has no CSRF token", page.status))?;
        let form = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("csrf_token", token.as_str()),
                ("email", email),
                ("password", password),
                ("next", ""),
            ])
            .finish();
        let reply = self
            .send(
                "POST",
                "/login",
                Some("application/x-www-form-urlencoded"),
                form.as_bytes(),
            )
            .await
            .map_err(|e| format!("POST /login: {e}"))?;
        let location = reply.header("location").unwrap_or_default();
        if (300..400).contains(&reply.status) && !location.starts_with("/login") {
            Ok(())
        } else {
            Err(format!(
                "logging in as {email} answered {} (Location {location:?})",
                reply.status
            ))
        }
    }
}

/// The token in a page's `<meta name="csrf-token">`.
pub fn csrf_token(page: &str) -> Option<String> {
    let marker = "name=\"csrf-token\" content=\"";
    let start = page.find(marker)? + marker.len();
    let end = start + page[start..].find('"')?;
    Some(page[start..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_token_is_read_from_the_meta_tag() {
        let page = r#"<head><meta name="csrf-token" content="abc123"/></head>"#;
        assert_eq!(csrf_token(page).as_deref(), Some("abc123"));
        assert_eq!(csrf_token("<head></head>"), None);
    }
}
