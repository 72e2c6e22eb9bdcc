//! Reverting migrations on a database that has used what they added. The down migrations of the
//! commission engine (6), brand scopes (11), payouts paying MDF claims (26), segment MDF
//! allocations (34), tier MDF shares (36) and segment announcements (37) must run with such rows
//! present, keep every allocation's money and never widen what anyone sees.

use super::db::{revert_all_migrations, revert_migrations, run_migrations, MIGRATIONS_COUNT};
use super::repos::announcements::{self, NewAnnouncement};
use super::repos::conversions;
use super::repos::ledger::{self, NewEntry};
use super::repos::mdf_events::{self, NewEvent};
use super::repos::mdf_funds::{allocate, insert_fund, NewAllocation, NewFund};
use super::repos::{announcements_tests, operators, testing_ledger, users};
use super::schema::{
    announcement_reads, announcements as announcement_rows, commissions, mdf_allocations, mdf_events as events,
    programs, users as user_rows,
};
use super::testing::TestDb;
use crate::domain::access::OperatorRole;
use crate::domain::commission::approval::State;
use crate::domain::creatives::Visibility;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::macros::date;
use time::OffsetDateTime;

/// Reverts migration `version` and every one after it.
async fn revert_from(db: &TestDb, version: usize) {
    let reverted = revert_migrations(db.url(), version - 1).await.map(drop);
    assert_eq!(reverted, Ok(()), "reverting migrations {version} and after");
}

/// Posts an announcement and marks it read by the admin.
async fn announce(conn: &mut AsyncPgConnection, program_id: i64, title: &str, visibility: &Visibility) -> i64 {
    let by = announcements_tests::admin(conn).await;
    let segment_name = matches!(visibility, Visibility::Partners(_)).then(|| "Top sellers".to_string());
    let new = NewAnnouncement {
        segment_name,
        ..announcements_tests::new(program_id, by, title, visibility)
    };
    let id = announcements::insert(conn, &new).await.unwrap();
    announcements::mark_read(conn, by, &[id], OffsetDateTime::now_utc())
        .await
        .unwrap();
    id
}

/// An allocation of EUR 500 from `source`, with the columns that source needs.
fn allocation(fund_id: i64, program_id: i64, partner_id: i64, source: &str) -> NewAllocation {
    let tier_share = source == "tier_share";
    NewAllocation {
        fund_id,
        program_id,
        partner_id,
        amount: Decimal::new(50_000, 2),
        source: source.into(),
        tier: tier_share.then(|| "gold".into()),
        percent: None,
        revenue: None,
        revenue_from: None,
        revenue_to: None,
        segment_name: (source == "segment").then(|| "Top sellers".into()),
        tier_share: tier_share.then(|| Decimal::new(50, 0)),
        pool: tier_share.then(|| Decimal::new(1_000, 0)),
        split_among: tier_share.then_some(1),
        created_by: None,
        created_at: OffsetDateTime::now_utc(),
    }
}

/// A fund with an allocation from each source given, and the "allocated" and "paid" events a
/// payout leaves; returns the allocations' ids in the order of `sources`.
async fn fund_with(conn: &mut AsyncPgConnection, program_id: i64, partner_id: i64, sources: &[&str]) -> Vec<i64> {
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
    let mut ids = Vec::new();
    for source in sources {
        ids.push(
            allocate(conn, &allocation(fund.id, program_id, partner_id, source))
                .await
                .unwrap(),
        );
    }
    for kind in ["allocated", "paid"] {
        let event = NewEvent {
            fund_id: fund.id,
            partner_id,
            request_id: None,
            kind,
            amount: Some(Decimal::new(50_000, 2)),
            actor_id: None,
            note: None,
            occurred_at: OffsetDateTime::now_utc(),
        };
        mdf_events::record(conn, &event).await.unwrap();
    }
    ids
}

async fn allocation_source(conn: &mut AsyncPgConnection, id: i64) -> (String, Decimal) {
    mdf_allocations::table
        .find(id)
        .select((mdf_allocations::source, mdf_allocations::amount))
        .first(conn)
        .await
        .unwrap()
}

