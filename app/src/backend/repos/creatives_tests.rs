//! The creatives repository against a real PostgreSQL: files stored once per hash, a partner's
//! reads scoped to its active programs and to each creative's visibility and window, archiving,
//! and what the redirect sees.

use super::creatives::{self, NewCreative};
use super::testing_ledger;
use crate::backend::schema::{program_memberships, users};
use crate::backend::testing::TestDb;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::{Duration, OffsetDateTime};

async fn admin(conn: &mut AsyncPgConnection) -> i64 {
    users::table.select(users::id).first(conn).await.unwrap()
}

fn creative(program_id: i64, created_by: i64, name: &str) -> NewCreative {
    NewCreative {
        program_id,
        kind: "text".into(),
        name: name.into(),
        landing_url: "https://example.com/".into(),
        body: "Try it".into(),
        alt_text: String::new(),
        tags: vec!["evergreen".into()],
        image_sha256: None,
        image_type: None,
        thumb_sha256: None,
        file_name: None,
        width: None,
        height: None,
        active_from: None,
        active_until: None,
        visibility: "all".into(),
        visible_kinds: vec![],
        visible_tiers: vec![],
        visible_partners: vec![],
        created_by,
        created_at: OffsetDateTime::now_utc(),
    }
}

#[tokio::test]
async fn the_same_bytes_are_stored_once() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let sha = "a".repeat(64);
    creatives::insert_file(conn, &sha, "image/png", b"\x89PNG one")
        .await
        .unwrap();
    creatives::insert_file(conn, &sha, "image/png", b"\x89PNG one")
        .await
        .unwrap();
    let count: i64 = crate::backend::schema::creative_files::table
        .count()
        .get_result(conn)
        .await
        .unwrap();
    assert_eq!(count, 1);
    assert_eq!(
        creatives::file(conn, &sha).await.unwrap(),
        Some(("image/png".to_owned(), b"\x89PNG one".to_vec()))
    );
    assert_eq!(creatives::file(conn, &"b".repeat(64)).await.unwrap(), None);
}

#[tokio::test]
async fn a_partner_sees_live_creatives_it_is_admitted_to_in_its_active_programs() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (program, [ada, bob]) = testing_ledger::program_with_partners(conn).await;
    let (other_program, _) = testing_ledger::other_brand(conn).await;
    let by = admin(conn).await;
    let now = OffsetDateTime::now_utc();
    let everyone = creatives::insert(conn, &creative(program, by, "Everyone"))
        .await
        .unwrap();
    let only_bob = creatives::insert(
        conn,
        &NewCreative {
            visibility: "partners".into(),
            visible_partners: vec![bob],
            ..creative(program, by, "Only Bob")
        },
    )
    .await
    .unwrap();
    let gold = creatives::insert(
        conn,
        &NewCreative {
            visibility: "tiers".into(),
            visible_tiers: vec!["Gold".into()],
            ..creative(program, by, "Gold")
        },
    )
    .await
    .unwrap();
    let later = creatives::insert(
        conn,
        &NewCreative {
            active_from: Some(now + Duration::days(1)),
            ..creative(program, by, "Later")
        },
    )
    .await
    .unwrap();
    let elsewhere = creatives::insert(conn, &creative(other_program, by, "Elsewhere"))
        .await
        .unwrap();
    let archived = creatives::insert(conn, &creative(program, by, "Archived"))
        .await
        .unwrap();
    assert!(creatives::archive(conn, program, archived, now).await.unwrap());
    assert!(!creatives::archive(conn, program, archived, now).await.unwrap(), "once");
    assert!(
        !creatives::archive(conn, program, elsewhere, now).await.unwrap(),
        "not this program's"
    );

    let seen = |list: Vec<creatives::PartnerCreative>| list.into_iter().map(|c| c.creative.id).collect::<Vec<_>>();
    assert_eq!(
        seen(creatives::visible_to_partner(conn, ada, now).await.unwrap()),
        vec![everyone]
    );
    assert_eq!(
        seen(creatives::visible_to_partner(conn, bob, now).await.unwrap()),
        vec![only_bob, everyone]
    );
    diesel::update(program_memberships::table.filter(program_memberships::partner_id.eq(ada)))
        .set(program_memberships::tier.eq("gold"))
        .execute(conn)
        .await
        .unwrap();
    assert_eq!(
        seen(creatives::visible_to_partner(conn, ada, now).await.unwrap()),
        vec![gold, everyone]
    );
    let tomorrow = now + Duration::days(2);
    assert!(seen(creatives::visible_to_partner(conn, ada, tomorrow).await.unwrap()).contains(&later));
    for id in [only_bob, archived, elsewhere, 999_999] {
        assert!(
            creatives::find_for_partner(conn, ada, id, now).await.unwrap().is_none(),
            "{id}"
        );
    }
    // A suspended membership shows nothing.
    diesel::update(program_memberships::table.filter(program_memberships::partner_id.eq(ada)))
        .set(program_memberships::status.eq("suspended"))
        .execute(conn)
        .await
        .unwrap();
    assert!(creatives::visible_to_partner(conn, ada, now).await.unwrap().is_empty());

    // The redirect sees any creative that isn't archived, and serves it only to a partner it
    // admits, inside its window, on a still-allowed domain.
    let target = creatives::redirect_target(conn, later).await.unwrap().unwrap();
    assert_eq!(target.program_id, program);
    let ada_as_creator = crate::domain::creatives::Audience {
        partner_id: ada,
        kind: "creator",
        tier: None,
    };
    assert!(!target.serves(&ada_as_creator, now), "not yet");
    assert!(
        !target.serves(&ada_as_creator, tomorrow),
        "no allowed domains in this program"
    );
    let target = creatives::CreativeTarget {
        allowed_domains: vec!["example.com".into()],
        ..target
    };
    assert!(target.serves(&ada_as_creator, tomorrow));
    let only_bob = creatives::redirect_target(conn, only_bob).await.unwrap().unwrap();
    let only_bob = creatives::CreativeTarget {
        allowed_domains: vec!["example.com".into()],
        ..only_bob
    };
    assert!(!only_bob.serves(&ada_as_creator, now), "named for Bob only");
    assert!(creatives::redirect_target(conn, archived).await.unwrap().is_none());
}
