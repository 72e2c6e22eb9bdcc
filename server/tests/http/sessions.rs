//! Where a person is signed in: their live sessions listed (this one marked), another one ended
//! from here (that browser is logged out at once), every other one ended, and another person's
//! session, or this one, refused without changing anything.

use crate::support::TestApp;
use app::api::sessions::{EndSessions, MySessions, SessionDto};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

async fn sessions_of(browser: &mut crate::support::Browser) -> Vec<SessionDto> {
    let reply = browser.fetch(MySessions::PATH).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[tokio::test]
async fn a_person_sees_their_sessions_and_ends_another_one_but_not_someone_elses() {
    let app = TestApp::seeded().await;
    let mut laptop = app.logged_in("ana@brightreviews.test").await;
    let mut phone = app.logged_in("ana@brightreviews.test").await;
    let mut northwind = app.logged_in("ops@northwind.test").await;

    let listed = sessions_of(&mut laptop).await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(listed.iter().filter(|s| s.current).count(), 1);
    assert!(listed[0].current, "this browser comes first");
    let other = listed.iter().find(|s| !s.current).unwrap().handle.clone();
    let this = listed[0].handle.clone();
    assert_eq!(sessions_of(&mut northwind).await.len(), 1, "only one's own sessions");

    // Someone else's session, an unknown handle, or this very session: refused, nothing ends.
    let audit_before = app.count("audit_events").await;
    for handle in [other.as_str(), "0123456789abcdef01234567"] {
        let probe = northwind.submit(EndSessions::PATH, &[("handle", handle)]).await;
        assert_eq!(probe.status, StatusCode::NOT_FOUND, "{}", probe.body);
    }
    let own = laptop.submit(EndSessions::PATH, &[("handle", &this)]).await;
    assert_eq!(own.status, StatusCode::CONFLICT, "{}", own.body);
    assert_eq!(phone.get("/portal").await.status, StatusCode::OK);
    assert_eq!(sessions_of(&mut laptop).await.len(), 2);
    assert_eq!(app.count("audit_events").await, audit_before);

    // Ending the phone's session logs the phone out at once.
    let ended = laptop.submit(EndSessions::PATH, &[("handle", &other)]).await;
    assert_eq!((ended.status, ended.body.as_str()), (StatusCode::OK, "1"));
    let after = phone.get("/portal").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/login"), "{}", after.location());
    assert_eq!(laptop.get("/portal").await.status, StatusCode::OK);
    assert_eq!(
        app.number("SELECT count(*) AS n FROM audit_events WHERE action = 'session.end'")
            .await,
        1
    );

    // Every other session, when there is none left, ends nothing.
    let mut tablet = app.logged_in("ana@brightreviews.test").await;
    let all = laptop.submit(EndSessions::PATH, &[("others", "yes")]).await;
    assert_eq!(all.body, "1");
    assert_eq!(tablet.get("/portal").await.status, StatusCode::SEE_OTHER);
    assert_eq!(laptop.submit(EndSessions::PATH, &[("others", "yes")]).await.body, "0");
    assert_eq!(sessions_of(&mut laptop).await.len(), 1);

    // The settings page lists them.
    let page = laptop.get("/portal/settings").await.body;
    assert!(page.contains("Where you're signed in") && page.contains("This browser"));
}
