//! Training against a real PostgreSQL: who sees a course, quiz attempts with their wait and
//! their race, certification on the last pass with its stored count and email, the public
//! verification lookup, and the expiry reminders.

use super::{certifications, course_attempts, courses, testing_ledger, users};
use crate::api::error::AppError;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::Actor;
use crate::backend::schema::{course_attempts as attempts_table, email_outbox as outbox, program_memberships};
use crate::backend::testing::TestDb;
use crate::backend::training::quiz::{self, Person};
use crate::backend::training::{authoring, reminders};
use crate::domain::access::PartnerRole;
use crate::domain::training::form::{CertificationInput, CourseInput, LessonInput, QuestionInput};
use crate::domain::training::quiz::Answers;
use crate::domain::training::video::VideoHost;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::{Duration, OffsetDateTime};

struct Setup {
    program: i64,
    partners: [i64; 2],
    course: i64,
    /// (question id, right option id, wrong option id)
    question: (i64, i64, i64),
    person: (i64, String, String),
}

impl Setup {
    fn person(&self) -> Person<'_> {
        Person {
            user_id: self.person.0,
            partner_id: self.partners[0],
            name: &self.person.1,
            email: &self.person.2,
        }
    }

    fn answer(&self, right: bool) -> Answers {
        let (q, good, bad) = self.question;
        [(q, [if right { good } else { bad }].into_iter().collect())]
            .into_iter()
            .collect()
    }
}

async fn admin(conn: &mut AsyncPgConnection) -> Actor {
    let user = users::find_by_email(conn, "admin@example.com").await.unwrap().unwrap();
    Actor::user(user.id, &user.email)
}

fn course_input(title: &str, visibility: &str, audience: &str) -> CourseInput {
    CourseInput {
        title: title.into(),
        visibility: visibility.into(),
        audience: audience.into(),
        pass_mark: "100".into(),
        max_attempts: "3".into(),
        wait_minutes: "60".into(),
        ..Default::default()
    }
}

/// A program with two active partners, a published one-question course, a certification of it,
/// and a person at the first partner.
async fn setup(conn: &mut AsyncPgConnection) -> Setup {
    let (program, partners) = testing_ledger::program_with_partners(conn).await;
    let admin = admin(conn).await;
    let meta = RequestMeta::default();
    let now = OffsetDateTime::now_utc();
    let course = authoring::create_course(conn, &admin, program, &course_input("Selling", "all", ""), &meta, now)
        .await
        .unwrap();
    let lesson = LessonInput {
        title: "Why partners win".into(),
        body: "Read **this**.".into(),
        video_url: String::new(),
    };
    authoring::add_lesson(conn, &admin, program, course, &lesson, &VideoHost::ALL, &meta)
        .await
        .unwrap();
    let question = QuestionInput {
        prompt: "Which plan pays every month?".into(),
        options: "Flat\n* Recurring".into(),
    };
    authoring::add_question(conn, &admin, program, course, &question, &meta)
        .await
        .unwrap();
    authoring::publish_course(conn, &admin, program, course, &meta, now)
        .await
        .unwrap();
    let certification = CertificationInput {
        name: "Certified seller".into(),
        valid_months: "12".into(),
        course_ids: vec![course],
        ..Default::default()
    };
    authoring::create_certification(conn, &admin, program, &certification, &meta, now)
        .await
        .unwrap();
    let q = &courses::questions(conn, course).await.unwrap()[0];
    let good = q.options.iter().find(|o| o.correct).unwrap().id;
    let bad = q.options.iter().find(|o| !o.correct).unwrap().id;
    let user = users::insert_partner_user(conn, partners[0], "sam@ada.example", "Sam Seller", PartnerRole::Member)
        .await
        .unwrap();
    Setup {
        program,
        partners,
        course,
        question: (q.question.id, good, bad),
        person: (user.id, user.display_name, user.email),
    }
}

