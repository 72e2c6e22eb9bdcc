//! The content library against a real PostgreSQL: a file streamed in chunks reads back whole,
//! versions keep their history while partners get the latest, refused uploads leave nothing
//! behind, downloads at the same moment all count, and each partner sees only what its
//! programs, kind, tier and certifications admit, searched by words.

use super::flows;
use super::upload::{Incoming, CHUNK_BYTES};
use crate::api::error::AppError;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::audit::Actor;
use crate::backend::repos::library;
use crate::backend::repos::testing_ledger::{other_brand, program_with_partners};
use crate::backend::repos::users;
use crate::backend::testing::TestDb;
use crate::domain::library::form::DocumentInput;
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use futures_util::stream;
use time::OffsetDateTime;

const LIMIT: usize = 3 * CHUNK_BYTES;

/// A file arriving in pieces of 64 KiB, as a browser's upload does.
fn arriving(file_name: &str, bytes: Vec<u8>) -> Incoming<impl futures_util::Stream<Item = Result<Vec<u8>, String>>> {
    let pieces: Vec<Result<Vec<u8>, String>> = bytes.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    Incoming {
        file_name: file_name.into(),
        bytes: stream::iter(pieces),
    }
}

fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..size.saturating_sub(9)).map(|i| (i % 251) as u8));
    bytes
}

fn input(title: &str) -> DocumentInput {
    DocumentInput {
        new_folder: "Sales decks".into(),
        title: title.into(),
        description: "How we win against the big suites.".into(),
        tags: "battle card, competitive".into(),
        visibility: "all".into(),
        ..Default::default()
    }
}

async fn admin(conn: &mut AsyncPgConnection) -> Actor {
    let user = users::find_by_email(conn, "admin@example.com").await.unwrap().unwrap();
    Actor::user(user.id, "admin@example.com")
}

async fn count(conn: &mut AsyncPgConnection, table: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
        .get_result::<N>(conn)
        .await
        .unwrap()
        .n
}

/// The stored file of a version, chunk by chunk.
async fn read_back(conn: &mut AsyncPgConnection, version_id: i64) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut seq = 0;
    while let Some(chunk) = library::chunk(conn, version_id, seq).await.unwrap() {
        assert!(chunk.len() <= CHUNK_BYTES);
        bytes.extend(chunk);
        seq += 1;
    }
    bytes
}

#[tokio::test]
async fn a_file_streams_in_chunks_and_new_versions_keep_the_history() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (program, [ada, _]) = program_with_partners(conn).await;
    let actor = admin(conn).await;
    let now = OffsetDateTime::now_utc();
    let first = pdf(CHUNK_BYTES * 2 + 5);
    let meta = RequestMeta::default();
    let id = flows::publish(
        conn,
        &actor,
        program,
        &input("Deck"),
        arriving("deck.pdf", first.clone()),
        LIMIT,
        &meta,
        now,
    )
    .await
    .unwrap();
    let v1 = library::version(conn, id, 1).await.unwrap().unwrap();
    assert_eq!(
        (v1.size_bytes, v1.content_type.as_str()),
        (first.len() as i64, "application/pdf")
    );
    assert_eq!(count(conn, "document_chunks").await, 3, "two full chunks and the rest");
    assert_eq!(read_back(conn, v1.id).await, first);

    let second = pdf(1000);
    let number = flows::add_version(
        conn,
        &actor,
        program,
        id,
        "January prices",
        arriving("deck-v2.pdf", second.clone()),
        LIMIT,
        &meta,
        now,
    )
    .await
    .unwrap();
    assert_eq!(number, 2);
    let history = library::versions_of(conn, id).await.unwrap();
    assert_eq!(
        history.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![2, 1],
        "newest first, nothing lost"
    );
    assert_eq!(history[0].note, "January prices");
    let got = flows::download(conn, ada, id, now).await.unwrap().unwrap();
    assert_eq!(
        (got.latest.version, got.latest.file_name.as_str()),
        (2, "deck-v2.pdf"),
        "partners get the latest"
    );
    assert_eq!(read_back(conn, got.latest.id).await, second);
    assert_eq!(count(conn, "audit_events WHERE action LIKE 'document.%'").await, 2);
}

