//! Onboarding against a real PostgreSQL: the checklist follows what the partner did (profile,
//! payout details, first click), a profile save is audited and a refused one changes nothing,
//! only owners and admins save it, and the time-to-first report reads each membership's first
//! click, conversion and won deal.

use super::ctx::PartnerUser;
use super::onboarding::{facts, save_profile};
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::commissions::tests::{fixture, number, Fixture};
use crate::backend::flows::RequestMeta;
use crate::backend::repos::users::Account;
use crate::backend::repos::{onboarding as repo, users};
use crate::backend::testing::TestDb;
use crate::domain::access::PartnerRole;
use crate::domain::onboarding::checklist::steps;
use crate::domain::onboarding::time_to_first::{by_program, Reach};
use diesel_async::AsyncPgConnection;
use time::macros::{date, datetime};
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2026-06-01 09:00 UTC);

async fn person(conn: &mut AsyncPgConnection, partner_id: i64, email: &str, role: PartnerRole) -> PartnerUser {
    let row = users::insert_partner_user(conn, partner_id, email, email, role)
        .await
        .unwrap();
    PartnerUser {
        user: AuthUser {
            brand_scoped: false,
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            account: Account::Partner { partner_id, role },
        },
        partner_id,
        role,
        brand: None,
    }
}

fn channels(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

async fn audit_count(conn: &mut AsyncPgConnection) -> i64 {
    number(
        conn,
        "SELECT count(*) AS n FROM audit_events WHERE action = 'partner.profile'",
    )
    .await
}

#[tokio::test]
async fn the_checklist_follows_the_profile_and_the_first_click() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f: Fixture = fixture(&mut conn).await;
    let owner = person(&mut conn, f.partner, "owner@sub.test", PartnerRole::Owner).await;

    let before = steps(&facts(&mut conn, &owner, NOW).await.unwrap());
    let titles: Vec<(&str, bool)> = before.iter().map(|s| (s.title, s.done)).collect();
    assert_eq!(
        titles,
        [
            ("Complete your profile", false),
            ("Give your payout details", false),
            ("Share your first link or register a deal", false)
        ]
    );

    let meta = RequestMeta::default();
    save_profile(
        &mut conn,
        &owner,
        ("sub.test", "Reviews of garden tools.", &channels(&["content"])),
        &meta,
    )
    .await
    .unwrap();
    assert_eq!(audit_count(&mut conn).await, 1);
    number(
        &mut conn,
        &format!(
            "WITH l AS (INSERT INTO links (program_id, partner_id, code, destination) VALUES ({p}, {s}, 'firstlink1', 'https://acme.test') RETURNING id)
             INSERT INTO daily_stats (day, program_id, partner_id, link_id, sub1, clicks, unique_clicks, conversions, revenue, commission, shard, creative_id)
             SELECT '2026-05-20', {p}, {s}, id, '', 3, 3, 0, 0, 0, 0, 0 FROM l RETURNING 1::bigint AS n",
            p = f.program,
            s = f.partner
        ),
    )
    .await;
    let after = steps(&facts(&mut conn, &owner, NOW).await.unwrap());
    let done: Vec<bool> = after.iter().map(|s| s.done).collect();
    assert_eq!(done, [true, false, true]);
}