async fn attempt_count(conn: &mut AsyncPgConnection) -> i64 {
    attempts_table::table.count().get_result(conn).await.unwrap()
}

#[tokio::test]
async fn partners_see_published_courses_their_kind_and_tier_admit() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let s = setup(conn).await;
    let admin = admin(conn).await;
    let meta = RequestMeta::default();
    let now = OffsetDateTime::now_utc();
    let draft = authoring::create_course(conn, &admin, s.program, &course_input("Draft", "all", ""), &meta, now)
        .await
        .unwrap();
    let gold = authoring::create_course(
        conn,
        &admin,
        s.program,
        &course_input("Gold only", "tiers", "Gold"),
        &meta,
        now,
    )
    .await
    .unwrap();
    authoring::add_lesson(
        conn,
        &admin,
        s.program,
        gold,
        &LessonInput {
            title: "L".into(),
            body: "x".into(),
            ..Default::default()
        },
        &VideoHost::ALL,
        &meta,
    )
    .await
    .unwrap();
    authoring::publish_course(conn, &admin, s.program, gold, &meta, now)
        .await
        .unwrap();
    diesel::update(program_memberships::table.filter(program_memberships::partner_id.eq(s.partners[1])))
        .set(program_memberships::tier.eq("gold"))
        .execute(conn)
        .await
        .unwrap();
    let seen = |list: Vec<courses::PartnerCourse>| list.into_iter().map(|c| c.course.id).collect::<Vec<_>>();
    assert_eq!(
        seen(courses::visible_to_partner(conn, s.partners[0]).await.unwrap()),
        vec![s.course]
    );
    assert_eq!(
        seen(courses::visible_to_partner(conn, s.partners[1]).await.unwrap()),
        vec![s.course, gold]
    );
    assert!(courses::find_for_partner(conn, s.partners[0], draft)
        .await
        .unwrap()
        .is_none());
    assert!(courses::find_for_partner(conn, s.partners[0], gold)
        .await
        .unwrap()
        .is_none());
    let (_, outsider) = testing_ledger::other_brand(conn).await;
    assert!(courses::visible_to_partner(conn, outsider).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_failed_attempt_waits_then_a_pass_certifies_counts_and_emails() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let s = setup(conn).await;
    // Whole seconds: PostgreSQL keeps microseconds.
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let failed = quiz::submit(
        conn,
        &s.person(),
        s.course,
        None,
        &s.answer(false),
        "https://p.example",
        now,
    )
    .await
    .unwrap();
    assert_eq!(
        (failed.attempt_no, failed.score.percent, failed.score.passed),
        (1, 0, false)
    );

    let too_soon = quiz::submit(
        conn,
        &s.person(),
        s.course,
        None,
        &s.answer(true),
        "https://p.example",
        now + Duration::minutes(59),
    )
    .await;
    assert!(matches!(too_soon, Err(AppError::Conflict(m)) if m.contains("try again from")));
    assert_eq!(attempt_count(conn).await, 1, "a refused attempt stores nothing");

    let later = now + Duration::minutes(60);
    let passed = quiz::submit(
        conn,
        &s.person(),
        s.course,
        None,
        &s.answer(true),
        "https://p.example",
        later,
    )
    .await
    .unwrap();
    assert_eq!((passed.attempt_no, passed.score.percent), (2, 100));
    assert_eq!(passed.certified, vec!["Certified seller".to_owned()]);

    let held = certifications::newest_held(conn, s.partners[0], Some(s.person.0))
        .await
        .unwrap();
    assert_eq!(held.len(), 1);
    let certificate = &held[0].certificate;
    assert_eq!(
        certificate.valid_until,
        crate::domain::training::certification::valid_until(later, 12)
    );
    let verified = certifications::by_code(conn, &certificate.code).await.unwrap().unwrap();
    assert_eq!(
        (
            verified.holder.as_str(),
            verified.certification.as_str(),
            verified.partner.as_str()
        ),
        ("Sam Seller", "Certified seller", "Ada Media")
    );
    assert_eq!(
        certifications::certified_people(conn, s.partners[0], certificate.certification_id)
            .await
            .unwrap(),
        1
    );
    let mail: Vec<(String, String)> = outbox::table
        .select((outbox::to_address, outbox::body_text))
        .load(conn)
        .await
        .unwrap();
    assert!(mail.iter().any(|(to, body)| to == "sam@ada.example"
        && body.contains(&format!("https://p.example/verify/{}", certificate.code))));

    // Passing again while well valid keeps the one certificate.
    let again = quiz::submit(
        conn,
        &s.person(),
        s.course,
        None,
        &s.answer(true),
        "https://p.example",
        later + Duration::days(1),
    )
    .await
    .unwrap();
    assert!(again.certified.is_empty());
    assert_eq!(
        course_attempts::of_person(conn, s.person.0, &[s.course])
            .await
            .unwrap()
            .len(),
        3,
        "every attempt is kept"
    );
}

