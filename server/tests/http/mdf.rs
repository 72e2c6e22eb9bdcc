//! Market development funds over HTTP: the request form's refusals (above what is available,
//! dates that make no sense, zero amounts), decisions and who may take them, the claim upload
//! (multipart, without JavaScript) with its limits, type sniffing, amount and deadline checks,
//! and scoping: another partner's request or file looks like one that doesn't exist. Every
//! refusal is checked to have changed nothing.

use crate::support::{multipart, Browser, Reply, TestApp};
use app::api::mdf::{MyMdfRequest, SubmitMdfRequest};
use app::api::mdf_console::DecideMdf;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;

const NORTHWIND: &str = "ops@northwind.test";
const LUMEN: &str = "hello@lumenmedia.test";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

async fn fund(app: &TestApp) -> String {
    app.number("SELECT id AS n FROM mdf_funds").await.to_string()
}

/// What a refusal must leave as it was.
async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["mdf_requests", "mdf_claims", "mdf_files", "mdf_events", "email_outbox"] {
        counts.push(app.count(table).await);
    }
    counts.push(
        app.number("SELECT (committed * 100)::bigint AS n FROM mdf_balances")
            .await,
    );
    counts.push(
        app.number("SELECT (requested * 100)::bigint AS n FROM mdf_balances")
            .await,
    );
    counts
}

fn request_fields<'a>(fund: &'a str, start: &'a str, end: &'a str, amount: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("fund_id", fund),
        ("activity", "webinar"),
        ("description", "Cloud cost webinar for IT leads"),
        ("starts_on", start),
        ("ends_on", end),
        ("amount", amount),
        ("expected_outcome", "10 opportunities"),
    ]
}

/// A request from Northwind for `amount`, approved by the manager for `approve`.
async fn approved_request(app: &TestApp, amount: &str, approve: &str) -> String {
    let mut northwind = app.logged_in(NORTHWIND).await;
    let (fund, day) = (fund(app).await, today());
    let sent = northwind
        .submit(SubmitMdfRequest::PATH, &request_fields(&fund, &day, &day, amount))
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let id = app.number("SELECT max(id) AS n FROM mdf_requests").await.to_string();
    let mut manager = app.logged_in("manager@acme.test").await;
    let decided = manager
        .submit(
            DecideMdf::PATH,
            &[
                ("id", &id),
                ("what", "request"),
                ("decision", "approve"),
                ("amount", approve),
            ],
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    id
}

/// A multipart claim as a browser without JavaScript posts it: the token first, then the
/// fields, then the files.
async fn post_claim(
    browser: &mut Browser,
    id: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
    token: Option<&str>,
) -> Reply {
    let page_token = browser.token().await;
    let token = token.unwrap_or(&page_token);
    let files: Vec<(&str, &str, &[u8])> = files.iter().map(|(name, bytes)| ("files", *name, *bytes)).collect();
    let path = format!("/portal/mdf/{id}/claim");
    browser
        .send(multipart(&path, token, fields, &files, "application/pdf"))
        .await
}

const CLAIM: [(&str, &str); 4] = [
    ("amount", "1500"),
    ("actual_cost", "1800"),
    ("leads", "12"),
    ("attendees", "40"),
];

#[tokio::test]
async fn bad_requests_are_refused_with_clear_messages_and_change_nothing() {
    let app = TestApp::seeded().await;
    let mut northwind = app.logged_in(NORTHWIND).await;
    let (fund, day) = (fund(&app).await, today());
    let before = snapshot(&app).await;
    let cases = [
        (
            request_fields(&fund, &day, &day, "10000.01"),
            "amount",
            "USD 10,000.00 available",
        ),
        (request_fields(&fund, &day, &day, "0"), "amount", "greater than zero"),
        (request_fields(&fund, &day, &day, "-50"), "amount", "greater than zero"),
        (
            request_fields(&fund, &day, "2000-01-01", "100"),
            "ends_on",
            "on or after the start date",
        ),
        (
            request_fields("999999", &day, &day, "100"),
            "fund_id",
            "Choose one of your funds.",
        ),
    ];
    for (fields, field, message) in cases {
        let reply = northwind.submit(SubmitMdfRequest::PATH, &fields).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        assert!(
            reply.body.contains(field) && reply.body.contains(message),
            "{field}: {}",
            reply.body
        );
    }
    assert_eq!(snapshot(&app).await, before, "nothing changed");

    // A partner without funds in the program can't request from it.
    let mut lumen = app.logged_in(LUMEN).await;
    let reply = lumen
        .submit(SubmitMdfRequest::PATH, &request_fields(&fund, &day, &day, "100"))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("Choose one of your funds."));
    assert_eq!(snapshot(&app).await, before);

    // Without JavaScript the refusal comes back to the form, with what was typed.
    let page = northwind.get("/portal/mdf").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("USD 10,000.00"), "the seeded allocation is shown");
}

