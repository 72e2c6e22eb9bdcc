//! Partner agreements against a real PostgreSQL: the gate opens on acceptance and closes again
//! when a new version is published; an older version, another partner's program or a repeat
//! changes nothing; versions are numbered without gaps; publishing checks what changed; and the
//! operator's list says who accepted which version.

use super::agreements::{accept, publish, text_hash};
use crate::api::error::AppError;
use crate::backend::flows::RequestMeta;
use crate::backend::mdf::tests::{fixture, number};
use crate::backend::repos::agreements as repo;
use crate::backend::repos::audit::Actor;
use crate::backend::repos::users;
use crate::backend::testing::TestDb;
use crate::domain::access::PartnerRole;
use crate::domain::agreements::AgreementInput;
use diesel_async::AsyncPgConnection;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const T0: OffsetDateTime = datetime!(2026-05-01 09:00 UTC);

fn meta() -> RequestMeta {
    RequestMeta {
        request_id: None,
        ip: "203.0.113.9".into(),
    }
}

fn input(body: &str, changes: &str) -> AgreementInput {
    AgreementInput {
        title: "Partner agreement".into(),
        body: body.into(),
        changes: changes.into(),
    }
}

/// A partner person: who accepts.
struct Person {
    partner: i64,
    user: i64,
    actor: Actor,
}

async fn person(conn: &mut AsyncPgConnection, partner: i64, email: &str, name: &str) -> Person {
    let user = users::insert_partner_user(conn, partner, email, name, PartnerRole::Owner)
        .await
        .unwrap();
    Person {
        partner,
        user: user.id,
        actor: Actor::user(user.id, email),
    }
}

async fn accept_as(
    conn: &mut AsyncPgConnection,
    who: &Person,
    agreement_id: i64,
    at: OffsetDateTime,
) -> Result<(), AppError> {
    accept(conn, &who.actor, (who.partner, who.user), agreement_id, &meta(), at).await
}

async fn footprint(conn: &mut AsyncPgConnection) -> [i64; 3] {
    [
        number(conn, "SELECT count(*) AS n FROM agreement_versions").await,
        number(conn, "SELECT count(*) AS n FROM agreement_acceptances").await,
        number(conn, "SELECT count(*) AS n FROM audit_events").await,
    ]
}

#[tokio::test]
async fn a_new_version_asks_everyone_again_and_only_the_version_in_force_is_accepted() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let admin = f.admin.actor();
    let ana = person(&mut conn, f.partner, "ana@north.test", "Ana").await;

    // No agreement yet: nothing to accept.
    assert!(!repo::any_due(&mut conn, f.partner, ana.user).await.unwrap());

    let v1 = publish(
        &mut conn,
        &admin,
        f.program,
        &input("# Terms\n\nBe fair.", ""),
        &meta(),
        T0,
    )
    .await
    .unwrap();
    assert_eq!(v1.version, 1);
    assert_eq!(v1.text_sha256, text_hash("# Terms\n\nBe fair."));
    assert!(repo::any_due(&mut conn, f.partner, ana.user).await.unwrap());

    accept_as(&mut conn, &ana, v1.id, T0 + Duration::hours(1))
        .await
        .unwrap();
    assert!(!repo::any_due(&mut conn, f.partner, ana.user).await.unwrap());
    // Accepting again changes nothing (no second row, no second audit event).
    let before = footprint(&mut conn).await;
    accept_as(&mut conn, &ana, v1.id, T0 + Duration::hours(2))
        .await
        .unwrap();
    assert_eq!(footprint(&mut conn).await, before);

    // Version 2: the gate closes again and the page says what changed since version 1.
    let v2 = publish(
        &mut conn,
        &admin,
        f.program,
        &input("# Terms\n\nBe fair and quick.", "Section 1 asks for speed."),
        &meta(),
        T0 + Duration::days(3),
    )
    .await
    .unwrap();
    assert_eq!(v2.version, 2);
    assert!(repo::any_due(&mut conn, f.partner, ana.user).await.unwrap());
    let shown = repo::in_force_for_person(&mut conn, f.partner, ana.user).await.unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(
        (shown[0].agreement.version, shown[0].last_accepted_version),
        (2, Some(1))
    );
    assert!(shown[0].accepted_at.is_none());

    // The old version is refused and nothing is written.
    let before = footprint(&mut conn).await;
    let stale = accept_as(&mut conn, &ana, v1.id, T0 + Duration::days(4)).await;
    assert!(
        matches!(&stale, Err(AppError::Conflict(m)) if m.contains("Version 1") && m.contains("version 2")),
        "{stale:?}"
    );
    assert_eq!(footprint(&mut conn).await, before);

    accept_as(&mut conn, &ana, v2.id, T0 + Duration::days(4)).await.unwrap();
    assert!(!repo::any_due(&mut conn, f.partner, ana.user).await.unwrap());
    let row = number(
        &mut conn,
        &format!(
            "SELECT count(*) AS n FROM agreement_acceptances WHERE agreement_id = {} AND user_id = {} AND ip = '203.0.113.9' AND text_sha256 = '{}'",
            v2.id,
            ana.user,
            text_hash("# Terms\n\nBe fair and quick.")
        ),
    )
    .await;
    assert_eq!(row, 1, "the acceptance records the person, the IP and the text's hash");

    // Acceptances are evidence: PostgreSQL refuses to change or delete them.
    let rewrite = diesel_async::RunQueryDsl::execute(
        diesel::sql_query("UPDATE agreement_acceptances SET ip = '0.0.0.0'"),
        &mut conn,
    )
    .await;
    assert!(rewrite.is_err());
}

