//! Reverting migrations on a database that has used what they added: the down migrations of tier
//! MDF shares (36) and segment announcements (37) must run with such rows present, keep the money
//! and never widen an announcement's audience.

use super::db::{revert_all_migrations, revert_migrations, run_migrations, MIGRATIONS_COUNT};
use super::repos::announcements::{self, NewAnnouncement};
use super::repos::mdf_funds::{allocate, insert_fund, NewAllocation, NewFund};
use super::repos::{announcements_tests, testing_ledger, users};
use super::schema::{announcements as announcement_rows, mdf_allocations};
use super::testing::TestDb;
use crate::domain::creatives::Visibility;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::macros::date;
use time::OffsetDateTime;

/// The migrations before tier MDF shares (36).
const BEFORE_TIER_SHARES: usize = 35;

async fn announce(conn: &mut AsyncPgConnection, program_id: i64, title: &str, visibility: &Visibility) {
    let created_by = users::find_by_email(conn, "admin@example.com")
        .await
        .unwrap()
        .unwrap()
        .id;
    let segment_name = matches!(visibility, Visibility::Partners(_)).then(|| "Top sellers".to_string());
    let new = NewAnnouncement {
        segment_name,
        ..announcements_tests::new(program_id, created_by, title, visibility)
    };
    announcements::insert(conn, &new).await.unwrap();
}

async fn tier_share_allocation(conn: &mut AsyncPgConnection, program_id: i64, partner_id: i64) -> i64 {
    let fund = insert_fund(
        conn,
        &NewFund {
            program_id,
            name: "Q4".into(),
            period_start: date!(2026 - 10 - 01),
            period_end: date!(2026 - 12 - 31),
            claim_days: 30,
            currency: "EUR".into(),
            created_by: None,
            created_at: OffsetDateTime::now_utc(),
        },
    )
    .await
    .unwrap();
    let allocation = NewAllocation {
        fund_id: fund.id,
        program_id,
        partner_id,
        amount: Decimal::new(50_000, 2),
        source: "tier_share".into(),
        tier: Some("gold".into()),
        percent: None,
        revenue: None,
        revenue_from: None,
        revenue_to: None,
        segment_name: None,
        tier_share: Some(Decimal::new(50, 0)),
        pool: Some(Decimal::new(1_000, 0)),
        split_among: Some(1),
        created_by: None,
        created_at: OffsetDateTime::now_utc(),
    };
    allocate(conn, &allocation).await.unwrap()
}

#[tokio::test]
async fn tier_shares_and_segment_announcements_go_down_without_losing_money_or_widening() {
    let db = TestDb::new().await;
    let (program, [ada, _]) = testing_ledger::program_with_partners(&mut *db.conn().await).await;
    let allocation = tier_share_allocation(&mut *db.conn().await, program, ada).await;
    announce(&mut *db.conn().await, program, "Everyone", &Visibility::All).await;
    announce(
        &mut *db.conn().await,
        program,
        "Top sellers only",
        &Visibility::Partners(vec![ada]),
    )
    .await;

    let reverted = revert_migrations(db.url(), BEFORE_TIER_SHARES).await;
    assert_eq!(reverted, Ok(MIGRATIONS_COUNT - BEFORE_TIER_SHARES));

    let conn = &mut *db.conn().await;
    let (source, tier, amount): (String, Option<String>, Decimal) = mdf_allocations::table
        .find(allocation)
        .select((mdf_allocations::source, mdf_allocations::tier, mdf_allocations::amount))
        .first(conn)
        .await
        .unwrap();
    assert_eq!(
        (source.as_str(), tier.as_deref(), amount),
        ("tier", Some("gold"), Decimal::new(50_000, 2)),
        "the allocation stays, as one to its tier"
    );
    let titles: Vec<String> = announcement_rows::table
        .select(announcement_rows::title)
        .load(conn)
        .await
        .unwrap();
    assert_eq!(
        titles,
        ["Everyone"],
        "the segment's announcement goes rather than reach everyone"
    );

    assert_eq!(
        run_migrations(db.url()).await.map(|v| v.len()),
        Ok(MIGRATIONS_COUNT - BEFORE_TIER_SHARES)
    );
    assert_eq!(revert_all_migrations(db.url()).await, Ok(MIGRATIONS_COUNT));
}