#[tokio::test]
async fn refused_uploads_leave_nothing_behind() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (program, _) = program_with_partners(conn).await;
    let actor = admin(conn).await;
    let now = OffsetDateTime::now_utc();
    let meta = RequestMeta::default();
    let tables = [
        "library_folders",
        "documents",
        "document_versions",
        "document_chunks",
        "audit_events",
    ];
    let mut before = Vec::new();
    for table in tables {
        before.push(count(conn, table).await);
    }
    let refusals = [
        ("deck.pdf", pdf(LIMIT + 1), "too large"),
        ("deck.pdf", b"MZ\x90\x00 a renamed program".to_vec(), "not really a PDF"),
        (
            "banner.png",
            b"<html><script>alert(1)</script>".to_vec(),
            "not really a PNG",
        ),
        (
            "logo.svg",
            b"<svg onload=alert(1)>".to_vec(),
            "not a file the library takes",
        ),
        ("empty.pdf", Vec::new(), "empty"),
    ];
    for (name, bytes, expected) in refusals {
        let refused = flows::publish(
            conn,
            &actor,
            program,
            &input("Deck"),
            arriving(name, bytes),
            LIMIT,
            &meta,
            now,
        )
        .await
        .unwrap_err();
        let message = refused
            .field_errors()
            .and_then(|e| e.get("file"))
            .unwrap_or_default()
            .to_owned();
        assert!(message.contains(expected), "{name}: {message}");
        assert_eq!(
            refused.field_errors().unwrap().submitted("title"),
            Some("Deck"),
            "the form keeps its values"
        );
    }
    let broken = Incoming {
        file_name: "deck.pdf".into(),
        bytes: stream::iter(vec![Ok(pdf(CHUNK_BYTES + 10)), Err("connection reset".to_owned())]),
    };
    let refused = flows::publish(conn, &actor, program, &input("Deck"), broken, LIMIT, &meta, now)
        .await
        .unwrap_err();
    assert!(matches!(refused, AppError::Invalid(_)), "{refused:?}");
    let mut after = Vec::new();
    for table in tables {
        after.push(count(conn, table).await);
    }
    assert_eq!(after, before, "no folder, document, version, chunk or event");
}

#[tokio::test]
async fn downloads_at_the_same_moment_all_count() {
    let db = TestDb::new().await;
    let (program, [ada, bob], id) = {
        let conn = &mut *db.conn().await;
        let (program, partners) = program_with_partners(conn).await;
        let actor = admin(conn).await;
        let id = flows::publish(
            conn,
            &actor,
            program,
            &input("Price list"),
            arriving("prices.pdf", pdf(2000)),
            LIMIT,
            &RequestMeta::default(),
            OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
        (program, partners, id)
    };
    let mut tasks = Vec::new();
    for i in 0..12 {
        let pool = db.pool();
        let partner = if i % 3 == 0 { bob } else { ada };
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.unwrap();
            flows::download(&mut conn, partner, id, OffsetDateTime::now_utc())
                .await
                .unwrap()
                .unwrap();
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let conn = &mut *db.conn().await;
    let per_partner = library::downloads_by_partner(conn, program).await.unwrap();
    let counts: Vec<(String, i64)> = per_partner.iter().map(|r| (r.2.clone(), r.3)).collect();
    assert_eq!(counts, vec![("Ada Media".to_owned(), 8), ("Bob Deals".to_owned(), 4)]);
    let listed = library::of_program(conn, program).await.unwrap();
    assert_eq!(listed[0].downloads, 12);
}

#[tokio::test]
async fn partners_see_what_their_program_kind_tier_and_certifications_admit_and_search_by_words() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (program, [ada, bob]) = program_with_partners(conn).await;
    let (other_program, zed) = other_brand(conn).await;
    let actor = admin(conn).await;
    let now = OffsetDateTime::now_utc();
    let meta = RequestMeta::default();
    conn.batch_execute(&format!(
        "UPDATE program_memberships SET tier = 'Gold' WHERE partner_id = {bob};
         INSERT INTO certifications (program_id, name, valid_months, course_ids, created_by)
         SELECT {program}, 'Installer', 12, '{{1}}', id FROM users WHERE email = 'admin@example.com'"
    ))
    .await
    .unwrap();
    let certification = library::certified_in(conn, ada).await.unwrap();
    assert!(certification.is_empty());
    let publish = async |conn: &mut AsyncPgConnection, program: i64, doc: DocumentInput| {
        flows::publish(
            conn,
            &actor,
            program,
            &doc,
            arriving("file.pdf", pdf(500)),
            LIMIT,
            &meta,
            now,
        )
        .await
        .unwrap()
    };
    let open = publish(conn, program, input("Competitive battle cards")).await;
    let gold = publish(
        conn,
        program,
        DocumentInput {
            visibility: "tiers".into(),
            audience: "gold".into(),
            description: "Discounts for Gold partners.".into(),
            tags: "pricing".into(),
            ..input("Gold price list")
        },
    )
    .await;
    let cert_id: i64 = {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
        }
        diesel::sql_query("SELECT id FROM certifications")
            .get_result::<Id>(conn)
            .await
            .unwrap()
            .id
    };
    let certified = publish(
        conn,
        program,
        DocumentInput {
            visibility: "certification".into(),
            certification_id: cert_id.to_string(),
            ..input("Installer runbook")
        },
    )
    .await;
    let elsewhere = publish(conn, other_program, input("Globex deck")).await;
    let titles = async |conn: &mut AsyncPgConnection, partner: i64, words: Option<&str>| {
        library::visible_to_partner(conn, partner, words, None)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.document.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(conn, ada, None).await, vec![open]);
    let mut bobs = titles(conn, bob, None).await;
    bobs.sort();
    assert_eq!(bobs, vec![open, gold], "a Gold partner sees the Gold price list");
    assert_eq!(titles(conn, zed, None).await, vec![elsewhere]);
    for (partner, id) in [
        (ada, gold),
        (ada, certified),
        (bob, certified),
        (ada, elsewhere),
        (zed, open),
    ] {
        assert!(library::find_for_partner(conn, partner, id).await.unwrap().is_none());
        assert!(flows::download(conn, partner, id, now).await.unwrap().is_none());
    }
    assert_eq!(
        count(conn, "document_downloads").await,
        0,
        "refused downloads count nothing"
    );

    diesel::sql_query(format!(
        "INSERT INTO partner_certified_people (partner_id, certification_id, people, updated_at) VALUES ({ada}, {cert_id}, 1, now())"
    ))
    .execute(conn)
    .await
    .unwrap();
    assert!(
        titles(conn, ada, None).await.contains(&certified),
        "certified partners see it"
    );

    assert_eq!(
        titles(conn, bob, Some("prices")).await,
        vec![gold],
        "stemmed: prices finds price"
    );
    assert_eq!(
        titles(conn, bob, Some("competitive")).await,
        vec![open],
        "tags are searched"
    );
    assert_eq!(
        titles(conn, bob, Some("discounts gold")).await,
        vec![gold],
        "descriptions are searched"
    );
    assert!(
        titles(conn, ada, Some("pricing")).await.is_empty(),
        "search keeps the gates"
    );
    assert!(
        titles(conn, bob, Some("\"unterminated ' & | !")).await.is_empty(),
        "any text is a safe search"
    );

    flows::archive(conn, &actor, program, open, &meta, now).await.unwrap();
    assert!(
        !titles(conn, ada, None).await.contains(&open),
        "withdrawn documents leave the portal"
    );
    assert!(matches!(
        flows::archive(conn, &actor, other_program, gold, &meta, now).await,
        Err(AppError::NotFound(_))
    ));
}

