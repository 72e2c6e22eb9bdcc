//! Partner documents over HTTP: a manager requires one, the partner's owner uploads it as a
//! plain multipart form (a wrong kind of file comes back beside its form and stores nothing;
//! no token, nothing read), only admins and finance see the queue and open the file (a manager,
//! another partner and a stranger get not found), and a decision with a bad date or no reason
//! is refused and changes nothing.

use crate::support::{multipart, Browser, Reply, TestApp};
use app::api::documents_console::{AddRequirement, DecideDocument, DocumentsWaiting};
use axum::http::{header, StatusCode};
use leptos::server_fn::ServerFn;

const PDF: &[u8] = b"%PDF-1.7\nBright Reviews company register extract\n%%EOF";

async fn upload(browser: &mut Browser, requirement: i64, name: &str, bytes: &[u8], token: Option<&str>) -> Reply {
    let page_token = browser.token().await;
    let token = token.unwrap_or(&page_token);
    let path = format!("/portal/documents/{requirement}");
    browser
        .send(multipart(
            &path,
            token,
            &[],
            &[("file", name, bytes)],
            "application/pdf",
        ))
        .await
}

async fn status_of(app: &TestApp, id: i64) -> String {
    app.text(&format!("SELECT status AS v FROM partner_documents WHERE id = {id}"))
        .await
}

#[tokio::test]
async fn owners_upload_reviewers_decide_and_everyone_else_gets_not_found() {
    let app = TestApp::seeded().await;
    let program = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string();
    let mut manager = app.logged_in("manager@acme.test").await;
    let bad_kind = manager
        .submit(
            AddRequirement::PATH,
            &[
                ("program_id", &program),
                ("kind", "selfie"),
                ("needed_before", "approval"),
            ],
        )
        .await;
    assert_eq!(bad_kind.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("document_requirements").await, 0);
    let added = manager
        .submit(
            AddRequirement::PATH,
            &[
                ("program_id", &program),
                ("kind", "company_registration"),
                ("needed_before", "first_payout"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let requirement = app.number("SELECT id AS n FROM document_requirements").await;

    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let page = ana.get("/portal/documents").await;
    assert!(page.body.contains("Company registration") && page.body.contains("Not uploaded"));

    // A file of the wrong kind, and a form without its token: nothing stored.
    let gif = upload(&mut ana, requirement, "logo.gif", b"GIF89a......", None).await;
    assert!(gif.status.is_redirection(), "{}", gif.status);
    assert_eq!(gif.location(), "/portal/documents");
    let back = ana.get("/portal/documents").await;
    assert!(
        back.body.contains("is not a PDF, PNG, JPEG or WebP file"),
        "{}",
        back.body
    );
    let forged = upload(&mut ana, requirement, "extract.pdf", PDF, Some("not-the-token")).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("partner_documents").await, 0);

    let uploaded = upload(&mut ana, requirement, "extract.pdf", PDF, None).await;
    assert!(uploaded.status.is_redirection(), "{}", uploaded.status);
    let id = app.number("SELECT id AS n FROM partner_documents").await;
    assert!(ana.get("/portal/documents").await.body.contains("Waiting for review"));
    let own = ana.get(&format!("/documents/{id}")).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body.as_bytes(), PDF);

    // Only admins and finance: the manager neither lists nor opens it; another partner and a
    // stranger get not found.
    assert_eq!(
        manager.fetch(DocumentsWaiting::PATH).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        manager.get(&format!("/documents/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut northwind = app.logged_in("ops@northwind.test").await;
    assert_eq!(
        northwind.get(&format!("/documents/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let stranger = app.browser().get(&format!("/documents/{id}")).await;
    assert!(stranger.status.is_redirection(), "to the login page");
    let mut finance = app.logged_in("finance@acme.test").await;
    // The application's page says where the partner stands; only reviewers of documents get the
    // file's link.
    let membership = app
        .number(&format!(
            "SELECT id AS n FROM program_memberships WHERE program_id = {program} \
             AND partner_id = (SELECT partner_id FROM users WHERE email = 'ana@brightreviews.test')"
        ))
        .await;
    let link = format!("href=\"/documents/{id}\"");
    let seen_by_manager = manager.get(&format!("/console/applications/{membership}")).await.body;
    assert!(
        seen_by_manager.contains("Company registration") && seen_by_manager.contains("Waiting for review"),
        "{seen_by_manager}"
    );
    assert!(!seen_by_manager.contains(&link));
    let seen_by_finance = finance.get(&format!("/console/applications/{membership}")).await.body;
    assert!(seen_by_finance.contains(&link), "{seen_by_finance}");
    let before_reads = app.count("audit_events").await;
    let queue = finance.fetch(DocumentsWaiting::PATH).await;
    assert!(
        queue.body.contains("Bright Reviews") && queue.body.contains("extract.pdf"),
        "{}",
        queue.body
    );
    let opened = finance.get(&format!("/documents/{id}")).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(opened.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        app.count("audit_events").await > before_reads,
        "the reviewer's opening is audited"
    );

    // Bad decisions change nothing.
    let doc = id.to_string();
    let past = finance
        .submit(
            DecideDocument::PATH,
            &[
                ("document_id", &doc),
                ("decision", "approve"),
                ("expires_on", "2001-01-01"),
            ],
        )
        .await;
    assert_eq!(past.status, StatusCode::BAD_REQUEST);
    assert!(past.body.contains(&format!("d{id}-expires_on")), "{}", past.body);
    let no_reason = finance
        .submit(DecideDocument::PATH, &[("document_id", &doc), ("decision", "reject")])
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    let by_manager = manager
        .submit(DecideDocument::PATH, &[("document_id", &doc), ("decision", "approve")])
        .await;
    assert_eq!(by_manager.status, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, id).await, "pending");

    let approved = finance
        .submit(DecideDocument::PATH, &[("document_id", &doc), ("decision", "approve")])
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(status_of(&app, id).await, "approved");
    assert!(ana.get("/portal/documents").await.body.contains("Approved"));
    let twice = finance
        .submit(
            DecideDocument::PATH,
            &[("document_id", &doc), ("decision", "reject"), ("reason", "x")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(status_of(&app, id).await, "approved");
}
