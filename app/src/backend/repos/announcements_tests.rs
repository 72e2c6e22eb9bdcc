//! The announcements repository against a real PostgreSQL: a person sees what their partner's
//! active programs and audience admit, reads are per person and counted once, and email goes to
//! the active people the audience admits.

use super::announcements::{self, NewAnnouncement};
use super::{testing_ledger, users};
use crate::backend::schema::program_memberships;
use crate::backend::testing::TestDb;
use crate::domain::access::PartnerRole;
use crate::domain::creatives::Visibility;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;

/// An announcement to `visibility`, for tests (one to a segment's partners also needs the
/// segment's name).
pub(crate) fn new(program_id: i64, created_by: i64, title: &str, visibility: &Visibility) -> NewAnnouncement {
    let (name, kinds, tiers, partners) = visibility.columns();
    NewAnnouncement {
        program_id,
        title: title.into(),
        body_markdown: "Hello".into(),
        visibility: name.into(),
        visible_kinds: kinds,
        visible_tiers: tiers,
        emailed: false,
        created_by,
        created_at: OffsetDateTime::now_utc(),
        visible_partners: partners,
        segment_name: None,
    }
}

/// The test database's operator.
pub(crate) async fn admin(conn: &mut AsyncPgConnection) -> i64 {
    users::find_by_email(conn, "admin@example.com")
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn people_see_their_audience_and_reads_are_their_own() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (program, [ada, bob]) = testing_ledger::program_with_partners(conn).await;
    let by = admin(conn).await;
    let all = announcements::insert(conn, &new(program, by, "Everyone", &Visibility::All))
        .await
        .unwrap();
    announcements::insert(conn, &new(program, by, "Gold", &Visibility::Tiers(vec!["Gold".into()])))
        .await
        .unwrap();
    diesel::update(program_memberships::table.filter(program_memberships::partner_id.eq(bob)))
        .set(program_memberships::tier.eq("gold"))
        .execute(conn)
        .await
        .unwrap();
    let ada_1 = users::insert_partner_user(conn, ada, "one@ada.example", "One", PartnerRole::Owner)
        .await
        .unwrap()
        .id;
    let ada_2 = users::insert_partner_user(conn, ada, "two@ada.example", "Two", PartnerRole::Member)
        .await
        .unwrap()
        .id;
    let bob_1 = users::insert_partner_user(conn, bob, "one@bob.example", "Bob", PartnerRole::Owner)
        .await
        .unwrap()
        .id;

    let titles = |rows: Vec<announcements::PersonAnnouncement>| {
        rows.into_iter()
            .map(|a| (a.announcement.title, a.read_at.is_some()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        titles(announcements::for_person(conn, ada, ada_1).await.unwrap()),
        vec![("Everyone".into(), false)]
    );
    assert_eq!(announcements::for_person(conn, bob, bob_1).await.unwrap().len(), 2);

    let now = OffsetDateTime::now_utc();
    assert_eq!(announcements::mark_read(conn, ada_1, &[all], now).await.unwrap(), 1);
    assert_eq!(
        announcements::mark_read(conn, ada_1, &[all], now).await.unwrap(),
        0,
        "read once"
    );
    assert_eq!(
        titles(announcements::for_person(conn, ada, ada_1).await.unwrap()),
        vec![("Everyone".into(), true)]
    );
    assert_eq!(
        titles(announcements::for_person(conn, ada, ada_2).await.unwrap()),
        vec![("Everyone".into(), false)],
        "per person"
    );
    assert_eq!(announcements::unread_count(conn, ada, ada_1).await.unwrap(), 0);
    assert_eq!(announcements::unread_count(conn, ada, ada_2).await.unwrap(), 1);
    assert_eq!(
        announcements::unread_count(conn, bob, bob_1).await.unwrap(),
        2,
        "the tier's too"
    );
    let counts: Vec<(String, i64)> = announcements::of_program(conn, program)
        .await
        .unwrap()
        .into_iter()
        .map(|(a, reads)| (a.title, reads))
        .collect();
    assert!(counts.contains(&("Everyone".into(), 1)) && counts.contains(&("Gold".into(), 0)));

    let everyone: Vec<String> = announcements::recipients(conn, program, &Visibility::All)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.email)
        .collect();
    assert_eq!(everyone, vec!["one@ada.example", "two@ada.example", "one@bob.example"]);
    let gold_only = announcements::recipients(conn, program, &Visibility::Tiers(vec!["Gold".into()]))
        .await
        .unwrap();
    assert_eq!(gold_only.len(), 1);
    assert_eq!(gold_only[0].email, "one@bob.example");
    let (other_program, _) = testing_ledger::other_brand(conn).await;
    assert!(announcements::for_person(conn, ada, ada_1)
        .await
        .unwrap()
        .iter()
        .all(|a| a.announcement.program_id != other_program));
}