#[tokio::test]
async fn decisions_need_the_right_role_and_a_reason_to_decline() {
    let app = TestApp::seeded().await;
    let mut northwind = app.logged_in(NORTHWIND).await;
    let (fund, day) = (fund(&app).await, today());
    northwind
        .submit(SubmitMdfRequest::PATH, &request_fields(&fund, &day, &day, "4000"))
        .await;
    let id = app.number("SELECT max(id) AS n FROM mdf_requests").await.to_string();
    let before = snapshot(&app).await;
    let mut finance = app.logged_in("finance@acme.test").await;
    let approve = [
        ("id", id.as_str()),
        ("what", "request"),
        ("decision", "approve"),
        ("amount", "3000"),
    ];
    assert_eq!(
        finance.submit(DecideMdf::PATH, &approve).await.status,
        StatusCode::FORBIDDEN
    );
    let mut manager = app.logged_in("manager@acme.test").await;
    let no_reason = manager
        .submit(
            DecideMdf::PATH,
            &[("id", &id), ("what", "request"), ("decision", "decline")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert!(no_reason.body.contains("Say why you decline"), "{}", no_reason.body);
    let too_much = [
        ("id", id.as_str()),
        ("what", "request"),
        ("decision", "approve"),
        ("amount", "4000.01"),
    ];
    let refused = manager.submit(DecideMdf::PATH, &too_much).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("at most the amount requested"),
        "{}",
        refused.body
    );
    assert_eq!(snapshot(&app).await, before, "nothing changed");

    let approved = manager.submit(DecideMdf::PATH, &approve).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(
        app.number("SELECT (committed)::bigint AS n FROM mdf_balances").await,
        3000
    );
    let mail = app
        .text(
            "SELECT body_text AS v FROM email_outbox WHERE to_address = 'ops@northwind.test' ORDER BY id DESC LIMIT 1",
        )
        .await;
    assert!(
        mail.contains("approved for USD 3,000.00 (you asked for USD 4,000.00)"),
        "{mail}"
    );
    assert_eq!(
        app.number("SELECT count(*) AS n FROM audit_events WHERE action = 'mdf.approved'")
            .await,
        1
    );
    let again = manager.submit(DecideMdf::PATH, &approve).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
}

#[tokio::test]
async fn claims_upload_without_javascript_and_bad_uploads_change_nothing() {
    let app = TestApp::seeded().await;
    let id = approved_request(&app, "2000", "1500").await;
    let mut northwind = app.logged_in(NORTHWIND).await;
    let page = format!("/portal/mdf/{id}");
    let before = snapshot(&app).await;

    // A file that says it is a PDF but is HTML.
    let html: &[u8] = b"<html><script>alert(1)</script></html>";
    let reply = post_claim(&mut northwind, &id, &CLAIM, &[("proof.pdf", html)], None).await;
    assert_eq!((reply.status, reply.location()), (StatusCode::SEE_OTHER, page.as_str()));
    let shown = northwind.get(&page).await;
    assert!(
        shown.body.contains("is not a PDF, PNG, JPEG or WebP file"),
        "the refusal is shown on the page"
    );
    assert!(shown.body.contains("value=\"1800\""), "what was typed is kept");
    assert!(!northwind.get(&page).await.body.contains("is not a PDF"), "shown once");

    // Above the approved amount.
    let above = [
        ("amount", "1500.01"),
        ("actual_cost", "1800"),
        ("leads", ""),
        ("attendees", ""),
    ];
    post_claim(&mut northwind, &id, &above, &[("proof.png", PNG)], None).await;
    assert!(northwind
        .get(&page)
        .await
        .body
        .contains("You can claim at most USD 1,500.00, the approved amount."));

    // One file over 5 MB, and a body declared larger than the limit (refused before reading it).
    let big = vec![b'%'; 5 * 1024 * 1024 + 1];
    post_claim(&mut northwind, &id, &CLAIM, &[("huge.pdf", &big)], None).await;
    assert!(northwind.get(&page).await.body.contains("larger than 5 MB"));
    let token = northwind.token().await;
    let declared = Request::post(format!("/portal/mdf/{id}/claim"))
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .header(header::CONTENT_LENGTH, (40 * 1024 * 1024).to_string())
        .header(header::ACCEPT, "text/html")
        .body(Body::from(format!(
            "--x\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--x--\r\n"
        )))
        .unwrap();
    let reply = northwind.send(declared).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(northwind.get(&page).await.body.contains("The upload is too large"));

    // No token: refused like any cross-site post.
    let forged = post_claim(&mut northwind, &id, &CLAIM, &[("proof.png", PNG)], Some("")).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(snapshot(&app).await, before, "nothing changed");

    // Another partner's request: not found, and nothing changes.
    let mut lumen = app.logged_in(LUMEN).await;
    let theirs = post_claim(&mut lumen, &id, &CLAIM, &[("proof.png", PNG)], None).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(lumen.get(&page).await.status, StatusCode::NOT_FOUND);
    let detail = format!("{}?id={id}", MyMdfRequest::PATH);
    assert_eq!(lumen.fetch(&detail).await.status, StatusCode::NOT_FOUND);
    assert_eq!(snapshot(&app).await, before);

    // A good claim: a PNG and a PDF, from an address the audit trail keeps.
    northwind.peer = Some("203.0.113.7:41000".parse().unwrap());
    let pdf: &[u8] = b"%PDF-1.4\n%%EOF\n";
    let filed = post_claim(
        &mut northwind,
        &id,
        &CLAIM,
        &[("booth photo.png", PNG), ("invoice.pdf", pdf)],
        None,
    )
    .await;
    assert_eq!((filed.status, filed.location()), (StatusCode::SEE_OTHER, page.as_str()));
    let shown = northwind.get(&page).await;
    assert!(shown.body.contains("Claim filed for request"), "the flash message");
    assert!(shown.body.contains("Download booth photo.png"));
    assert_eq!(app.count("mdf_files").await, 2);
    assert_eq!(
        app.number("SELECT (claimed)::bigint AS n FROM mdf_balances").await,
        1500
    );
    let stored = app
        .text("SELECT content_type AS v FROM mdf_files WHERE filename = 'invoice.pdf'")
        .await;
    assert_eq!(
        stored, "application/pdf",
        "the type is sniffed, not taken from the browser"
    );
    assert_eq!(
        app.text("SELECT ip AS v FROM audit_events WHERE action = 'mdf.claimed'")
            .await,
        "203.0.113.7",
        "the upload's audit row records the client address"
    );

    // Downloads: the partner and operators may, another partner may not.
    let file = app
        .number("SELECT id AS n FROM mdf_files WHERE filename = 'booth photo.png'")
        .await;
    let href = format!("/mdf/files/{file}");
    let mine = northwind.get(&href).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(mine.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let disposition = mine.headers[header::CONTENT_DISPOSITION].to_str().unwrap().to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"booth photo.png\""),
        "{disposition}"
    );
    assert!(
        mine.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .ends_with("sandbox"),
        "the download keeps its own policy"
    );
    let mut manager = app.logged_in("manager@acme.test").await;
    let audit = manager.get(&format!("/console/audit?subject=mdf_request:{id}")).await;
    assert!(audit.body.contains("from 203.0.113.7"), "{}", audit.body);
    assert_eq!(manager.get(&href).await.status, StatusCode::OK);
    assert_eq!(lumen.get(&href).await.status, StatusCode::NOT_FOUND);
    let queue = manager.get("/console/mdf?tab=claims").await;
    assert!(
        queue.body.contains("Review 2 proof files"),
        "the queue shows the claim's files"
    );

    // A second claim while one waits is refused.
    let twice = post_claim(&mut northwind, &id, &CLAIM, &[("proof.png", PNG)], None).await;
    assert_eq!(twice.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("mdf_claims").await, 1);
}

#[tokio::test]
async fn a_claim_after_its_deadline_is_refused() {
    let app = TestApp::seeded().await;
    let id = approved_request(&app, "800", "800").await;
    diesel::sql_query(format!(
        "UPDATE mdf_requests SET claim_deadline = now() - interval '1 minute' WHERE id = {id}"
    ))
    .execute(&mut app.db.conn().await)
    .await
    .unwrap();
    let mut northwind = app.logged_in(NORTHWIND).await;
    let before = snapshot(&app).await;
    // The page no longer offers the form; a post anyway is refused with the deadline.
    let page = format!("/portal/mdf/{id}");
    assert!(!northwind.get(&page).await.body.contains("File your claim"));
    let claim = [
        ("amount", "800"),
        ("actual_cost", "800"),
        ("leads", ""),
        ("attendees", ""),
    ];
    let reply = post_claim(&mut northwind, &id, &claim, &[("proof.png", PNG)], None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(northwind
        .get(&page)
        .await
        .body
        .contains("has passed, so this activity can't be claimed any more"));
    assert_eq!(snapshot(&app).await, before, "nothing changed");
}

use diesel_async::RunQueryDsl;
