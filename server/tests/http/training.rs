//! Training over HTTP: an operator builds and publishes a course and a certification, a partner
//! person reads the lessons (Markdown made harmless), fails, waits, passes and is certified, and
//! anyone can verify the certificate. Every refused input changes nothing, and every course
//! that isn't the caller's to see is a 404, the same as one that doesn't exist.

use crate::support::{Reply, TestApp};
use app::api::training::{AddLesson, AddQuestion, CreateCertification, CreateCourse, PublishCourse, SubmitQuiz};
use axum::http::StatusCode;
use leptos::server_fn::ServerFn;

const HOSTILE: &str =
    "Welcome!\n\n<script>alert('x')</script>\n\n[Click me](javascript:alert(1))\n\n<img src=x onerror=\"alert(2)\">";

struct Training {
    app: TestApp,
    program: i64,
    course: i64,
    /// (question id, right option id, wrong option id) of the single-choice question.
    single: (i64, i64, i64),
    /// (question id, right option ids, wrong option id) of the multiple-choice question.
    multi: (i64, [i64; 2], i64),
}

async fn ok(reply: Reply) -> String {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

impl Training {
    /// The affiliate program gets a published two-question course (pass mark 100%, 3 attempts,
    /// an hour between them) and a certification of it, built through the console's calls.
    async fn new() -> Self {
        let app = TestApp::seeded().await;
        let program = app
            .number("SELECT id AS n FROM programs WHERE slug = 'acme-affiliates'")
            .await;
        let p = program.to_string();
        let mut admin = app.logged_in("admin@acme.test").await;
        let course: i64 = ok(admin
            .submit(
                CreateCourse::PATH,
                &[
                    ("program_id", &p),
                    ("title", "Promoting Acme Cloud"),
                    ("visibility", "all"),
                    ("pass_mark", "100"),
                    ("max_attempts", "3"),
                    ("wait_minutes", "60"),
                ],
            )
            .await)
        .await
        .parse()
        .unwrap();
        let c = course.to_string();
        ok(admin
            .submit(
                AddLesson::PATH,
                &[
                    ("program_id", &p),
                    ("course_id", &c),
                    ("title", "Disclosure"),
                    ("body", HOSTILE),
                ],
            )
            .await)
        .await;
        for (prompt, options) in [
            ("Which post is fine?", "* With #ad\nWithout a disclosure"),
            ("Pick both rules", "* Disclose\n* No brand bidding\nBuy followers"),
        ] {
            ok(admin
                .submit(
                    AddQuestion::PATH,
                    &[
                        ("program_id", &p),
                        ("course_id", &c),
                        ("prompt", prompt),
                        ("options", options),
                    ],
                )
                .await)
            .await;
        }
        ok(admin
            .submit(PublishCourse::PATH, &[("program_id", &p), ("course_id", &c)])
            .await)
        .await;
        ok(admin
            .submit(
                CreateCertification::PATH,
                &[
                    ("program_id", &p),
                    ("name", "Certified Promoter"),
                    ("valid_months", "12"),
                    ("course_ids[]", &c),
                ],
            )
            .await)
        .await;
        let option = |question: &str, correct: bool, nth: i64| {
            format!(
                "SELECT o.id AS n FROM quiz_options o JOIN quiz_questions q ON q.id = o.question_id \
                 WHERE q.course_id = {course} AND q.prompt = '{question}' AND o.correct = {correct} ORDER BY o.id OFFSET {nth}"
            )
        };
        let question = |prompt: &str| {
            format!("SELECT id AS n FROM quiz_questions WHERE course_id = {course} AND prompt = '{prompt}'")
        };
        let single = (
            app.number(&question("Which post is fine?")).await,
            app.number(&option("Which post is fine?", true, 0)).await,
            app.number(&option("Which post is fine?", false, 0)).await,
        );
        let multi = (
            app.number(&question("Pick both rules")).await,
            [
                app.number(&option("Pick both rules", true, 0)).await,
                app.number(&option("Pick both rules", true, 1)).await,
            ],
            app.number(&option("Pick both rules", false, 0)).await,
        );
        Self {
            app,
            program,
            course,
            single,
            multi,
        }
    }

    /// The quiz form's fields: `single[q]=o` and `multi[]=q:o`.
    fn answers(&self, single: i64, multi: &[i64]) -> Vec<(String, String)> {
        let mut fields = vec![
            ("course_id".to_owned(), self.course.to_string()),
            (format!("single[{}]", self.single.0), single.to_string()),
        ];
        fields.extend(
            multi
                .iter()
                .map(|o| ("multi[]".to_owned(), format!("{}:{o}", self.multi.0))),
        );
        fields
    }

    fn right(&self) -> Vec<(String, String)> {
        self.answers(self.single.1, &self.multi.1)
    }

    async fn attempts(&self) -> i64 {
        self.app.count("course_attempts").await
    }

    async fn shift_clock(&self, seconds: i64) {
        // Attempts are dated by the server's clock; moving them back stands in for waiting.
        self.app
            .execute(&format!(
                "UPDATE course_attempts SET submitted_at = submitted_at - interval '{seconds} seconds'"
            ))
            .await;
    }
}

/// A refused call: its server function, its fields, and what the error must say.
type Refusal<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test]
async fn a_person_fails_waits_passes_and_is_certified_and_anyone_can_verify_it() {
    let t = Training::new().await;
    let mut ana = t.app.logged_in("ana@brightreviews.test").await;
    let list = ok(ana.get("/portal/training").await).await;
    assert!(list.contains("Promoting Acme Cloud") && list.contains("Not started"));

    let page = ok(ana.get(&format!("/portal/training/{}", t.course)).await).await;
    assert!(page.contains("Welcome!"));
    let lower = page.to_lowercase();
    for harmful in ["<script>alert", "javascript:alert", "onerror"] {
        assert!(!lower.contains(harmful), "{harmful} reached the page");
    }
    assert!(
        t.app
            .text("SELECT body_markdown AS v FROM lessons")
            .await
            .contains("<script>"),
        "the lesson is stored as written"
    );
    assert!(!page.contains("correct"), "the right answers never reach the browser");

    let wrong = t.answers(t.single.2, &[t.multi.1[0]]);
    let failed = ok(ana.submit(SubmitQuiz::PATH, &pairs(&wrong)).await).await;
    assert!(
        failed.contains("\"passed\":false") && failed.contains("\"score\":0"),
        "{failed}"
    );

    let too_soon = ana.submit(SubmitQuiz::PATH, &pairs(&t.right())).await;
    assert_eq!(too_soon.status, StatusCode::CONFLICT, "{}", too_soon.body);
    assert!(too_soon.body.contains("try again from"));
    assert_eq!(t.attempts().await, 1);

    t.shift_clock(3600).await;
    let passed = ok(ana.submit(SubmitQuiz::PATH, &pairs(&t.right())).await).await;
    assert!(
        passed.contains("\"passed\":true") && passed.contains("Certified Promoter"),
        "{passed}"
    );
    assert_eq!(t.app.count("certificates").await, 1);
    // The same page sent again (a double click) finds its attempt taken and changes nothing.
    let mut again = t.right();
    again.push(("attempt".into(), "2".into()));
    let double = ana.submit(SubmitQuiz::PATH, &pairs(&again)).await;
    assert_eq!(double.status, StatusCode::CONFLICT, "{}", double.body);
    assert!(double.body.contains("already submitted"));
    assert_eq!(t.attempts().await, 2);
    assert_eq!(
        t.app
            .number("SELECT people::int8 AS n FROM partner_certified_people")
            .await,
        1,
        "the stored count"
    );

    let code = t.app.text("SELECT code AS v FROM certificates").await;
    let mut stranger = t.app.browser();
    let verified = ok(stranger.get(&format!("/verify/{code}")).await).await;
    assert!(verified.contains("Valid certificate") && verified.contains("Certified Promoter"));
    assert!(verified.contains("Bright Reviews"), "the partner company");
    assert!(!verified.contains("ana@brightreviews.test"), "nothing else: no email");
    assert!(ok(ana.get("/portal/training").await)
        .await
        .contains(&format!("/verify/{code}")));
    for unknown in ["/verify/AAAAAAAAAAAA", "/verify/not-a-code"] {
        assert_eq!(stranger.get(unknown).await.status, StatusCode::NOT_FOUND, "{unknown}");
    }
}

