//! Application questions against a real PostgreSQL: positions stay 1, 2, … through adds, moves
//! and removals; bad questions, a 21st question and another program's question change nothing;
//! answers are kept with the application in the form's order, keep the wording the applicant
//! saw, survive the question's removal, and can't be rewritten.

use super::join::{submit, tests::application, tests::two_programs};
use super::questions::{remove, reorder, save, Direction};
use super::RequestMeta;
use crate::api::error::AppError;
use crate::backend::db::DbConn;
use crate::backend::repos::application_questions::{self as repo, QuestionRow};
use crate::backend::repos::audit::Actor;
use crate::backend::repos::programs;
use crate::backend::schema::{application_answers, application_questions, audit_events, program_memberships};
use crate::backend::testing::TestDb;
use crate::domain::join::ApplicationInput;
use crate::domain::questions::{QuestionInput, QUESTIONS_MAX, REQUIRED_ANSWER};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::HashMap;
use time::OffsetDateTime;

fn question(label: &str, kind: &str, options: &str, required: bool) -> QuestionInput {
    QuestionInput {
        label: label.into(),
        kind: kind.into(),
        options: options.into(),
        help: String::new(),
        required,
    }
}

async fn program_id(conn: &mut AsyncPgConnection, slug: &str) -> i64 {
    programs::find_by_slug(conn, slug).await.unwrap().unwrap().0.id
}

async fn labels(conn: &mut AsyncPgConnection, program: i64) -> Vec<(i32, String)> {
    repo::in_use(conn, program)
        .await
        .unwrap()
        .into_iter()
        .map(|q| (q.position, q.label))
        .collect()
}

/// Memberships and answers: what an application writes.
async fn answer_footprint(conn: &mut AsyncPgConnection) -> (i64, i64) {
    (
        program_memberships::table.count().get_result(conn).await.unwrap(),
        application_answers::table.count().get_result(conn).await.unwrap(),
    )
}

async fn counts(conn: &mut AsyncPgConnection) -> (i64, i64) {
    (
        application_questions::table.count().get_result(conn).await.unwrap(),
        audit_events::table.count().get_result(conn).await.unwrap(),
    )
}

/// Adds question (label, kind, choices, required) to the program, as an operator would.
async fn add(conn: &mut AsyncPgConnection, program: i64, q: (&str, &str, &str, bool)) -> Result<QuestionRow, AppError> {
    let input = &question(q.0, q.1, q.2, q.3);
    let actor = Actor::system("test");
    save(
        conn,
        &actor,
        (program, None),
        input,
        &RequestMeta::default(),
        OffsetDateTime::now_utc(),
    )
    .await
}

/// A database with the two Acme programs, and who changes the affiliate program's questions.
struct Setup {
    _db: TestDb,
    conn: DbConn,
    program: i64,
    actor: Actor,
    meta: RequestMeta,
    now: OffsetDateTime,
}

async fn setup() -> Setup {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    two_programs(&mut conn).await;
    let program = program_id(&mut conn, "acme-affiliates").await;
    Setup {
        _db: db,
        conn,
        program,
        actor: Actor::system("test"),
        meta: RequestMeta::default(),
        now: OffsetDateTime::now_utc(),
    }
}

#[tokio::test]
async fn questions_keep_their_order_through_adds_moves_and_removals() {
    let Setup {
        _db,
        mut conn,
        program,
        actor,
        meta,
        now,
    } = setup().await;
    let traffic = add(
        &mut conn,
        program,
        ("Monthly visitors", "single_choice", "Under 10k\nOver 10k", true),
    )
    .await
    .unwrap();
    let site = add(&mut conn, program, ("Your main site", "url", "", false))
        .await
        .unwrap();
    let rules = add(&mut conn, program, ("I don't bid on the brand", "checkbox", "", true))
        .await
        .unwrap();
    reorder(&mut conn, &actor, (program, rules.id), Direction::Up, &meta)
        .await
        .unwrap();
    reorder(&mut conn, &actor, (program, traffic.id), Direction::Up, &meta)
        .await
        .unwrap();
    assert_eq!(
        labels(&mut conn, program).await,
        vec![
            (1, "Monthly visitors".to_owned()),
            (2, "I don't bid on the brand".to_owned()),
            (3, "Your main site".to_owned())
        ],
        "moving the first question up leaves it first"
    );
    remove(&mut conn, &actor, (program, rules.id), &meta, now)
        .await
        .unwrap();
    assert_eq!(
        labels(&mut conn, program).await,
        vec![(1, "Monthly visitors".to_owned()), (2, "Your main site".to_owned())]
    );
    let edited = save(
        &mut conn,
        &actor,
        (program, Some(site.id)),
        &question("Your website", "url", "", true),
        &meta,
        now,
    )
    .await
    .unwrap();
    assert_eq!(
        (edited.label.as_str(), edited.required, edited.position),
        ("Your website", true, 2)
    );
    let audited: Vec<String> = audit_events::table
        .filter(audit_events::subject_type.eq("application_question"))
        .select(audit_events::action)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        audited.len(),
        6,
        "three adds, one move (the move at the top changed nothing and isn't recorded), a removal and an edit: {audited:?}"
    );
}

