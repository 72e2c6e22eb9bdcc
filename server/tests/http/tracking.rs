//! The tracking surface over HTTP against a real PostgreSQL: redirects, the conversion API,
//! refunds and postbacks, including every bad input the API must refuse without changing
//! anything.

use crate::support::{browser_of, Browser, Reply, TestApp};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};

struct Tracking {
    app: TestApp,
    key: String,
    code: String,
}

impl Tracking {
    async fn new() -> Self {
        let app = TestApp::seeded().await;
        let key = trellis::commands::api_key::create(app.db.url(), "acme-affiliates", "tests")
            .await
            .unwrap();
        let code = app
            .text("SELECT l.code AS v FROM links l JOIN partners p ON p.id = l.partner_id WHERE p.email = 'ana@brightreviews.test'")
            .await;
        Self { app, key, code }
    }

    async fn click(&self, query: &str) -> Reply {
        self.click_with(&mut self.app.browser(), query).await
    }

    async fn click_with(&self, browser: &mut Browser, query: &str) -> Reply {
        browser
            .send(
                Request::get(format!("/r/{}{query}", self.code))
                    .header(header::USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
    }

    async fn click_id(&self) -> String {
        let reply = self.click("").await;
        assert_eq!(reply.status, StatusCode::FOUND);
        reply.location().rsplit_once("trl_click=").unwrap().1.to_owned()
    }

    async fn post(&self, path: &str, key: Option<&str>, body: String) -> (StatusCode, Value) {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(key) = key {
            request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
        }
        let reply = self.app.browser().send(request.body(Body::from(body)).unwrap()).await;
        (reply.status, serde_json::from_str(&reply.body).unwrap_or(Value::Null))
    }

    async fn convert(&self, body: Value) -> (StatusCode, Value) {
        self.post("/api/v1/conversions", Some(&self.key), body.to_string())
            .await
    }

    /// Row counts of every table the API writes to.
    async fn money_rows(&self) -> Vec<i64> {
        let mut counts = Vec::new();
        for table in ["conversions", "commissions", "refunds", "customer_bindings"] {
            counts.push(self.app.count(table).await);
        }
        counts.push(
            self.app
                .number("SELECT count(*) + coalesce(sum(conversions), 0)::bigint AS n FROM daily_stats")
                .await,
        );
        counts
    }
}

#[tokio::test]
async fn a_click_is_recorded_before_the_redirect_and_carries_its_id() {
    let t = Tracking::new().await;
    // Repeats are told apart per instance (README, "Running several instances"), so these
    // clicks all go to instance A.
    let mut on_a = browser_of(t.app.router.clone());
    let reply = t.click_with(&mut on_a, "?sub1=newsletter&sub2=nov").await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let location = reply.location();
    assert!(
        location.starts_with("https://example.com/acme-cloud?trl_click="),
        "{location}"
    );
    let click_id = location.rsplit_once('=').unwrap().1;
    let cookie = reply.set_cookie("trl_1").expect("a first-party cookie");
    assert!(
        cookie.contains("Max-Age=2592000") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let stored = t
        .app
        .text(&format!(
            "SELECT sub1 || '/' || sub2 || '/' || coalesce(flag, 'none') AS v FROM clicks WHERE id = '{click_id}'"
        ))
        .await;
    assert_eq!(stored, "newsletter/nov/none");
    // A second click from the same address is recorded but flagged; so is a link previewer.
    on_a.cookies.clear();
    assert_eq!(t.click_with(&mut on_a, "").await.status, StatusCode::FOUND);
    let bot = on_a
        .send(
            Request::get(format!("/r/{}", t.code))
                .header(
                    header::USER_AGENT,
                    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(bot.status, StatusCode::FOUND);
    let flags = t
        .app
        .text("SELECT string_agg(coalesce(flag, 'none'), ',' ORDER BY clicked_at) AS v FROM clicks")
        .await;
    assert_eq!(flags, "none,repeat,bot");
    let unique = t
        .app
        .number("SELECT sum(unique_clicks)::bigint AS n FROM daily_stats")
        .await;
    assert_eq!((t.app.count("clicks").await, unique), (3, 1));
}

#[tokio::test]
async fn unknown_and_disabled_links_get_a_404_and_no_click() {
    let t = Tracking::new().await;
    let mut browser = t.app.browser();
    for path in ["/r/zzzzzzzz", "/r/x", "/r/..%2Fadmin", "/r/https:%2F%2Fevil.test"] {
        let reply = browser.get(path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(reply.headers.get(header::LOCATION).is_none());
    }
    assert_eq!(t.click("").await.status, StatusCode::FOUND, "cached now");
    // Disabling takes effect at once, even though the link is in the cache.
    let link_id = t
        .app
        .number(&format!("SELECT id AS n FROM links WHERE code = '{}'", t.code))
        .await;
    let mut conn = t.app.db.conn().await;
    let everything = app::backend::scope::Scope::everything(&mut conn).await.unwrap();
    app::backend::flows::links::set_enabled(
        &mut conn,
        &app::backend::repos::audit::Actor::system("test"),
        &everything,
        link_id,
        false,
        &Default::default(),
        time::OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    drop(conn);
    let clicks_before = t.app.count("clicks").await;
    t.app.forget_link(&t.code);
    assert_eq!(t.click("").await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.app.count("clicks").await, clicks_before);
}

#[tokio::test]
async fn a_conversion_with_a_click_id_pays_the_partner_once() {
    let t = Tracking::new().await;
    let click_id = t.click_id().await;
    let body = json!({"order_id": "A-100", "amount": "49.90", "currency": "EUR", "click_id": click_id});
    let (status, first) = t.convert(body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["status"], "approved", "below the demo's auto-approval threshold");
    assert_eq!(first["partner"]["name"], "Bright Reviews");
    assert_eq!(first["attribution"]["method"], "click");
    assert_eq!(
        first["commission"],
        json!({"amount": "9.98", "currency": "EUR", "status": "approved"})
    );
    let (status, again) = t.convert(body).await;
    assert_eq!(
        (status, &again),
        (StatusCode::OK, &first),
        "a replay answers 200 with the same body"
    );
    let before = t.money_rows().await;
    let (status, conflict) = t
        .convert(json!({"order_id": "A-100", "amount": "59.90", "currency": "EUR", "click_id": click_id}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(conflict["error"]["differing_fields"], json!(["amount"]));
    assert_eq!(t.money_rows().await, before, "a conflict changes nothing");
}

#[tokio::test]
async fn fifty_identical_requests_at_once_make_one_conversion_and_one_commission() {
    let t = Tracking::new().await;
    let click_id = t.click_id().await;
    let body = json!({"order_id": "RACE-1", "amount": "100", "currency": "EUR", "click_id": click_id}).to_string();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let router = t.app.router.clone();
            let (key, body) = (t.key.clone(), body.clone());
            tokio::spawn(async move {
                use tower::ServiceExt;
                let request = Request::post("/api/v1/conversions")
                    .header(header::AUTHORIZATION, format!("Bearer {key}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body))
                    .unwrap();
                router.oneshot(request).await.unwrap().status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 1);
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 49);
    assert_eq!(
        (t.app.count("conversions").await, t.app.count("commissions").await),
        (1, 1)
    );
    assert_eq!(
        t.app
            .number("SELECT sum(conversions)::bigint AS n FROM daily_stats")
            .await,
        1
    );
}

#[tokio::test]
async fn coupons_and_bound_customers_attribute_and_strangers_stay_unattributed() {
    let t = Tracking::new().await;
    let (_, coupon) = t
        .convert(json!({"order_id": "C-1", "amount": "10", "currency": "EUR", "coupon": "bright20", "customer_email": "Eve@Shop.test"}))
        .await;
    assert_eq!(
        (
            coupon["attribution"]["method"].as_str(),
            coupon["partner"]["name"].as_str()
        ),
        (Some("coupon"), Some("Bright Reviews"))
    );
    // The customer is now bound to Bright Reviews: a renewal without click or coupon still pays.
    let (_, renewal) = t
        .convert(json!({"order_id": "C-2", "amount": "10", "currency": "EUR", "customer_email": "eve@shop.test"}))
        .await;
    assert_eq!(renewal["attribution"]["method"], "customer");
    for (order, extra, why) in [
        ("U-1", json!({}), "no click_id"),
        (
            "U-2",
            json!({"click_id": "AAAAAAAAAAAAAAAAAAAAAA"}),
            "click_id is unknown",
        ),
        ("U-3", json!({"coupon": "NOPE"}), "coupon \"NOPE\""),
    ] {
        let mut body = json!({"order_id": order, "amount": "10", "currency": "EUR"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let (status, result) = t.convert(body).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(
            (result["status"].as_str(), result["commission"].is_null()),
            (Some("unattributed"), true)
        );
        assert!(
            result["attribution"]["note"].as_str().unwrap().contains(why),
            "{result}"
        );
    }
}

#[tokio::test]
async fn another_programs_click_id_and_an_expired_one_are_not_credited() {
    let t = Tracking::new().await;
    let reseller_code = t
        .app
        .text("SELECT l.code AS v FROM links l JOIN programs p ON p.id = l.program_id WHERE p.slug = 'acme-resellers' LIMIT 1")
        .await;
    let reply = t.app.browser().get(&format!("/r/{reseller_code}")).await;
    let other = reply.location().rsplit_once('=').unwrap().1.to_owned();
    let (_, result) = t
        .convert(json!({"order_id": "X-1", "amount": "5", "currency": "EUR", "click_id": other}))
        .await;
    assert!(result["attribution"]["note"]
        .as_str()
        .unwrap()
        .contains("another program"));
    let click_id = t.click_id().await;
    let late = (time::OffsetDateTime::now_utc() + time::Duration::days(31))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (_, result) = t
        .convert(
            json!({"order_id": "X-2", "amount": "5", "currency": "EUR", "click_id": click_id, "occurred_at": late}),
        )
        .await;
    assert_eq!(result["status"], "unattributed");
    assert!(result["attribution"]["note"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn bad_requests_get_specific_errors_and_change_nothing() {
    let t = Tracking::new().await;
    let reseller_key = trellis::commands::api_key::create(t.app.db.url(), "acme-resellers", "other")
        .await
        .unwrap();
    let revoked = trellis::commands::api_key::create(t.app.db.url(), "acme-affiliates", "old")
        .await
        .unwrap();
    diesel::sql_query("UPDATE api_keys SET revoked_at = now() WHERE name = 'old'")
        .execute(&mut t.app.db.conn().await)
        .await
        .unwrap();
    let sale = json!({"order_id": "B-1", "amount": "10.00", "currency": "EUR"}).to_string();
    let before = t.money_rows().await;
    let cases: Vec<(Option<&str>, String, StatusCode, &str)> = vec![
        (None, sale.clone(), StatusCode::UNAUTHORIZED, "unauthenticated"),
        (
            Some("trk_not-a-key"),
            sale.clone(),
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
        (
            Some(revoked.as_str()),
            sale.clone(),
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
        (
            Some(reseller_key.as_str()),
            json!({"order_id": "B-1", "amount": "10", "currency": "USD", "program": "acme-affiliates"}).to_string(),
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
        (
            Some(t.key.as_str()),
            "{\"order_id\": ".into(),
            StatusCode::BAD_REQUEST,
            "body",
        ),
        (
            Some(t.key.as_str()),
            json!({"order_id": "B-1", "amount": true, "currency": "EUR"}).to_string(),
            StatusCode::BAD_REQUEST,
            "amount",
        ),
        (
            Some(t.key.as_str()),
            json!({"order_id": "B-1", "amount": "10", "currency": "USD"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "currency",
        ),
        (
            Some(t.key.as_str()),
            json!({"order_id": "B-1", "currency": "EUR"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount",
        ),
        (
            Some(t.key.as_str()),
            json!({"order_id": "B-1", "amount": "0", "currency": "EUR"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount",
        ),
        (
            Some(t.key.as_str()),
            json!({"order_id": "B-1", "amount": "-4", "currency": "EUR"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount",
        ),
        (
            Some(t.key.as_str()),
            json!({"order_id": "B-1", "amount": "4.999", "currency": "EUR"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount",
        ),
        (
            Some(t.key.as_str()),
            json!({"order_id": "B-1", "amount": "10", "currency": "EUR", "deductions": {"bonus": "-1"}}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "deductions",
        ),
        (
            Some(t.key.as_str()),
            json!({"order_id": "B-1", "amount": "10", "currency": "EUR", "deductions": "1.005"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "deductions",
        ),
        (
            Some(t.key.as_str()),
            json!({"order_id": "B-1", "amount": "10", "currency": "EUR", "deductions": ["fees"]}).to_string(),
            StatusCode::BAD_REQUEST,
            "deductions",
        ),
        (
            Some(t.key.as_str()),
            json!({"order_id": "B-1", "amount": "10", "currency": "EUR", "country": "Germany"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "country",
        ),
        (
            Some(t.key.as_str()),
            format!(
                "{{\"order_id\": \"B-1\", \"metadata\": {{\"x\": \"{}\"}}}}",
                "a".repeat(20_000)
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
    ];
    for (key, body, status, what) in cases {
        let (got, reply) = t.post("/api/v1/conversions", key, body.clone()).await;
        assert_eq!(got, status, "{body:.80}: {reply}");
        let named = reply["error"]["field"].as_str().or(reply["error"]["code"].as_str());
        assert_eq!(named, Some(what), "{reply}");
    }
    assert_eq!(t.money_rows().await, before);
}

#[tokio::test]
async fn refunds_reverse_their_share_once_and_never_more_than_is_left() {
    let t = Tracking::new().await;
    let click_id = t.click_id().await;
    t.convert(json!({"order_id": "R-1", "amount": "100.00", "currency": "EUR", "click_id": click_id}))
        .await;
    let refund = |body: Value| t.post("/api/v1/conversions/R-1/refunds", Some(&t.key), body.to_string());
    let (status, first) = refund(json!({"refund_id": "rf-1", "amount": "30"})).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(
        (first["commission_reversal"].as_str(), first["remaining"].as_str()),
        (Some("-6.00"), Some("70.00"))
    );
    assert_eq!(
        refund(json!({"refund_id": "rf-1", "amount": "30"})).await,
        (StatusCode::OK, first)
    );
    let before = t.money_rows().await;
    assert_eq!(
        refund(json!({"refund_id": "rf-1", "amount": "31"})).await.0,
        StatusCode::CONFLICT
    );
    let (status, too_much) = refund(json!({"refund_id": "rf-2", "amount": "70.01"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_much["error"]["message"].as_str().unwrap().contains("70.00 left"));
    assert_eq!(
        t.post(
            "/api/v1/conversions/NOPE/refunds",
            Some(&t.key),
            json!({"refund_id": "x"}).to_string()
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(t.money_rows().await, before, "refused refunds change nothing");
    let (_, rest) = refund(json!({"refund_id": "rf-2"})).await;
    assert_eq!(
        (rest["amount"].as_str(), rest["commission_reversal"].as_str()),
        (Some("70.00"), Some("-14.00"))
    );
    let net = t.app.text("SELECT sum(amount)::text AS v FROM commissions").await;
    assert_eq!(
        net.parse::<rust_decimal::Decimal>().unwrap(),
        rust_decimal::Decimal::ZERO
    );
    assert_eq!(
        t.app
            .text("SELECT sum(revenue)::text AS v FROM daily_stats")
            .await
            .parse::<rust_decimal::Decimal>()
            .unwrap(),
        rust_decimal::Decimal::ZERO
    );
}

#[tokio::test]
async fn the_postback_uses_the_same_rules_and_answers_in_plain_text() {
    let t = Tracking::new().await;
    let click_id = t.click_id().await;
    let path = format!(
        "/postback?key={}&order_id=PB-1&amount=20&currency=EUR&click_id={click_id}",
        t.key
    );
    let mut browser = t.app.browser();
    let first = browser.get(&path).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert!(first.body.starts_with("OK created conversion="), "{}", first.body);
    assert!(first.body.contains("attribution=click commission=4.00 EUR"));
    let again = browser.get(&path).await;
    assert!(again.body.starts_with("OK duplicate"), "{}", again.body);
    let bad = browser
        .get(&format!("/postback?key={}&order_id=PB-2&currency=EUR", t.key))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.starts_with("ERROR 422 amount:"), "{}", bad.body);
    assert_eq!(
        browser
            .get("/postback?order_id=PB-3&amount=1&currency=EUR")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(t.app.count("conversions").await, 1);
}

/// Everything the server logs while `run` runs, at every level, as the JSON lines production
/// writes (with the current span's fields).
async fn logs_of<F: std::future::Future<Output = ()>>(run: F) -> String {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(true)
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    // The test runs on one thread, and so does every request it sends.
    let _guard = tracing::subscriber::set_default(subscriber);
    run.await;
    let bytes = buffer.0.lock().unwrap().clone();
    String::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn the_postback_takes_its_key_in_a_header_and_never_logs_one_from_the_query() {
    let t = Tracking::new().await;
    let click_id = t.click_id().await;
    let postback = |order: &str, key: Option<&str>, query_key: Option<&str>| {
        let query_key = query_key.map(|k| format!("&key={k}")).unwrap_or_default();
        let mut request = Request::get(format!(
            "/postback?order_id={order}&amount=20&currency=EUR&click_id={click_id}{query_key}"
        ));
        if let Some(key) = key {
            request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
        }
        request.body(Body::empty()).unwrap()
    };
    let mut browser = t.app.browser();
    let by_header = browser.send(postback("PH-1", Some(&t.key), None)).await;
    assert_eq!(by_header.status, StatusCode::CREATED, "{}", by_header.body);
    assert!(by_header.body.starts_with("OK created"), "{}", by_header.body);

    // Bad keys are refused and write nothing; a header counts over the query string.
    let before = t.money_rows().await;
    for (order, header_key, query_key) in [
        ("PH-2", Some("trk_not-a-key"), None),
        ("PH-2", Some("trk_not-a-key"), Some(t.key.as_str())),
        ("PH-2", None, Some("trk_not-a-key")),
        ("PH-2", None, None),
    ] {
        let reply = browser.send(postback(order, header_key, query_key)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{header_key:?} {query_key:?}");
        assert!(reply.body.starts_with("ERROR 401"), "{}", reply.body);
    }
    assert_eq!(t.money_rows().await, before, "refusals write nothing");

    // The key in the query string still works, and no log line carries it: not the postback's,
    // and not the request log of a page whose address carries one.
    let key = t.key.clone();
    let logs = logs_of(async {
        let reply = browser.send(postback("PH-3", None, Some(&key))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let page = browser.get(&format!("/login?key={key}")).await;
        assert_eq!(page.status, StatusCode::OK);
    })
    .await;
    assert!(logs.contains("\"path\":\"/login\""), "the request log is there: {logs}");
    assert!(!logs.contains(&key), "the key was logged: {logs}");
    assert!(!logs.contains(&key[..12]), "part of the key was logged: {logs}");
    assert_eq!(t.app.count("conversions").await, 2);
}

#[tokio::test]
async fn a_replay_storm_leaves_one_conversion_per_order_and_rollups_match_a_rebuild() {
    use rand::seq::SliceRandom;
    let t = Tracking::new().await;
    let click_id = t.click_id().await;
    let mut requests = Vec::new();
    for order in 0..60 {
        let body = json!({"order_id": format!("S-{order}"), "amount": format!("{}.{:02}", 10 + order, order % 100), "currency": "EUR", "click_id": click_id});
        for _ in 0..(1 + order % 5) {
            requests.push(body.to_string());
        }
    }
    requests.shuffle(&mut rand::thread_rng());
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|body| {
            let router = t.app.router.clone();
            let key = t.key.clone();
            tokio::spawn(async move {
                use tower::ServiceExt;
                let request = Request::post("/api/v1/conversions")
                    .header(header::AUTHORIZATION, format!("Bearer {key}"))
                    .body(Body::from(body))
                    .unwrap();
                router.oneshot(request).await.unwrap().status()
            })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().is_success());
    }
    assert_eq!(t.app.count("conversions").await, 60);
    assert_eq!(t.app.count("commissions").await, 60);
    for (order, amount) in [("S-1", "3.00"), ("S-2", "12.02"), ("S-7", "1.99")] {
        let path = format!("/api/v1/conversions/{order}/refunds");
        let body = json!({"refund_id": format!("r-{order}"), "amount": amount}).to_string();
        assert_eq!(t.post(&path, Some(&t.key), body).await.0, StatusCode::CREATED);
    }
    let mut conn = t.app.db.conn().await;
    let incremental = app::backend::repos::stats::snapshot(&mut conn).await.unwrap();
    assert_eq!(app::backend::repos::stats::weeks_drift(&mut conn).await.unwrap(), 0);
    app::backend::repos::stats::rebuild(&mut conn).await.unwrap();
    assert_eq!(app::backend::repos::stats::weeks_drift(&mut conn).await.unwrap(), 0);
    assert_eq!(
        app::backend::repos::stats::snapshot(&mut conn).await.unwrap(),
        incremental
    );
    let revenue = t.app.text("SELECT sum(revenue)::text AS v FROM daily_stats").await;
    let refunded = rust_decimal::Decimal::new(300 + 1202 + 199, 2);
    let expected: rust_decimal::Decimal = (0..60)
        .map(|o| rust_decimal::Decimal::new((10 + o) * 100 + o % 100, 2))
        .sum::<rust_decimal::Decimal>()
        - refunded;
    assert_eq!(revenue.parse::<rust_decimal::Decimal>().unwrap(), expected);
}

#[tokio::test]
async fn the_country_comes_from_the_trusted_header_only_when_configured() {
    use tower::ServiceExt;
    let t = Tracking::new().await;
    let options = trellis::router::RouterOptions {
        country_header: Some("cf-ipcountry".into()),
        ..Default::default()
    };
    let router = trellis::router::build(t.app.state.clone(), options);
    for (value, stored) in [("de", "DE"), ("XX1", "none")] {
        let request = Request::get(format!("/r/{}", t.code))
            .header("cf-ipcountry", value)
            .body(Body::empty())
            .unwrap();
        let reply = router.clone().oneshot(request).await.unwrap();
        assert_eq!(reply.status(), StatusCode::FOUND);
        let location = reply.headers()[header::LOCATION].to_str().unwrap().to_owned();
        let click_id = location.rsplit_once('=').unwrap().1;
        let sql = format!("SELECT coalesce(country, 'none') AS v FROM clicks WHERE id = '{click_id}'");
        assert_eq!(t.app.text(&sql).await, stored, "{value}");
    }
    // The default router ignores the header: nobody configured it as trusted.
    let request = Request::get(format!("/r/{}", t.code))
        .header("cf-ipcountry", "FR")
        .body(Body::empty())
        .unwrap();
    let reply = t.app.browser().send(request).await;
    let click_id = reply.location().rsplit_once('=').unwrap().1.to_owned();
    let sql = format!("SELECT coalesce(country, 'none') AS v FROM clicks WHERE id = '{click_id}'");
    assert_eq!(t.app.text(&sql).await, "none");
}
