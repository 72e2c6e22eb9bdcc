//! The promotional-material repository against a real PostgreSQL: rules default and save over
//! themselves, a partner reads only its active programs' rules and its own submissions, and the
//! console's queue puts pending submissions first.

use super::promo::{self, NewSubmission};
use super::{testing_ledger, users};
use crate::backend::testing::TestDb;
use crate::domain::promo::Rules;
use time::OffsetDateTime;

#[tokio::test]
async fn rules_default_save_and_reach_only_active_partners() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (program, [ada, _]) = testing_ledger::program_with_partners(conn).await;
    let (other_program, outsider) = testing_ledger::other_brand(conn).await;
    let now = OffsetDateTime::now_utc();
    assert_eq!(promo::rules(conn, program).await.unwrap(), Rules::default());
    let strict = Rules {
        require_approval: true,
        disclosure_phrases: vec!["#ad".into()],
        brand_terms: vec!["Acme".into()],
    };
    promo::save_rules(conn, program, &strict, now).await.unwrap();
    promo::save_rules(
        conn,
        program,
        &Rules {
            require_approval: false,
            ..strict.clone()
        },
        now,
    )
    .await
    .unwrap();
    assert!(
        !promo::rules(conn, program).await.unwrap().require_approval,
        "saved over"
    );
    let seen = promo::rules_for_partner(conn, ada).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        (seen[0].0, seen[0].2.brand_terms.clone()),
        (program, vec!["Acme".to_owned()])
    );
    assert!(promo::rules_for_partner(conn, outsider)
        .await
        .unwrap()
        .iter()
        .all(|(id, ..)| *id == other_program));
}

#[tokio::test]
async fn the_queue_puts_pending_first_and_partners_read_their_own() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let (program, [ada, bob]) = testing_ledger::program_with_partners(conn).await;
    let admin = users::find_by_email(conn, "admin@example.com")
        .await
        .unwrap()
        .unwrap()
        .id;
    let now = OffsetDateTime::now_utc();
    let mut ids = Vec::new();
    for partner_id in [ada, ada, bob] {
        let new = NewSubmission {
            program_id: program,
            partner_id,
            submitted_by: admin,
            channel: "social".into(),
            url: "https://example.com/p".into(),
            body: "Hi #ad".into(),
            flags: vec![],
            created_at: now,
            screenshot_type: None,
            screenshot: None,
        };
        ids.push(promo::insert(conn, &new).await.unwrap());
    }
    promo::set_decision(conn, ids[2], "approved", None, admin, now)
        .await
        .unwrap();
    let queue: Vec<(i64, String)> = promo::of_program(conn, program)
        .await
        .unwrap()
        .into_iter()
        .map(|(row, ..)| (row.id, row.status))
        .collect();
    assert_eq!(
        queue,
        vec![
            (ids[1], "pending".into()),
            (ids[0], "pending".into()),
            (ids[2], "approved".into())
        ]
    );
    assert_eq!(promo::of_partner(conn, ada).await.unwrap().len(), 2);
    assert_eq!(promo::of_partner(conn, bob).await.unwrap().len(), 1);
    assert!(promo::lock_in_program(conn, program + 1000, ids[0])
        .await
        .unwrap()
        .is_none());
}
