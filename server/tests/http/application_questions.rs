//! A program's own application questions over HTTP: a manager adds them (finance and partners
//! can't), the join form asks them, a missing required answer or a choice that isn't offered is
//! refused with the error beside the question and nothing written, the form keeps what was
//! typed without JavaScript, and the reviewer reads the answers.

use crate::support::{post_plain, Browser, TestApp};
use app::api::application_questions::{MoveQuestion, RemoveQuestion, SaveQuestion};
use app::api::join::SubmitApplication;
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

async fn affiliates(app: &TestApp) -> String {
    app.number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
        .await
        .to_string()
}

async fn question_id(app: &TestApp, label: &str) -> i64 {
    app.number(&format!(
        "SELECT id AS n FROM application_questions WHERE label = '{label}'"
    ))
    .await
}

async fn footprint(app: &TestApp) -> [i64; 4] {
    [
        app.count("partners").await,
        app.count("program_memberships").await,
        app.count("application_answers").await,
        app.count("email_outbox").await,
    ]
}

/// The standard fields of an application from `email`, with a CSRF token.
fn standard(token: &str, email: &str) -> Vec<(String, String)> {
    [
        ("csrf_token", token),
        ("program_slug", "acme-affiliates"),
        ("name", "Quinn Reviews"),
        ("email", email),
        ("website", ""),
        ("kind", "creator"),
        ("country", "DE"),
        ("promotion_plan", "A review site"),
        ("accept_terms", "yes"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

async fn apply(browser: &mut Browser, fields: &[(String, String)]) -> crate::support::Reply {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    browser.call(SubmitApplication::PATH, &refs).await
}

/// Three questions on the affiliate program: a required single choice, an optional multiple
/// choice, and a required checkbox.
async fn three_questions(app: &TestApp, program: &str) -> (i64, i64, i64) {
    let mut manager = app.logged_in("manager@acme.test").await;
    for fields in [
        vec![
            ("label", "Monthly visitors"),
            ("kind", "single_choice"),
            ("options", "Under 10k\n10k to 100k\nOver 100k"),
            ("required", "yes"),
        ],
        vec![
            ("label", "Channels"),
            ("kind", "multiple_choice"),
            ("options", "Blog\nNewsletter\nVideo"),
        ],
        vec![
            ("label", "I never bid on the brand name"),
            ("kind", "checkbox"),
            ("required", "yes"),
        ],
    ] {
        let mut all = vec![("program_id", program)];
        all.extend(fields);
        let saved = manager.submit(SaveQuestion::PATH, &all).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    }
    (
        question_id(app, "Monthly visitors").await,
        question_id(app, "Channels").await,
        question_id(app, "I never bid on the brand name").await,
    )
}

#[tokio::test]
async fn managers_define_questions_that_the_join_form_asks_and_reviewers_read() {
    let app = TestApp::seeded().await;
    let program = affiliates(&app).await;
    let (traffic, channels, brand) = three_questions(&app, &program).await;

    let mut manager = app.logged_in("manager@acme.test").await;
    let moved = manager
        .submit(
            MoveQuestion::PATH,
            &[
                ("program_id", &program),
                ("question_id", &brand.to_string()),
                ("direction", "up"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let console = manager.get(&format!("/console/programs/{program}/application")).await;
    assert_eq!(console.status, StatusCode::OK);
    let (a, b, c) = (
        console.body.find("<h3>Monthly visitors").unwrap(),
        console.body.find("<h3>I never bid on the brand name").unwrap(),
        console.body.find("<h3>Channels").unwrap(),
    );
    assert!(a < b && b < c, "the checkbox moved above the channels");

    let mut visitor = app.browser();
    let form = visitor.get("/join/acme-affiliates").await;
    assert!(form.body.contains("Monthly visitors") && form.body.contains("Over 100k"));
    assert!(form.body.contains(&format!("name=\"answers[q{traffic}]\"")));
    assert!(
        form.body.contains(&format!("name=\"answers[q{channels}_o2]\"")),
        "each channel is a box of its own"
    );

    let token = form.csrf_token();
    let mut fields = standard(&token, "quinn@example.com");
    fields.extend([
        (format!("answers[q{traffic}]"), "10k to 100k".to_owned()),
        (format!("answers[q{channels}_o0]"), "Blog".to_owned()),
        (format!("answers[q{channels}_o2]"), "Video".to_owned()),
        (format!("answers[q{brand}]"), "yes".to_owned()),
    ]);
    let applied = apply(&mut visitor, &fields).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(app.count("application_answers").await, 3);

    let membership = app
        .number("SELECT m.id AS n FROM program_memberships m JOIN partners p ON p.id = m.partner_id WHERE p.email = 'quinn@example.com'")
        .await;
    let review = manager.get(&format!("/console/applications/{membership}")).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(review.body.contains("Answers to the program"), "{}", review.body);
    assert!(review.body.contains("10k to 100k") && review.body.contains("Blog, Video"));
}

#[tokio::test]
async fn missing_answers_and_choices_not_offered_are_refused_and_write_nothing() {
    let app = TestApp::seeded().await;
    let program = affiliates(&app).await;
    let (traffic, channels, brand) = three_questions(&app, &program).await;
    let mut visitor = app.browser();
    let token = visitor.token().await;
    let before = footprint(&app).await;

    let missing = apply(&mut visitor, &standard(&token, "quinn@example.com")).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(missing.body.contains(&format!("\"q{traffic}\"")) && missing.body.contains(&format!("\"q{brand}\"")));
    assert!(
        missing.body.contains("Answer this question to apply."),
        "{}",
        missing.body
    );

    let mut offered_elsewhere = standard(&token, "quinn@example.com");
    offered_elsewhere.extend([
        (format!("answers[q{traffic}]"), "A billion".to_owned()),
        (format!("answers[q{channels}_o0]"), "Billboards".to_owned()),
        (format!("answers[q{brand}]"), "yes".to_owned()),
    ]);
    let refused = apply(&mut visitor, &offered_elsewhere).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("Choose one of the choices shown."),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(&format!("\"q{channels}\"")),
        "the multiple choice is refused too"
    );
    assert_eq!(footprint(&app).await, before, "no partner, membership, answer or email");

    // Without JavaScript the form comes back with the errors and every typed answer.
    let mut plain = standard("", "quinn@example.com");
    plain.retain(|(k, _)| k != "csrf_token");
    plain.extend([
        (format!("answers[q{traffic}]"), "Over 100k".to_owned()),
        (format!("answers[q{channels}_o1]"), "Newsletter".to_owned()),
    ]);
    let refs: Vec<(&str, &str)> = plain.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let reply = post_plain(&mut visitor, SubmitApplication::PATH, "/join/acme-affiliates", &refs).await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let back = reply.location().trim_start_matches("http://localhost").to_owned();
    let page = visitor.get(&back).await;
    assert!(
        page.body.contains("Answer this question to apply."),
        "the checkbox's error beside it"
    );
    assert!(
        page.body.contains("value=\"Quinn Reviews\""),
        "the standard fields are kept"
    );
    let checked = |value: &str| {
        let at = page.body.find(&format!("value=\"{value}\"")).unwrap();
        page.body[at..at + 120].contains("checked")
    };
    assert!(checked("Over 100k") && checked("Newsletter"), "the answers are kept");
    assert!(!checked("Under 10k") && !checked("Blog"));
    assert_eq!(footprint(&app).await, before);
}

#[tokio::test]
async fn only_admins_and_managers_change_questions_and_only_their_programs() {
    let app = TestApp::seeded().await;
    let program = affiliates(&app).await;
    let resellers = app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-resellers'")
        .await
        .to_string();
    let (traffic, ..) = three_questions(&app, &program).await;
    let question_events = "SELECT count(*) AS n FROM audit_events WHERE subject_type = 'application_question'";
    let before = (
        app.count("application_questions").await,
        app.number(question_events).await,
    );

    let mut finance = app.logged_in("finance@acme.test").await;
    let page = finance.get(&format!("/console/programs/{program}/application")).await;
    assert_eq!(page.status, StatusCode::OK, "finance reads the questions");
    assert!(page
        .body
        .contains("Only an Admin or a Partner manager can change this."));
    let refused = finance
        .submit(
            SaveQuestion::PATH,
            &[("program_id", &program), ("label", "Sneaky"), ("kind", "short_text")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut ana = app.logged_in("ana@brightreviews.test").await;
    assert_eq!(
        ana.get(&format!("/console/programs/{program}/application"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let refused = ana
        .submit(
            RemoveQuestion::PATH,
            &[("program_id", &program), ("question_id", &traffic.to_string())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The question belongs to another program than the one named: not found.
    let mut manager = app.logged_in("manager@acme.test").await;
    let crossed = manager
        .submit(
            RemoveQuestion::PATH,
            &[("program_id", &resellers), ("question_id", &traffic.to_string())],
        )
        .await;
    assert_eq!(crossed.status, StatusCode::NOT_FOUND, "{}", crossed.body);
    let unknown_kind = manager
        .submit(
            SaveQuestion::PATH,
            &[("program_id", &program), ("label", "Rating"), ("kind", "stars")],
        )
        .await;
    assert_eq!(unknown_kind.status, StatusCode::BAD_REQUEST);
    assert!(unknown_kind.body.contains("Choose the kind of answer."));
    let edit = manager
        .submit(
            SaveQuestion::PATH,
            &[
                ("program_id", &program),
                ("question_id", &traffic.to_string()),
                ("label", ""),
                ("kind", "single_choice"),
                ("options", "A\nB"),
            ],
        )
        .await;
    assert_eq!(edit.status, StatusCode::BAD_REQUEST);
    assert!(
        edit.body.contains(&format!("\"q{traffic}-label\"")),
        "an edit's error names its form: {}",
        edit.body
    );
    assert_eq!(
        (
            app.count("application_questions").await,
            app.number(question_events).await
        ),
        before
    );
}
