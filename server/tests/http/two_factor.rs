//! Two-factor sign-in over HTTP: a person sets it up from their settings, then a password alone
//! no longer signs them in; a code from the app or a recovery code (once) does; wrong codes are
//! throttled with passwords; and where it is required (every operator, or a program's partners)
//! a person without it reaches only their settings until they set it up.

use crate::support::{post_plain, Browser, TestApp, DEMO_PASSWORD};
use app::api::two_factor::{
    ConfirmTwoFactor, SetOperatorsTwoFactor, SetProgramTwoFactor, StartTwoFactor, TurnOffTwoFactor, TwoFactorDto,
    TwoFactorState, TwoFactorStatus,
};
use app::backend::two_factor::code_at;
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;
use time::{Duration, OffsetDateTime};

async fn status(browser: &mut Browser) -> TwoFactorDto {
    let reply = browser.fetch(TwoFactorStatus::PATH).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// Sets two-factor sign-in up for the browser's person; returns the secret and recovery codes.
async fn set_up(browser: &mut Browser) -> (Vec<u8>, Vec<String>) {
    let started = browser.submit(StartTwoFactor::PATH, &[]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let TwoFactorState::SettingUp { secret, qr_svg } = status(browser).await.state else {
        panic!("not setting up");
    };
    assert!(qr_svg.contains("<svg"));
    let secret = data_encoding::BASE32_NOPAD
        .decode(secret.replace(' ', "").as_bytes())
        .unwrap();
    let code = code_at(&secret, OffsetDateTime::now_utc());
    let confirmed = browser.submit(ConfirmTwoFactor::PATH, &[("code", &code)]).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let shown = status(browser).await;
    assert!(matches!(
        shown.state,
        TwoFactorState::On {
            recovery_codes_left: 10,
            ..
        }
    ));
    assert_eq!(shown.fresh_recovery_codes.len(), 10);
    assert!(status(browser).await.fresh_recovery_codes.is_empty(), "shown once");
    (secret, shown.fresh_recovery_codes)
}

/// The code of the step after this one: newer than the step `set_up` used (each step counts
/// once), and still inside the one step of drift the server allows however slow the round trip.
/// A code from an earlier step would fail whenever the clock crossed a step boundary meanwhile.
fn next_step_code(secret: &[u8]) -> String {
    code_at(secret, OffsetDateTime::now_utc() + Duration::seconds(30))
}

async fn code_step(browser: &mut Browser, code: &str) -> crate::support::Reply {
    let token = browser.get("/login/code").await.csrf_token();
    browser
        .post_form("/login/code", &[("csrf_token", &token), ("code", code)])
        .await
}

#[tokio::test]
async fn after_setting_it_up_a_password_alone_no_longer_signs_in() {
    let app = TestApp::seeded().await;
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let (secret, recovery) = set_up(&mut ana).await;

    // The password step leaves the login waiting: no portal yet, and whoever was signed in on
    // this browser before is signed out.
    let mut laptop = app.logged_in("ops@northwind.test").await;
    assert_eq!(laptop.get("/portal").await.status, StatusCode::OK);
    let password = laptop.log_in("ana@brightreviews.test", DEMO_PASSWORD).await;
    assert_eq!(password.status, StatusCode::SEE_OTHER);
    assert_eq!(password.location(), "/login/code");
    assert!(laptop.get("/portal").await.location().starts_with("/login"));

    // Wrong and malformed codes go back to the form with a reason; nothing signs in.
    for (code, error) in [("000000", "wrong"), ("12ab", "malformed"), ("", "missing")] {
        let refused = code_step(&mut laptop, code).await;
        assert_eq!(refused.location(), format!("/login/code?error={error}"));
    }
    assert!(laptop.get("/portal").await.location().starts_with("/login"));
    let page = laptop.get("/login/code?error=wrong").await;
    assert!(page.body.contains("That code is not right"), "{}", page.body);

    let signed_in = code_step(&mut laptop, &next_step_code(&secret)).await;
    assert_eq!(signed_in.location(), "/portal");
    assert_eq!(laptop.get("/portal").await.status, StatusCode::OK);
    assert_eq!(
        app.number(
            "SELECT count(*) AS n FROM audit_events WHERE action = 'user.login'
             AND after ->> 'second_factor' = 'authenticator app'"
        )
        .await,
        1
    );

    // A recovery code signs in once.
    for attempt in 0..2 {
        let mut phone = app.browser();
        phone.log_in("ana@brightreviews.test", DEMO_PASSWORD).await;
        let reply = code_step(&mut phone, &recovery[3]).await;
        if attempt == 0 {
            assert_eq!(reply.location(), "/portal");
        } else {
            assert_eq!(reply.location(), "/login/code?error=wrong");
        }
    }
    // Without a waiting login the code form sends the person back to the password.
    let mut stranger = app.browser();
    assert_eq!(
        code_step(&mut stranger, &recovery[4]).await.location(),
        "/login?error=code-expired"
    );
}

#[tokio::test]
async fn wrong_codes_count_against_the_login_throttle() {
    let app = TestApp::seeded().await;
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let (secret, _) = set_up(&mut ana).await;
    let mut guesser = app.browser();
    guesser.log_in("ana@brightreviews.test", DEMO_PASSWORD).await;
    // The password counted once; four wrong codes reach the limit of five.
    for _ in 0..4 {
        assert_eq!(
            code_step(&mut guesser, "111111").await.location(),
            "/login/code?error=wrong"
        );
    }
    let right = code_step(&mut guesser, &code_at(&secret, OffsetDateTime::now_utc())).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "{}", right.body);
    assert!(guesser.get("/portal").await.location().starts_with("/login"));
}

#[tokio::test]
async fn turning_it_off_needs_the_password_and_a_code() {
    let app = TestApp::seeded().await;
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let (secret, recovery) = set_up(&mut ana).await;
    let audit_before = app.count("audit_events").await;
    let code = next_step_code(&secret);
    let wrong_password = ana
        .submit(
            TurnOffTwoFactor::PATH,
            &[("password", "not my password"), ("code", &code)],
        )
        .await;
    assert_eq!(
        wrong_password.status,
        StatusCode::BAD_REQUEST,
        "{}",
        wrong_password.body
    );
    let wrong_code = ana
        .submit(
            TurnOffTwoFactor::PATH,
            &[("password", DEMO_PASSWORD), ("code", "999999")],
        )
        .await;
    assert_eq!(wrong_code.status, StatusCode::BAD_REQUEST, "{}", wrong_code.body);
    assert!(matches!(status(&mut ana).await.state, TwoFactorState::On { .. }));
    assert_eq!(app.count("audit_events").await, audit_before);

    // Without JavaScript too: the post comes back to the settings page.
    let off = post_plain(
        &mut ana,
        TurnOffTwoFactor::PATH,
        "/portal/settings",
        &[("password", DEMO_PASSWORD), ("code", &recovery[0])],
    )
    .await;
    assert_eq!(off.status, StatusCode::FOUND, "{}", off.body);
    assert!(matches!(status(&mut ana).await.state, TwoFactorState::Off));
    assert_eq!(
        app.number("SELECT count(*) AS n FROM email_outbox WHERE subject = 'Two-factor sign-in was turned off'")
            .await,
        1
    );
    // The password alone signs in again.
    let mut laptop = app.browser();
    assert_eq!(
        laptop.log_in("ana@brightreviews.test", DEMO_PASSWORD).await.location(),
        "/portal"
    );
}

#[tokio::test]
async fn where_it_is_required_a_person_without_it_reaches_only_their_settings() {
    let app = TestApp::seeded().await;
    let mut admin = app.logged_in("admin@acme.test").await;
    let mut manager = app.logged_in("manager@acme.test").await;
    let refused = manager
        .submit(SetOperatorsTwoFactor::PATH, &[("required", "yes")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.number("SELECT count(*) AS n FROM installation_settings WHERE operators_need_two_factor")
            .await,
        0
    );
    let required = admin.submit(SetOperatorsTwoFactor::PATH, &[("required", "yes")]).await;
    assert_eq!(required.status, StatusCode::OK, "{}", required.body);

    // From the next sign-in, every console page sends finance to their settings, and server
    // functions refuse, until they set it up.
    let mut finance = app.browser();
    let login = finance.log_in("finance@acme.test", DEMO_PASSWORD).await;
    assert_eq!(login.location(), "/console", "{} {}", login.status, login.body);
    let home = finance.get("/console").await;
    assert_eq!(
        (home.status, home.location()),
        (StatusCode::SEE_OTHER, "/console/settings")
    );
    let settings = finance.get("/console/settings").await;
    assert_eq!(settings.status, StatusCode::OK);
    assert!(
        settings.body.contains("asks every operator to use two-factor sign-in"),
        "{}",
        settings.body
    );
    let list = finance.fetch(app::api::two_factor::OperatorsTwoFactor::PATH).await;
    assert_eq!(list.status, StatusCode::CONFLICT, "{}", list.body);
    // Files outside the console's pages wait too.
    for file in ["/documents/1", "/mdf/files/1", "/promo/screenshots/1"] {
        assert_eq!(finance.get(file).await.status, StatusCode::CONFLICT, "{file}");
    }
    set_up(&mut finance).await;
    assert_eq!(finance.get("/console").await.status, StatusCode::OK);
    assert_eq!(
        finance
            .fetch(app::api::two_factor::OperatorsTwoFactor::PATH)
            .await
            .status,
        StatusCode::OK
    );

    // A program's partners.
    let program = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string();
    let saved = manager
        .submit(
            SetProgramTwoFactor::PATH,
            &[("program_id", &program), ("required", "yes")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let mut ana = app.logged_in("ana@brightreviews.test").await;
    let portal = ana.get("/portal/links").await;
    assert_eq!(
        (portal.status, portal.location()),
        (StatusCode::SEE_OTHER, "/portal/settings")
    );
    // It can't be turned off while required.
    set_up(&mut ana).await;
    assert_eq!(ana.get("/portal/links").await.status, StatusCode::OK);
    let off = ana
        .submit(
            TurnOffTwoFactor::PATH,
            &[("password", DEMO_PASSWORD), ("code", "123456")],
        )
        .await;
    assert_eq!(off.status, StatusCode::CONFLICT, "{}", off.body);
    assert!(matches!(status(&mut ana).await.state, TwoFactorState::On { .. }));
}