#[tokio::test]
async fn bad_questions_and_other_programs_questions_change_nothing() {
    let Setup {
        _db,
        mut conn,
        program,
        actor,
        meta,
        now,
    } = setup().await;
    let other = program_id(&mut conn, "acme-resellers").await;
    let theirs = add(
        &mut conn,
        other,
        ("Markets you cover", "multiple_choice", "EU\nUS", true),
    )
    .await
    .unwrap();
    let before = counts(&mut conn).await;

    let invalid = add(&mut conn, program, ("Pick one", "single_choice", "Only", true)).await;
    assert!(
        matches!(&invalid, Err(AppError::Invalid(e)) if e.get("options").is_some()),
        "{invalid:?}"
    );
    for probe in [
        save(
            &mut conn,
            &actor,
            (program, Some(theirs.id)),
            &question("Mine now", "short_text", "", false),
            &meta,
            now,
        )
        .await
        .map(drop),
        remove(&mut conn, &actor, (program, theirs.id), &meta, now)
            .await
            .map(drop),
        reorder(&mut conn, &actor, (program, theirs.id), Direction::Down, &meta).await,
    ] {
        assert!(matches!(probe, Err(AppError::NotFound(_))), "{probe:?}");
    }
    assert_eq!(counts(&mut conn).await, before, "nothing written");
    assert_eq!(
        labels(&mut conn, other).await,
        vec![(1, "Markets you cover".to_owned())]
    );

    for i in 0..QUESTIONS_MAX {
        add(&mut conn, program, (&format!("Question {i}"), "short_text", "", false))
            .await
            .unwrap();
    }
    let before = counts(&mut conn).await;
    let one_too_many = add(&mut conn, program, ("One more", "short_text", "", false)).await;
    assert!(
        matches!(&one_too_many, Err(AppError::Invalid(e)) if e.get("label").is_some()),
        "{one_too_many:?}"
    );
    assert_eq!(counts(&mut conn).await, before, "the 21st question is not written");
}

#[tokio::test]
async fn answers_stay_with_the_application_as_asked() {
    let Setup {
        _db,
        mut conn,
        program,
        actor,
        meta,
        now,
    } = setup().await;
    let markets = add(&mut conn, program, ("Markets", "multiple_choice", "EU\nUS\nAPAC", true))
        .await
        .unwrap();
    let pitch = add(&mut conn, program, ("Your pitch", "long_text", "", false))
        .await
        .unwrap();
    // A required question left empty is refused with the standard fields' errors, and nothing
    // is written.
    let before = answer_footprint(&mut conn).await;
    let blank = ApplicationInput {
        name: String::new(),
        ..application("ada@example.com")
    };
    let missing = submit(
        &mut conn,
        "acme-affiliates",
        &blank,
        &HashMap::new(),
        None,
        None,
        &meta,
        now,
    )
    .await;
    let Err(AppError::Invalid(errors)) = missing else {
        panic!("{missing:?}")
    };
    assert!(errors.get("name").is_some());
    assert_eq!(errors.get(&format!("q{}", markets.id)), Some(REQUIRED_ANSWER));
    assert_eq!(answer_footprint(&mut conn).await, before, "nothing written");

    let posted: HashMap<String, String> = [
        (format!("q{}_o2", markets.id), "APAC".to_owned()),
        (format!("q{}_o0", markets.id), "EU".to_owned()),
        (format!("q{}", pitch.id), "Honest reviews".to_owned()),
    ]
    .into_iter()
    .collect();
    let input = application("ada@example.com");
    let submitted = submit(&mut conn, "acme-affiliates", &input, &posted, None, None, &meta, now)
        .await
        .unwrap();

    // The wording changes and a question goes: the answers read as they were given.
    save(
        &mut conn,
        &actor,
        (program, Some(markets.id)),
        &question("Regions", "multiple_choice", "EU\nUS\nAPAC", true),
        &meta,
        now,
    )
    .await
    .unwrap();
    remove(&mut conn, &actor, (program, pitch.id), &meta, now)
        .await
        .unwrap();
    assert_eq!(
        repo::answers_of(&mut conn, submitted.membership_id).await.unwrap(),
        vec![
            ("Markets".to_owned(), vec!["EU".to_owned(), "APAC".to_owned()]),
            ("Your pitch".to_owned(), vec!["Honest reviews".to_owned()]),
        ]
    );
    let rewrite = diesel::update(application_answers::table)
        .set(application_answers::label.eq("Tampered"))
        .execute(&mut conn)
        .await;
    assert!(rewrite.is_err(), "answers are evidence and can't be rewritten");
}