#[tokio::test]
async fn a_lesson_points_only_to_live_documents_of_its_own_program() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (program, _) = program_with_partners(conn).await;
    let (other_program, _) = other_brand(conn).await;
    let actor = admin(conn).await;
    let now = OffsetDateTime::now_utc();
    let meta = RequestMeta::default();
    conn.batch_execute(&format!(
        "INSERT INTO courses (program_id, title, created_by) SELECT {program}, 'Selling', id FROM users WHERE email = 'admin@example.com';
         INSERT INTO lessons (course_id, position, title) SELECT id, 1, 'Pricing' FROM courses"
    ))
    .await
    .unwrap();
    #[derive(diesel::QueryableByName)]
    struct Ids {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        course: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        lesson: i64,
    }
    let ids = diesel::sql_query("SELECT course_id AS course, id AS lesson FROM lessons")
        .get_result::<Ids>(conn)
        .await
        .unwrap();
    let publish = async |conn: &mut AsyncPgConnection, program: i64, title: &str| {
        flows::publish(
            conn,
            &actor,
            program,
            &input(title),
            arriving("file.pdf", pdf(500)),
            LIMIT,
            &meta,
            now,
        )
        .await
        .unwrap()
    };
    let ours = publish(conn, program, "Price list").await;
    let theirs = publish(conn, other_program, "Globex deck").await;
    let withdrawn = publish(conn, program, "Old deck").await;
    flows::archive(conn, &actor, program, withdrawn, &meta, now)
        .await
        .unwrap();
    let place = (ids.course, ids.lesson);
    flows::attach_to_lesson(conn, &actor, program, place, ours, &meta)
        .await
        .unwrap();
    for (document, field, expected) in [
        (theirs, "document_id", "live documents"),
        (withdrawn, "document_id", "live documents"),
        (ours, "document_id", "already attached"),
    ] {
        let refused = flows::attach_to_lesson(conn, &actor, program, place, document, &meta)
            .await
            .unwrap_err();
        let message = refused
            .field_errors()
            .and_then(|e| e.get(field))
            .unwrap_or_default()
            .to_owned();
        assert!(message.contains(expected), "{message}");
    }
    let elsewhere = flows::attach_to_lesson(conn, &actor, other_program, place, theirs, &meta).await;
    assert!(
        matches!(elsewhere, Err(AppError::NotFound(_))),
        "another program's course is not found"
    );
    let attached = library::attachments_of(conn, &[ids.lesson]).await.unwrap();
    assert_eq!(attached.iter().map(|(_, d, _)| d.id).collect::<Vec<_>>(), vec![ours]);
    assert_eq!(count(conn, "lesson_attachments").await, 1, "refusals attached nothing");
}