#[tokio::test]
async fn bad_answers_and_spent_attempts_are_refused_and_change_nothing() {
    let t = Training::new().await;
    let mut ana = t.app.logged_in("ana@brightreviews.test").await;
    let foreign = t.answers(t.multi.2, &[t.multi.1[0]]);
    let unanswered = vec![("course_id".to_owned(), t.course.to_string())];
    let mut malformed = t.right();
    malformed.push(("multi[]".into(), "not-a-pick".into()));
    for (what, fields, message) in [
        ("an option of another question", foreign, "isn't one of its own"),
        ("nothing answered", unanswered, "Answer question 1"),
        ("a malformed pick", malformed, "not understood"),
    ] {
        let refused = ana.submit(SubmitQuiz::PATH, &pairs(&fields)).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{what}: {}", refused.body);
        assert!(refused.body.contains(message), "{what}: {}", refused.body);
        assert_eq!(t.attempts().await, 0, "{what} changed nothing");
    }
    let wrong = t.answers(t.single.2, &[t.multi.2]);
    for _ in 0..3 {
        ok(ana.submit(SubmitQuiz::PATH, &pairs(&wrong)).await).await;
        t.shift_clock(3600).await;
    }
    let spent = ana.submit(SubmitQuiz::PATH, &pairs(&t.right())).await;
    assert_eq!(spent.status, StatusCode::CONFLICT);
    assert!(spent.body.contains("every attempt"));
    assert_eq!(t.attempts().await, 3);
    assert_eq!(t.app.count("certificates").await, 0);
}

