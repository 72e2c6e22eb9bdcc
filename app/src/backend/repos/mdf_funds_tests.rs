//! The console's MDF page reads every fund's balances and allocations in one query each: the
//! rows of the funds asked for and no others, grouped by fund in the order the page shows.

use super::*;
use crate::backend::repos::testing_home::{brands, NOW};
use crate::backend::testing::TestDb;
use time::macros::date;

async fn fund(conn: &mut AsyncPgConnection, program_id: i64, name: &str, currency: &str) -> i64 {
    let new = NewFund {
        program_id,
        name: name.into(),
        period_start: date!(2026 - 10 - 01),
        period_end: date!(2026 - 12 - 31),
        claim_days: 30,
        currency: currency.into(),
        created_by: None,
        created_at: NOW,
    };
    insert_fund(conn, &new).await.unwrap().id
}

async fn give(conn: &mut AsyncPgConnection, (fund_id, program_id): (i64, i64), partner_id: i64, amount: i64) -> i64 {
    let allocation = NewAllocation {
        fund_id,
        program_id,
        partner_id,
        amount: amount.into(),
        source: "partner".into(),
        tier: None,
        percent: None,
        revenue: None,
        revenue_from: None,
        revenue_to: None,
        segment_name: None,
        tier_share: None,
        pool: None,
        split_among: None,
        created_by: None,
        created_at: NOW,
    };
    allocate(conn, &allocation).await.unwrap()
}

#[tokio::test]
async fn balances_and_allocations_of_several_funds_in_one_read_each() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let ids = brands(&mut conn).await;
    let q4 = (fund(&mut conn, ids.acme_eur, "Q4", "EUR").await, ids.acme_eur);
    let usd = (fund(&mut conn, ids.acme_usd, "Q4 USD", "USD").await, ids.acme_usd);
    let q3 = (fund(&mut conn, ids.acme_eur, "Q3", "EUR").await, ids.acme_eur);
    let bob_q4 = give(&mut conn, q4, ids.bob, 50).await;
    let ada_q4 = give(&mut conn, q4, ids.ada, 100).await;
    let ada_q4_more = give(&mut conn, q4, ids.ada, 20).await;
    let bob_usd = give(&mut conn, usd, ids.bob, 70).await;
    give(&mut conn, q3, ids.ada, 999).await; // a fund not asked for

    let balances: Vec<_> = balances_of_funds(&mut conn, &[usd.0, q4.0])
        .await
        .unwrap()
        .into_iter()
        .map(|(b, name)| (b.fund_id, name, b.allocated, b.available))
        .collect();
    let row =
        |fund: i64, name: &str, amount: i64| (fund, name.to_owned(), Decimal::from(amount), Decimal::from(amount));
    assert_eq!(
        balances,
        vec![row(q4.0, "Ada", 120), row(q4.0, "Bob", 50), row(usd.0, "Bob", 70)],
        "by fund, then by partner name; the Q3 fund's balance is left out"
    );

    let allocations: Vec<_> = allocations_of_funds(&mut conn, &[q4.0, usd.0])
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.id, a.fund_id, a.partner_name, a.amount))
        .collect();
    let line = |id: i64, fund: i64, name: &str, amount: i64| (id, fund, name.to_owned(), Decimal::from(amount));
    assert_eq!(
        allocations,
        vec![
            line(ada_q4_more, q4.0, "Ada", 20),
            line(ada_q4, q4.0, "Ada", 100),
            line(bob_q4, q4.0, "Bob", 50),
            line(bob_usd, usd.0, "Bob", 70),
        ],
        "by fund, each fund's newest first; the Q3 fund's allocation is left out"
    );

    assert!(balances_of_funds(&mut conn, &[]).await.unwrap().is_empty());
    assert!(allocations_of_funds(&mut conn, &[]).await.unwrap().is_empty());
}