/// A sale by `seller` with a level-1 override for `master`, refunded: the accrual, the
/// override, and a reversal of each. Returns the accrual's id and its reversal's.
async fn refunded_override(conn: &mut AsyncPgConnection, program_id: i64, seller: i64, master: i64) -> [i64; 2] {
    let now = OffsetDateTime::now_utc();
    let accrual = testing_ledger::accrual(conn, program_id, seller, "R-1", 100, State::Approved, now).await;
    let conversion = conversions::find_by_order(&*conn, program_id, "R-1")
        .await
        .unwrap()
        .unwrap();
    let entry = |partner_id, kind: &str, amount: i64, source_id| NewEntry {
        conversion_id: Some(conversion.id),
        program_id,
        partner_id,
        kind: kind.into(),
        amount: Decimal::from(amount),
        currency: "EUR".into(),
        refund_id: None,
        explanation: kind.into(),
        terms_version_id: None,
        inputs: None,
        source_id: Some(source_id),
        level: None,
        reason: None,
        created_by: None,
        payable_at: now,
        created_at: now,
    };
    let over = NewEntry {
        level: Some(1),
        ..entry(master, "override", 10, accrual)
    };
    let over = ledger::insert(conn, &over).await.unwrap().id;
    let refund = conversions::insert_refund(conn, &conversion, "RF-1", Decimal::from(500), None, now)
        .await
        .unwrap();
    let mut reversals = Vec::new();
    for (partner_id, amount, source_id) in [(seller, -100, accrual), (master, -10, over)] {
        let reversal = NewEntry {
            refund_id: Some(refund.id),
            ..entry(partner_id, "reversal", amount, source_id)
        };
        reversals.push(ledger::insert(conn, &reversal).await.unwrap().id);
    }
    [accrual, reversals[0]]
}

/// An operator who sees only the program's brand.
async fn brand_scoped_operator(conn: &mut AsyncPgConnection, program_id: i64) -> i64 {
    let brand: i64 = programs::table
        .find(program_id)
        .select(programs::brand_id)
        .first(conn)
        .await
        .unwrap();
    let user = users::insert_operator(conn, "scoped@example.com", "Scoped", OperatorRole::Manager, "x")
        .await
        .unwrap();
    operators::set_brands(conn, user.id, true, &[brand]).await.unwrap();
    user.id
}

#[tokio::test]
async fn used_features_go_down_keeping_the_money_and_the_audiences() {
    let db = TestDb::new().await;
    let (program, [ada, bob]) = testing_ledger::program_with_partners(&mut *db.conn().await).await;
    let sources = ["partner", "segment", "tier_share"];
    let [plain, by_segment, by_tier_share] = fund_with(&mut *db.conn().await, program, ada, &sources)
        .await
        .try_into()
        .unwrap();
    let everyone = announce(&mut *db.conn().await, program, "Everyone", &Visibility::All).await;
    announce(
        &mut *db.conn().await,
        program,
        "Top sellers only",
        &Visibility::Partners(vec![ada]),
    )
    .await;
    let eur_500 = Decimal::new(50_000, 2);
    let [accrual, its_reversal] = refunded_override(&mut *db.conn().await, program, ada, bob).await;
    let scoped = brand_scoped_operator(&mut *db.conn().await, program).await;

    // 37 and 36: the segment's announcement goes with its read; the tier share stays, as tier.
    revert_from(&db, 36).await;
    let conn = &mut *db.conn().await;
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
    let read: Vec<i64> = announcement_reads::table
        .select(announcement_reads::announcement_id)
        .load(conn)
        .await
        .unwrap();
    assert_eq!(read, [everyone], "only the remaining announcement's read is left");
    assert_eq!(allocation_source(conn, by_tier_share).await, ("tier".into(), eur_500));

    // 34: the segment's allocation stays, as one to its partner.
    revert_from(&db, 34).await;
    let conn = &mut *db.conn().await;
    assert_eq!(allocation_source(conn, by_segment).await, ("partner".into(), eur_500));
    assert_eq!(allocation_source(conn, plain).await, ("partner".into(), eur_500));

    // 26: payouts never paid the claim, so its "paid" event goes; the rest of the history stays.
    revert_from(&db, 26).await;
    let kinds: Vec<String> = events::table
        .select(events::kind)
        .load(&mut *db.conn().await)
        .await
        .unwrap();
    assert_eq!(kinds, ["allocated"]);

    // 11: without brand scopes the scoped operator would see every brand, so they are off.
    revert_from(&db, 11).await;
    let active: bool = user_rows::table
        .find(scoped)
        .select(user_rows::is_active)
        .first(&mut *db.conn().await)
        .await
        .unwrap();
    assert!(!active, "a brand-scoped operator is switched off rather than widened");

    // 6: the override and its reversal go; the sale's commission and its reversal stay.
    revert_from(&db, 6).await;
    let mut left: Vec<i64> = commissions::table
        .select(commissions::id)
        .load(&mut *db.conn().await)
        .await
        .unwrap();
    left.sort_unstable();
    assert_eq!(left, [accrual, its_reversal]);

    let applied = run_migrations(db.url()).await.map(|v| v.len());
    assert_eq!(applied, Ok(MIGRATIONS_COUNT - 5));
    assert_eq!(revert_all_migrations(db.url()).await, Ok(MIGRATIONS_COUNT));
}