#[tokio::test]
async fn bad_answers_and_spent_attempts_are_refused_and_change_nothing() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let s = setup(conn).await;
    let now = OffsetDateTime::now_utc();
    let (q, _, _) = s.question;
    let foreign: Answers = [(q, [999_999].into_iter().collect())].into_iter().collect();
    let refused = quiz::submit(conn, &s.person(), s.course, None, &foreign, "https://p.example", now).await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(f)) if f.get("answers").unwrap().contains("isn't one of its own")),
        "{refused:?}"
    );
    assert_eq!(attempt_count(conn).await, 0);

    for i in 0..3 {
        quiz::submit(
            conn,
            &s.person(),
            s.course,
            None,
            &s.answer(false),
            "https://p.example",
            now + Duration::hours(2 * i),
        )
        .await
        .unwrap();
    }
    let spent = quiz::submit(
        conn,
        &s.person(),
        s.course,
        None,
        &s.answer(true),
        "https://p.example",
        now + Duration::days(1),
    )
    .await;
    assert!(matches!(spent, Err(AppError::Conflict(m)) if m.contains("every attempt")));
    assert_eq!(attempt_count(conn).await, 3);

    let outsider = Person {
        partner_id: s.partners[1],
        ..s.person()
    };
    let (_, other_brand_partner) = testing_ledger::other_brand(conn).await;
    for partner_id in [other_brand_partner] {
        let probe = Person {
            partner_id,
            ..outsider.clone()
        };
        let missing = quiz::submit(conn, &probe, s.course, None, &s.answer(true), "https://p.example", now).await;
        assert!(matches!(missing, Err(AppError::NotFound(_))));
    }
    assert_eq!(attempt_count(conn).await, 3);
}

#[tokio::test]
async fn two_submissions_of_one_attempt_store_one() {
    let db = TestDb::new().await;
    let s = setup(&mut *db.conn().await).await;
    let now = OffsetDateTime::now_utc();
    let (mut a, mut b) = (db.conn().await, db.conn().await);
    let (person_a, person_b) = (s.person(), s.person());
    let (answers_a, answers_b) = (s.answer(true), s.answer(true));
    let (first, second) = tokio::join!(
        quiz::submit(
            &mut a,
            &person_a,
            s.course,
            Some(1),
            &answers_a,
            "https://p.example",
            now
        ),
        quiz::submit(
            &mut b,
            &person_b,
            s.course,
            Some(1),
            &answers_b,
            "https://p.example",
            now
        ),
    );
    let won = [first.is_ok(), second.is_ok()].into_iter().filter(|ok| *ok).count();
    assert_eq!(won, 1, "{first:?} {second:?}");
    let conn = &mut *db.conn().await;
    assert_eq!(attempt_count(conn).await, 1);
    let certificates: i64 = crate::backend::schema::certificates::table
        .count()
        .get_result(conn)
        .await
        .unwrap();
    assert_eq!(certificates, 1);
}

