//! A GET never changes anything: reading the terms makes no invitation code, reading a
//! program's keys leaves a new key waiting in the session, and the one-time values (a new key,
//! a "saved" message) are taken only by POST server functions, which pages call while they
//! render. The POST functions can't be reached with a GET.

use crate::support::{post_plain, TestApp};
use app::api::flash::TakeFlash;
use app::api::my_terms::{CreateInviteLink, MyTerms};
use app::api::program_admin::{CreateApiKey, ProgramKeys, TakeNewApiKey};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

#[tokio::test]
async fn reading_the_terms_makes_no_invitation_code() {
    let app = TestApp::seeded().await;
    let program = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string();
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let read = ana.fetch(MyTerms::PATH).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert!(read.body.contains("\"may_invite\":true"), "{}", read.body);
    assert_eq!(ana.get("/portal/terms").await.status, StatusCode::OK);
    let by_get = ana
        .fetch(&format!("{}?program_id={program}", CreateInviteLink::PATH))
        .await;
    assert!(!by_get.status.is_success(), "{} {}", by_get.status, by_get.body);
    assert_eq!(app.count("sub_partner_invites").await, 0);

    // The POST makes it; without JavaScript the page says so once.
    let made = post_plain(
        &mut ana,
        CreateInviteLink::PATH,
        "/portal/terms",
        &[("program_id", &program)],
    )
    .await;
    assert!(made.status.is_redirection(), "{} {}", made.status, made.body);
    assert_eq!(app.count("sub_partner_invites").await, 1);
    let page = ana.get("/portal/terms").await;
    assert!(page.body.contains("Your invitation link is ready"));
    assert!(!ana
        .get("/portal/terms")
        .await
        .body
        .contains("Your invitation link is ready"));

    // A partner that isn't in the program can't make one there.
    let mut northwind = app.logged_in("ops@northwind.test").await;
    let refused = northwind
        .submit(CreateInviteLink::PATH, &[("program_id", &program)])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert_eq!(app.count("sub_partner_invites").await, 1);
}

/// Whether a text holds a whole API key ("trk_" and 43 characters; lists show a short prefix).
fn carries_a_secret(text: &str) -> bool {
    text.match_indices("trk_").any(|(at, _)| {
        let rest = &text[at + 4..];
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .count()
            >= 43
    })
}

#[tokio::test]
async fn a_new_key_waits_for_its_page_however_often_the_keys_are_read() {
    let app = TestApp::seeded().await;
    let program = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string();
    let page = format!("/console/programs/{program}/keys");
    let mut manager = app.logged_in("manager@acme.test").await;
    let made = post_plain(
        &mut manager,
        CreateApiKey::PATH,
        &page,
        &[("program_id", &program), ("name", "Shop checkout")],
    )
    .await;
    assert!(made.status.is_redirection(), "{} {}", made.status, made.body);
    let sessions = "SELECT count(*) AS n FROM sessions WHERE data::text LIKE '%new_api_key%'";
    assert_eq!(app.number(sessions).await, 1, "the key waits in the session");

    // Reads with GET, however many, leave it there.
    for _ in 0..2 {
        let read = manager.fetch(&format!("{}?id={program}", ProgramKeys::PATH)).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert!(
            !carries_a_secret(&read.body),
            "a read never carries a secret: {}",
            read.body
        );
        let take = manager
            .fetch(&format!("{}?program_id={program}", TakeNewApiKey::PATH))
            .await;
        assert!(!take.status.is_success(), "{} {}", take.status, take.body);
        let flash = manager.fetch(TakeFlash::PATH).await;
        assert!(!flash.status.is_success(), "{} {}", flash.status, flash.body);
    }
    assert_eq!(app.number(sessions).await, 1);

    // The page takes it (a POST server function, called while it renders), once.
    let shown = manager.get(&page).await;
    assert!(shown.body.contains("Your new API key"), "{}", shown.body);
    assert!(carries_a_secret(&shown.body));
    assert_eq!(app.number(sessions).await, 0);
    assert!(!manager.get(&page).await.body.contains("Your new API key"));
}