#[tokio::test]
async fn a_refused_profile_or_a_member_changes_nothing() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let admin = person(&mut conn, f.partner, "admin@sub.test", PartnerRole::Admin).await;
    let member = person(&mut conn, f.partner, "member@sub.test", PartnerRole::Member).await;
    let meta = RequestMeta::default();
    save_profile(
        &mut conn,
        &admin,
        ("https://sub.test", "Garden tools.", &channels(&["email"])),
        &meta,
    )
    .await
    .unwrap();
    let saved = repo::profile(&mut conn, f.partner).await.unwrap().1;

    let bad = save_profile(&mut conn, &admin, ("not a site", "Other.", &channels(&["fax"])), &meta).await;
    let Err(AppError::Invalid(errors)) = bad else {
        panic!("expected field errors, got {bad:?}")
    };
    assert!(errors.get("website").is_some() && errors.get("channels").is_some());
    let by_member = save_profile(&mut conn, &member, ("https://other.test", "", &[]), &meta).await;
    assert!(matches!(by_member, Err(AppError::Forbidden)));

    assert_eq!(repo::profile(&mut conn, f.partner).await.unwrap().1, saved);
    assert_eq!(audit_count(&mut conn).await, 1);
    // The member sees the step, and who does it.
    let first = &steps(&facts(&mut conn, &member, NOW).await.unwrap())[0];
    assert!(first.done);
}

#[tokio::test]
async fn time_to_first_reads_the_first_click_conversion_and_won_deal() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    number(
        &mut conn,
        &format!("UPDATE program_memberships SET approved_at = '2026-05-01 10:00+00' WHERE program_id = {} RETURNING 1::bigint AS n", f.program),
    )
    .await;
    let link = number(
        &mut conn,
        &format!(
            "INSERT INTO links (program_id, partner_id, code, destination) VALUES ({}, {}, 'timetofirst1', 'https://acme.test') RETURNING id AS n",
            f.program, f.partner
        ),
    )
    .await;
    // A day without clicks first, then clicks on the 4th, a conversion on the 9th.
    for (day, clicks, conversions) in [("2026-05-02", 0, 0), ("2026-05-04", 5, 0), ("2026-05-09", 7, 1)] {
        number(
            &mut conn,
            &format!(
                "INSERT INTO daily_stats (day, program_id, partner_id, link_id, sub1, clicks, unique_clicks, conversions, revenue, commission, shard, creative_id)
                 VALUES ('{day}', {p}, {s}, {link}, '', {clicks}, {clicks}, {conversions}, 0, 0, 0, 0) RETURNING 1::bigint AS n",
                p = f.program,
                s = f.partner
            ),
        )
        .await;
    }
    let starts = repo::starts(&mut conn, &[f.program], date!(2026 - 04 - 01))
        .await
        .unwrap();
    assert_eq!(starts.len(), 3, "every active membership approved since April");
    let sub = starts.iter().find(|s| s.partner == "sub").unwrap();
    assert_eq!(sub.first_click, Some(date!(2026 - 05 - 04)));
    assert_eq!(sub.first_conversion, Some(date!(2026 - 05 - 09)));
    assert_eq!(sub.first_won_deal, None);
    let acme = by_program(&starts)[0].1;
    assert_eq!(acme.partners, 3);
    assert_eq!(
        acme.click,
        Reach {
            reached: 1,
            median_days: Some(3)
        }
    );
    assert_eq!(
        acme.conversion,
        Reach {
            reached: 1,
            median_days: Some(8)
        }
    );
    // Approved before the window: not counted.
    assert!(repo::starts(&mut conn, &[f.program], date!(2026 - 05 - 02))
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_database_records_the_first_approval_once() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let approved_at = "SELECT extract(epoch FROM approved_at)::bigint AS n FROM program_memberships \
                       WHERE program_id = {program} AND partner_id = {partner}";
    let approved_at = approved_at
        .replace("{program}", &f.program.to_string())
        .replace("{partner}", &f.partner.to_string());
    let first = number(&mut conn, &approved_at).await;
    assert!(first > 0, "an active membership has its approval time");

    // A suspension and a reinstatement later move decided_at, never approved_at.
    for status in ["suspended", "active"] {
        number(
            &mut conn,
            &format!(
                "UPDATE program_memberships SET status = '{status}', decided_at = now() + interval '1 day' \
                 WHERE program_id = {} AND partner_id = {} RETURNING 1::bigint AS n",
                f.program, f.partner
            ),
        )
        .await;
    }
    assert_eq!(number(&mut conn, &approved_at).await, first);
}