#[tokio::test]
async fn courses_that_are_not_the_callers_are_not_found() {
    let t = Training::new().await;
    let mut admin = t.app.logged_in("admin@acme.test").await;
    let resellers = t
        .app
        .number("SELECT id AS n FROM programs WHERE slug = 'acme-resellers'")
        .await;
    let r = resellers.to_string();
    let other_program: i64 = ok(admin
        .submit(
            CreateCourse::PATH,
            &[
                ("program_id", &r),
                ("title", "Resellers only"),
                ("visibility", "all"),
                ("pass_mark", "80"),
                ("max_attempts", "3"),
                ("wait_minutes", "0"),
            ],
        )
        .await)
    .await
    .parse()
    .unwrap();
    let p = t.program.to_string();
    let gold: i64 = ok(admin
        .submit(
            CreateCourse::PATH,
            &[
                ("program_id", &p),
                ("title", "Gold only"),
                ("visibility", "tiers"),
                ("audience", "Gold"),
                ("pass_mark", "80"),
                ("max_attempts", "3"),
                ("wait_minutes", "0"),
            ],
        )
        .await)
    .await
    .parse()
    .unwrap();
    for course in [other_program, gold] {
        let c = course.to_string();
        ok(admin
            .submit(
                AddLesson::PATH,
                &[
                    ("program_id", if course == gold { &p } else { &r }),
                    ("course_id", &c),
                    ("title", "L"),
                    ("body", "Text"),
                ],
            )
            .await)
        .await;
        ok(admin
            .submit(
                PublishCourse::PATH,
                &[("program_id", if course == gold { &p } else { &r }), ("course_id", &c)],
            )
            .await)
        .await;
    }
    let draft: i64 = ok(admin
        .submit(
            CreateCourse::PATH,
            &[
                ("program_id", &p),
                ("title", "Draft"),
                ("visibility", "all"),
                ("pass_mark", "80"),
                ("max_attempts", "3"),
                ("wait_minutes", "0"),
            ],
        )
        .await)
    .await
    .parse()
    .unwrap();

    let mut ana = t.app.logged_in("ana@brightreviews.test").await;
    let list = ok(ana.get("/portal/training").await).await;
    for hidden in ["Resellers only", "Gold only", "Draft"] {
        assert!(!list.contains(hidden), "{hidden} is listed");
    }
    for course in [other_program, gold, draft, 999_999] {
        let page = ana.get(&format!("/portal/training/{course}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "course {course}");
        let submitted = ana
            .submit(SubmitQuiz::PATH, &[("course_id", &course.to_string())])
            .await;
        assert_eq!(submitted.status, StatusCode::NOT_FOUND, "submission to course {course}");
    }
    assert_eq!(t.attempts().await, 0);

    // The console's course page and calls are the program's: another program's id is not found.
    let crossed = admin
        .get(&format!("/console/programs/{}/training/{other_program}", t.program))
        .await;
    assert_eq!(crossed.status, StatusCode::NOT_FOUND);
    let lessons = t.app.count("lessons").await;
    let crossed_add = admin
        .submit(
            AddLesson::PATH,
            &[
                ("program_id", &p),
                ("course_id", &other_program.to_string()),
                ("title", "x"),
                ("body", "y"),
            ],
        )
        .await;
    assert_eq!(crossed_add.status, StatusCode::NOT_FOUND);
    assert_eq!(t.app.count("lessons").await, lessons);
}

#[tokio::test]
async fn operators_bad_input_is_refused_field_by_field_and_partners_cannot_author() {
    let t = Training::new().await;
    let mut admin = t.app.logged_in("admin@acme.test").await;
    let (p, c) = (t.program.to_string(), t.course.to_string());
    let footprint = || async {
        let mut counts = Vec::new();
        for table in ["courses", "lessons", "quiz_questions", "quiz_options", "certifications"] {
            counts.push(t.app.count(table).await);
        }
        counts
    };
    let before = footprint().await;
    let refusals: Vec<Refusal> = vec![
        (
            CreateCourse::PATH,
            vec![
                ("program_id", &p),
                ("title", "X"),
                ("pass_mark", "0"),
                ("max_attempts", "3"),
                ("wait_minutes", "60"),
            ],
            "pass mark must be a whole number from 1 to 100",
        ),
        (
            AddLesson::PATH,
            vec![
                ("program_id", &p),
                ("course_id", &c),
                ("title", "Video"),
                ("video_url", "https://evil.example.com/v/1"),
            ],
            "YouTube, Vimeo or Loom",
        ),
        (
            CreateCertification::PATH,
            vec![
                ("program_id", &p),
                ("name", "Cert"),
                ("valid_months", "12"),
                ("course_ids[]", "999999"),
            ],
            "Choose courses of this program",
        ),
    ];
    for (path, fields, message) in refusals {
        let refused = admin.submit(path, &fields).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{path}: {}", refused.body);
        assert!(refused.body.contains(message), "{path}: {}", refused.body);
    }
    // The quiz of a published course stays as its attempts were scored.
    let frozen = admin
        .submit(
            AddQuestion::PATH,
            &[
                ("program_id", &p),
                ("course_id", &c),
                ("prompt", "Late"),
                ("options", "*A\nB"),
            ],
        )
        .await;
    assert_eq!(frozen.status, StatusCode::CONFLICT, "{}", frozen.body);
    assert_eq!(footprint().await, before);

    let mut ana = t.app.logged_in("ana@brightreviews.test").await;
    let partner = ana
        .submit(
            CreateCourse::PATH,
            &[
                ("program_id", &p),
                ("title", "Mine"),
                ("pass_mark", "80"),
                ("max_attempts", "3"),
                ("wait_minutes", "0"),
            ],
        )
        .await;
    assert_eq!(partner.status, StatusCode::FORBIDDEN);
    let csv = ana
        .get(&format!("/console/programs/{p}/training.csv?report=courses"))
        .await;
    assert_eq!(csv.status, StatusCode::FORBIDDEN);
    assert_eq!(footprint().await, before);
}

#[tokio::test]
async fn the_reports_export_to_csv() {
    let t = Training::new().await;
    let mut ana = t.app.logged_in("ana@brightreviews.test").await;
    ok(ana.submit(SubmitQuiz::PATH, &pairs(&t.right())).await).await;
    let mut admin = t.app.logged_in("admin@acme.test").await;
    let page = ok(admin.get(&format!("/console/programs/{}/training", t.program)).await).await;
    assert!(
        page.contains("Promoting Acme Cloud") && page.contains("100%"),
        "completion and pass rate"
    );
    let base = format!("/console/programs/{}/training.csv?report=", t.program);
    let courses = ok(admin.get(&format!("{base}courses")).await).await;
    assert!(
        courses.starts_with("course,published,lessons,questions,started,completed,completion_rate,attempts,pass_rate")
    );
    assert!(
        courses.contains("Promoting Acme Cloud,true,1,2,1,1,100%,1,100%"),
        "{courses}"
    );
    let certified = ok(admin.get(&format!("{base}certified")).await).await;
    assert!(certified.contains("Bright Reviews,Certified Promoter,1"), "{certified}");
    let expiring = ok(admin.get(&format!("{base}expiring")).await).await;
    assert_eq!(
        expiring.lines().count(),
        1,
        "a fresh certificate doesn't expire soon: {expiring}"
    );
    assert_eq!(admin.get(&format!("{base}secrets")).await.status, StatusCode::NOT_FOUND);
}
