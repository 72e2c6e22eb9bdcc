//! In-process HTTP harness: the real router over a private database, and a tiny browser that
//! keeps cookies between requests.

use app::backend::data_key::DataKey;
use app::backend::mailer::Transport;
use app::backend::settings::Settings;
use app::backend::state::AppState;
use app::backend::testing::TestDb;
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use diesel_async::RunQueryDsl;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;
use trellis::router::{build, RouterOptions};

pub const DEMO_PASSWORD: &str = trellis::commands::seed::DEMO_PASSWORD;

/// The app as two instances on one database, as behind a load balancer: `router` and `state`
/// are instance A's; `other` is instance B, with its own caches, click writer and repeat filter
/// but the same settings (secret included, as the README asks). Browsers from [`TestApp::browser`]
/// send their requests to A and B in turn, so every HTTP test runs across both, with each
/// instance's caches cleared by the other's notifications.
pub struct TestApp {
    pub db: TestDb,
    pub router: Router,
    pub state: AppState,
    pub other: Instance,
    /// Requests sent by this app's browsers so far: the next goes to instance `sent % 2`.
    sent: Arc<AtomicUsize>,
    /// Stops both instances' cache listeners when the app is dropped.
    _listening: tokio::sync::watch::Sender<bool>,
}

/// One instance of the app: its state and router.
pub struct Instance {
    pub state: AppState,
    pub router: Router,
}

pub fn state_for(pool: app::backend::db::DbPool) -> AppState {
    state_with(pool, "http://127.0.0.1:3000", "target/site")
}

/// State with another public address (http or https) and site folder (the static files).
pub fn state_with(pool: app::backend::db::DbPool, base_url: &str, site_root: &str) -> AppState {
    let dir = std::env::temp_dir().join(format!("trellis-http-{}", app::backend::tokens::short_reference()));
    let mut settings = Settings::for_local(dir.clone());
    settings.base_url = base_url.to_owned();
    settings.data_key = Some(DataKey::from_base64(&DataKey::generate()).unwrap());
    AppState::new(
        pool,
        settings,
        LeptosOptions::builder()
            .output_name("trellis")
            .site_root(site_root)
            .build(),
        Transport::new(None, &dir).unwrap(),
        Default::default(),
        Default::default(),
    )
}

impl TestApp {
    /// Instance A from `state`, instance B beside it, both listening for cache notifications.
    pub fn new(db: TestDb, state: AppState) -> Self {
        let dir = std::env::temp_dir().join(format!("trellis-http-{}", app::backend::tokens::short_reference()));
        let other_state = AppState::new(
            state.pool.clone(),
            (*state.settings).clone(),
            state.leptos_options.clone(),
            Transport::new(None, &dir).unwrap(),
            Default::default(),
            Default::default(),
        );
        let (listening, stop) = tokio::sync::watch::channel(false);
        for instance in [&state, &other_state] {
            tokio::spawn(trellis::cache_listener::run(
                instance.clone(),
                db.url().to_owned(),
                stop.clone(),
            ));
        }
        let router = build(state.clone(), RouterOptions::default());
        let other = Instance {
            router: build(other_state.clone(), RouterOptions::default()),
            state: other_state,
        };
        Self {
            db,
            router,
            state,
            other,
            sent: Arc::default(),
            _listening: listening,
        }
    }

    /// A router over a fresh database holding the demo data.
    pub async fn seeded() -> Self {
        Self::seeded_with("http://127.0.0.1:3000", "target/site").await
    }

    /// The same, served from `base_url` with the static files in `site_root`.
    pub async fn seeded_with(base_url: &str, site_root: &str) -> Self {
        let db = TestDb::new().await;
        trellis::commands::seed::run(db.url()).await.expect("seeding the demo");
        let state = state_with(db.pool(), base_url, site_root);
        Self::new(db, state)
    }

    /// A router over a fresh, empty database (no operator yet: the first-run setup is open).
    pub async fn empty() -> Self {
        let db = TestDb::new().await;
        let state = state_for(db.pool());
        Self::new(db, state)
    }

    /// A router over a fresh, empty database that serves the static files in `site_root`.
    pub async fn serving_site(site_root: &std::path::Path) -> Self {
        let db = TestDb::new().await;
        let mut state = state_for(db.pool());
        state.leptos_options.site_root = site_root.to_string_lossy().into();
        Self::new(db, state)
    }

    /// Drops a link from both instances' caches (after a test changed it behind the app's back,
    /// where the app itself would have announced it).
    pub fn forget_link(&self, code: &str) {
        for state in [&self.state, &self.other.state] {
            state.tracking.links.invalidate(code);
        }
    }