#[tokio::test]
async fn holders_are_reminded_at_thirty_and_seven_days_once_and_expiry_drops_the_count() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let s = setup(conn).await;
    let awarded = OffsetDateTime::now_utc();
    quiz::submit(
        conn,
        &s.person(),
        s.course,
        None,
        &s.answer(true),
        "https://p.example",
        awarded,
    )
    .await
    .unwrap();
    let until = certifications::newest_held(conn, s.partners[0], None).await.unwrap()[0]
        .certificate
        .valid_until;
    let certification_id = certifications::of_program(conn, s.program).await.unwrap()[0].id;

    let quiet = reminders::run(conn, "https://p.example", until - Duration::days(40))
        .await
        .unwrap();
    assert_eq!(quiet.reminders, 0);
    assert_eq!(
        reminders::run(conn, "https://p.example", until - Duration::days(20))
            .await
            .unwrap()
            .reminders,
        1
    );
    assert_eq!(
        reminders::run(conn, "https://p.example", until - Duration::days(19))
            .await
            .unwrap()
            .reminders,
        0,
        "once"
    );
    assert_eq!(
        reminders::run(conn, "https://p.example", until - Duration::days(5))
            .await
            .unwrap()
            .reminders,
        1
    );
    let reminders_queued: i64 = outbox::table
        .filter(outbox::subject.like("%expires%"))
        .count()
        .get_result(conn)
        .await
        .unwrap();
    assert_eq!(reminders_queued, 2);
    assert_eq!(
        certifications::certified_people(conn, s.partners[0], certification_id)
            .await
            .unwrap(),
        1
    );

    let after = reminders::run(conn, "https://p.example", until + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(after.reminders, 0);
    assert_eq!(
        certifications::certified_people(conn, s.partners[0], certification_id)
            .await
            .unwrap(),
        0
    );
    let code = certifications::newest_held(conn, s.partners[0], None).await.unwrap()[0]
        .certificate
        .code
        .clone();
    assert!(
        certifications::by_code(conn, &code).await.unwrap().is_some(),
        "an expired certificate still verifies, as expired"
    );
}

#[tokio::test]
async fn passes_at_the_same_moment_certify_once_and_count_everyone() {
    let db = TestDb::new().await;
    let s = setup(&mut *db.conn().await).await;
    let now = OffsetDateTime::now_utc();
    let second = {
        let conn = &mut *db.conn().await;
        users::insert_partner_user(
            conn,
            s.partners[0],
            "kim@ada.example",
            "Kim Closer",
            PartnerRole::Member,
        )
        .await
        .unwrap()
    };
    let other = Person {
        user_id: second.id,
        partner_id: s.partners[0],
        name: &second.display_name,
        email: &second.email,
    };
    let (mut a, mut b) = (db.conn().await, db.conn().await);
    let (sam, right) = (s.person(), s.answer(true));
    let (first, then) = tokio::join!(
        quiz::submit(&mut a, &sam, s.course, None, &right, "https://p.example", now),
        quiz::submit(&mut b, &other, s.course, None, &right, "https://p.example", now),
    );
    assert!(first.unwrap().score.passed && then.unwrap().score.passed);
    let conn = &mut *db.conn().await;
    let certification_id = certifications::of_program(conn, s.program).await.unwrap()[0].id;
    assert_eq!(
        certifications::certified_people(conn, s.partners[0], certification_id)
            .await
            .unwrap(),
        2,
        "neither award's count is lost"
    );

    // A person who left is neither reminded nor listed as expiring.
    let until = certifications::newest_held(conn, s.partners[0], Some(second.id))
        .await
        .unwrap()[0]
        .certificate
        .valid_until;
    diesel::update(crate::backend::schema::users::table.find(second.id))
        .set(crate::backend::schema::users::is_active.eq(false))
        .execute(conn)
        .await
        .unwrap();
    let done = reminders::run(conn, "https://p.example", until - Duration::days(20))
        .await
        .unwrap();
    assert_eq!(done.reminders, 1, "only Sam, who is still active");
}