#[tokio::test]
async fn another_partners_program_or_an_unknown_id_is_not_found_and_changes_nothing() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let v1 = publish(
        &mut conn,
        &f.admin.actor(),
        f.program,
        &input("Be fair.", ""),
        &meta(),
        T0,
    )
    .await
    .unwrap();
    // A partner that isn't in the program.
    let outsider = number(
        &mut conn,
        "INSERT INTO partners (name, email, kind, country) VALUES ('out', 'out@x.test', 'reseller', 'US') RETURNING id AS n",
    )
    .await;
    let bo = person(&mut conn, outsider, "bo@out.test", "Bo").await;
    assert!(!repo::any_due(&mut conn, outsider, bo.user).await.unwrap());
    let before = footprint(&mut conn).await;
    for id in [v1.id, v1.id + 1000] {
        let refused = accept_as(&mut conn, &bo, id, T0).await;
        assert!(matches!(refused, Err(AppError::NotFound(_))), "{refused:?}");
    }
    assert_eq!(footprint(&mut conn).await, before);
}

#[tokio::test]
async fn publishing_checks_what_changed_and_numbers_versions_without_gaps() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let admin = f.admin.actor();
    publish(&mut conn, &admin, f.program, &input("Be fair.", ""), &meta(), T0)
        .await
        .unwrap();
    let before = footprint(&mut conn).await;
    for (body, changes, field) in [
        ("Be quick.", "", "changes"),
        ("Be fair.", "Nothing", "body"),
        ("", "x", "body"),
    ] {
        let refused = publish(&mut conn, &admin, f.program, &input(body, changes), &meta(), T0).await;
        match refused {
            Err(AppError::Invalid(errors)) => assert!(errors.get(field).is_some(), "{field}: {errors:?}"),
            other => panic!("expected a field error on {field}, got {other:?}"),
        }
    }
    assert_eq!(footprint(&mut conn).await, before);

    // Publishes at once are numbered one after the other.
    let pool = db.pool();
    let mut tasks = Vec::new();
    for i in 0..6 {
        let pool = pool.clone();
        let admin = admin.clone();
        let program = f.program;
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.unwrap();
            let text = format!("Be fair, rule {i}.");
            publish(&mut conn, &admin, program, &input(&text, "A new rule."), &meta(), T0)
                .await
                .unwrap()
                .version
        }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.unwrap());
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (2..=7).collect::<Vec<_>>());
}

#[tokio::test]
async fn operators_see_who_accepted_which_version() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let admin = f.admin.actor();
    let ana = person(&mut conn, f.partner, "ana@north.test", "Ana").await;
    let sam = person(&mut conn, f.other, "sam@south.test", "Sam").await;
    let v1 = publish(&mut conn, &admin, f.program, &input("Be fair.", ""), &meta(), T0)
        .await
        .unwrap();
    accept_as(&mut conn, &ana, v1.id, T0).await.unwrap();
    accept_as(&mut conn, &sam, v1.id, T0).await.unwrap();
    let v2 = publish(&mut conn, &admin, f.program, &input("Be quick.", "Speed."), &meta(), T0)
        .await
        .unwrap();
    accept_as(&mut conn, &sam, v2.id, T0).await.unwrap();

    person(&mut conn, f.partner, "lee@north.test", "Lee").await;

    // Those behind the version in force come first (never accepted, then oldest), a page at a time.
    let mut seen = Vec::new();
    for offset in 0..3 {
        let page = repo::people_of_program(&mut conn, f.program, Some(2), (offset, 1))
            .await
            .unwrap();
        assert_eq!(page.len(), 1);
        assert_eq!((page[0].total, page[0].waiting), (3, 2), "the totals cover every page");
        seen.push((page[0].person.clone(), page[0].version));
    }
    assert_eq!(
        seen,
        [
            ("Lee".to_owned(), None),
            ("Ana".to_owned(), Some(1)),
            ("Sam".to_owned(), Some(2))
        ]
    );
    assert!(repo::people_of_program(&mut conn, f.program, Some(2), (3, 1))
        .await
        .unwrap()
        .is_empty());
    let history = repo::history(&mut conn, f.program).await.unwrap();
    let counts: Vec<(i32, i64)> = history.iter().map(|(row, n)| (row.version, *n)).collect();
    assert_eq!(counts, [(2, 1), (1, 2)]);
}