    /// Waits until neither instance holds the link in its cache. The instance that changed it
    /// drops it at once; the other drops it when the notification arrives, a moment after the
    /// commit, so a test that next asks that instance waits for the notification, not a clock.
    pub async fn link_forgotten_everywhere(&self, code: &str) {
        for _ in 0..1000 {
            if [&self.state, &self.other.state]
                .iter()
                .all(|state| state.tracking.links.get(code).is_none())
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("link {code} is still cached by an instance ten seconds after it changed");
    }

    /// A browser logged in as `email` (demo password).
    pub async fn logged_in(&self, email: &str) -> Browser {
        let mut browser = self.browser();
        browser.log_in(email, DEMO_PASSWORD).await;
        browser
    }

    /// A browser whose requests go to instance A and B in turn.
    pub fn browser(&self) -> Browser {
        Browser {
            routers: vec![self.router.clone(), self.other.router.clone()],
            sent: self.sent.clone(),
            ..browser_of(self.router.clone())
        }
    }

    pub async fn count(&self, table: &str) -> i64 {
        self.number(&format!("SELECT count(*) AS n FROM {table}")).await
    }

    /// The single number (`n`) a query returns.
    pub async fn number(&self, sql: &str) -> i64 {
        diesel::sql_query(sql)
            .get_result::<Number>(&mut self.db.conn().await)
            .await
            .unwrap()
            .n
    }

    /// Runs SQL statements (test setup).
    pub async fn execute(&self, sql: &str) {
        use diesel_async::SimpleAsyncConnection;
        self.db.conn().await.batch_execute(sql).await.unwrap();
    }

    /// The single text (`v`) a query returns.
    pub async fn text(&self, sql: &str) -> String {
        diesel::sql_query(sql)
            .get_result::<Text>(&mut self.db.conn().await)
            .await
            .unwrap()
            .v
    }
}

/// A browser talking to `router` (another instance's, in multi-instance tests).
pub fn browser_of(router: Router) -> Browser {
    Browser {
        routers: vec![router],
        sent: Arc::default(),
        cookies: HashMap::new(),
        origin: None,
        peer: None,
    }
}

#[derive(diesel::QueryableByName)]
struct Number {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    v: String,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }

    pub fn csrf_token(&self) -> String {
        let marker = "name=\"csrf-token\" content=\"";
        let start = self.body.find(marker).expect("page has a csrf meta tag") + marker.len();
        let length = self.body[start..].find('"').expect("the meta tag ends");
        self.body[start..start + length].to_owned()
    }
}

/// A request that gets no answer this long has hung (a render that stopped making progress):
/// the test fails saying so, rather than hanging the whole run.
const HUNG_AFTER: Duration = Duration::from_secs(120);

/// Keeps cookies like a browser, so sessions and CSRF cookies carry over.
pub struct Browser {
    /// The instances, asked in turn.
    routers: Vec<Router>,
    sent: Arc<AtomicUsize>,
    pub cookies: HashMap<String, String>,
    pub origin: Option<String>,
    /// The socket address the server sees, when a test needs one (else the client IP is
    /// "unknown", as for a connection without address).
    pub peer: Option<std::net::SocketAddr>,
}

impl Browser {
    pub async fn send(&mut self, mut request: Request<Body>) -> Reply {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        if !cookie.is_empty() {
            request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
        }
        request.headers_mut().insert(header::HOST, "localhost".parse().unwrap());
        if let Some(origin) = &self.origin {
            request.headers_mut().insert(header::ORIGIN, origin.parse().unwrap());
        }
        if let Some(peer) = self.peer {
            request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        }
        let what = format!("{} {}", request.method(), request.uri());
        let router = self.routers[self.sent.fetch_add(1, Ordering::Relaxed) % self.routers.len()].clone();
        let answer = async {
            let (parts, body) = router.oneshot(request).await.unwrap().into_parts();
            (parts, body.collect().await.unwrap().to_bytes())
        };
        let (parts, bytes) = tokio::time::timeout(HUNG_AFTER, answer)
            .await
            .unwrap_or_else(|_| panic!("{what} got no answer in {HUNG_AFTER:?}: the request hung"));
        for value in parts.headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let (name, value) = text.split(';').next().unwrap().split_once('=').unwrap();
            if value.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Reply {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(
            Request::get(path)
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A form post as a browser without JavaScript sends it.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// A server-function call as the hydrated app sends it.
    pub async fn call(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// A multipart form (a file upload) as a browser sends it; `files` are (field, name, bytes).
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Reply {
        const BOUNDARY: &str = "trellis-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, filename, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::ACCEPT, "text/html")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// A read-only server-function call (GET).
    pub async fn fetch(&mut self, path: &str) -> Reply {
        self.send(
            Request::get(path)
                .header(header::ACCEPT, "application/json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A server-function call with this browser's CSRF token, as the hydrated app sends it.
    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.token().await;
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.call(path, &all).await
    }

    pub async fn token(&mut self) -> String {
        self.get("/login").await.csrf_token()
    }

    pub async fn log_in(&mut self, email: &str, password: &str) -> Reply {
        let token = self.token().await;
        self.post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("email", email),
                ("password", password),
                ("next", ""),
            ],
        )
        .await
    }
}

/// A form post as a browser without JavaScript sends it from `page`.
pub async fn post_plain(browser: &mut Browser, path: &str, page: &str, fields: &[(&str, &str)]) -> Reply {
    let token = browser.token().await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&all)
        .finish();
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, format!("http://localhost{page}"))
        .body(Body::from(body))
        .unwrap();
    browser.send(request).await
}

/// A multipart form as a browser without JavaScript posts it: the token first (none when
/// `token` is empty), then the fields, then the files (field name, file name, bytes), each
/// declared as `file_type`.
pub fn multipart(
    path: &str,
    token: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
    file_type: &str,
) -> Request<Body> {
    let boundary = "----trellis-test-boundary";
    let mut body: Vec<u8> = Vec::new();
    let mut part = |headers: String, content: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    if !token.is_empty() {
        part(
            "Content-Disposition: form-data; name=\"csrf_token\"".into(),
            token.as_bytes(),
        );
    }
    for (name, value) in fields {
        part(
            format!("Content-Disposition: form-data; name=\"{name}\""),
            value.as_bytes(),
        );
    }
    for (name, filename, bytes) in files {
        part(
            format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {file_type}"
            ),
            bytes,
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::ACCEPT, "text/html")
        .body(Body::from(body))
        .unwrap()
}
