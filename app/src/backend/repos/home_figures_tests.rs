//! The home page's figures over two brands whose programs share a currency: a scope limited to
//! Acme never sums Globex's rollups, partners, deals or MDF into Acme's euros.

use super::*;
use crate::backend::repos::testing_home::{ago, brands, execute, Ids, NOW};
use crate::backend::testing::TestDb;
use time::macros::date;

/// Rollups (one split over two click-writer shards), deals and approved MDF claims.
async fn facts(conn: &mut AsyncPgConnection) {
    let mut sql = String::from(
        "INSERT INTO daily_stats (day, program_id, partner_id, link_id, sub1, clicks, conversions, revenue, commission, shard)
         SELECT v.day::date, g.id, COALESCE(p.id, 0), 0, '', v.clicks, v.conversions, v.revenue, v.commission, v.shard
         FROM (VALUES ('2026-12-04', 'acme-eur', 'Ada', 60, 4, 400, 80, 0), ('2026-12-04', 'acme-eur', 'Ada', 40, 0, 0, 0, 1),
                      ('2026-10-20', 'acme-eur', 'Ada', 50, 2, 1000, 200, 0),
                      ('2026-12-05', 'acme-eur', NULL, 7, 0, 0, 0, 0),
                      ('2026-11-20', 'acme-usd', 'Bob', 10, 1, 90, 9, 0),
                      ('2026-09-01', 'acme-eur', 'Ada', 999, 9, 999, 99, 0),
                      ('2026-12-01', 'globex-eur', 'Gus', 1000, 50, 5000, 500, 0))
              AS v (day, program, partner, clicks, conversions, revenue, commission, shard)
         JOIN programs g ON g.slug = v.program LEFT JOIN partners p ON p.name = v.partner;",
    );
    let d = |days: i64| ago(days * 24);
    let null = || "NULL".to_owned();
    // (domain, status, value, submitted, protected until, decided, closed)
    for (domain, status, value, submitted, protected, decided, closed) in [
        ("open.com", "pending", 1000, ago(50), null(), null(), null()),
        (
            "kept.com",
            "approved",
            2000,
            d(40),
            "now() + interval '60 days'".into(),
            d(39),
            null(),
        ),
        ("won.com", "won", 4000, d(50), null(), d(49), d(10)),
        ("no.com", "rejected", 500, d(45), null(), d(44), null()),
        ("old.com", "expired", 300, d(70), d(20), d(69), null()),
        ("lost.com", "lost", 800, d(90), null(), d(89), d(31)),
    ] {
        sql.push_str(&format!(
            "INSERT INTO deals (program_id, partner_id, company, domain, country, contact_name, contact_email,
                 value, currency, expected_close, status, submitted_at, protected_until, decided_at, closed_at)
             SELECT g.id, p.id, '{domain}', '{domain}', 'US', 'Eve', 'eve@x.test', {value}, 'USD', '2027-01-31',
                 '{status}', {submitted}, {protected}, {decided}, {closed}
             FROM programs g, partners p WHERE g.slug = 'acme-usd' AND p.name = 'Bob';"
        ));
    }
    sql.push_str(&format!(
        "INSERT INTO deals (program_id, partner_id, company, domain, country, contact_name, contact_email,
             value, currency, expected_close, submitted_at)
         SELECT g.id, p.id, 'gx', 'gx.com', 'FR', 'Eve', 'eve@x.test', 9999, 'EUR', '2027-01-31', {}
         FROM programs g, partners p WHERE g.slug = 'globex-eur' AND p.name = 'Gus';
         INSERT INTO mdf_funds (program_id, name, period_start, period_end, claim_days, currency)
         SELECT id, 'Q4', '2026-10-01', '2026-12-31', 30, currency FROM programs WHERE slug IN ('acme-eur', 'globex-eur');",
        d(2)
    ));
    for (program, partner, amount, at) in [
        ("acme-eur", "Ada", 400, d(5)),
        ("acme-eur", "Ada", 250, d(35)),
        ("acme-eur", "Ada", 999, d(70)),
        ("globex-eur", "Gus", 7777, d(1)),
    ] {
        sql.push_str(&format!(
            "INSERT INTO mdf_events (fund_id, partner_id, kind, amount, occurred_at)
             SELECT f.id, p.id, 'claim_approved', {amount}, {at}
             FROM mdf_funds f JOIN programs g ON g.id = f.program_id, partners p
             WHERE g.slug = '{program}' AND p.name = '{partner}';"
        ));
    }
    execute(conn, &sql).await;
}

fn n(value: i64) -> Decimal {
    Decimal::from(value)
}

fn amounts(rows: &[Amounts]) -> Vec<(&str, Decimal, Decimal)> {
    rows.iter()
        .map(|a| (a.currency.as_str(), a.current, a.previous))
        .collect()
}

async fn setup() -> (TestDb, Ids) {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let ids = brands(&mut conn).await;
    facts(&mut conn).await;
    drop(conn);
    (db, ids)
}

#[tokio::test]
async fn rollups_and_partners_come_from_the_scoped_programs_only() {
    let (db, ids) = setup().await;
    let mut conn = db.conn().await;
    let windows = Windows::ending(NOW.date());
    let acme = load(&mut conn, &ids.acme(), &windows, NOW, 5).await.unwrap();
    assert_eq!(acme.currencies, ["EUR", "USD"]);
    let days: Vec<_> = acme
        .days
        .iter()
        .map(|d| {
            (
                d.currency.as_str(),
                d.day,
                d.clicks,
                d.conversions,
                d.revenue,
                d.commission,
            )
        })
        .collect();
    assert_eq!(
        days,
        [
            ("EUR", date!(2026 - 10 - 20), 50, 2, n(1000), n(200)),
            ("EUR", date!(2026 - 12 - 04), 100, 4, n(400), n(80)),
            ("EUR", date!(2026 - 12 - 05), 7, 0, n(0), n(0)),
            ("USD", date!(2026 - 11 - 20), 10, 1, n(90), n(9)),
        ],
        "shards summed, September and Globex left out"
    );
    let listed: Vec<_> = acme
        .partners
        .iter()
        .map(|p| {
            (
                p.currency.as_str(),
                p.name.as_str(),
                p.clicks_now,
                p.revenue_now,
                p.clicks_before,
                p.revenue_before,
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("EUR", "Ada", 100, n(400), 50, n(1000)),
            ("USD", "Bob", 10, n(90), 0, n(0))
        ],
        "unattributed clicks are no partner's"
    );

    // Every brand, one partner per list: Gus leads in euros, Ada fell most; both load.
    let everything = Scope::everything(&mut conn).await.unwrap();
    let rows = partners(&mut conn, &everything, &windows, 1).await.unwrap();
    let names: Vec<_> = rows.iter().map(|p| (p.currency.as_str(), p.partner_id)).collect();
    assert_eq!(names, [("EUR", ids.ada), ("EUR", ids.gus), ("USD", ids.bob)]);
}

#[tokio::test]
async fn new_partners_pipeline_and_mdf_compare_both_periods_in_scope() {
    let (db, ids) = setup().await;
    let mut conn = db.conn().await;
    let windows = Windows::ending(NOW.date());
    let acme = load(&mut conn, &ids.acme(), &windows, NOW, 5).await.unwrap();
    let joined: Vec<_> = acme
        .joined
        .iter()
        .map(|j| (j.currency.as_str(), j.current, j.previous, j.active))
        .collect();
    // Ada joined Acme EUR 10 days ago; Ada and Bob joined Acme USD 40 and 45 days ago. Bob's
    // Acme EUR application still waits, so it isn't a new partner.
    assert_eq!(joined, [("EUR", 1, 0, 1), ("USD", 0, 2, 2)]);
    // Now: pending 1000 and protected 2000. On 6 November: protected 2000, won later 4000,
    // expired later 300; the pending one came later, the rejected and lost ones had closed.
    assert_eq!(amounts(&acme.pipeline), [("USD", n(3000), n(6300))]);
    assert_eq!(amounts(&acme.mdf_spent), [("EUR", n(400), n(250))]);

    let everything = Scope::everything(&mut conn).await.unwrap();
    let all = load(&mut conn, &everything, &windows, NOW, 5).await.unwrap();
    assert_eq!(
        all.joined.iter().map(|j| (j.current, j.active)).collect::<Vec<_>>(),
        [(2, 2), (0, 2)]
    );
    assert_eq!(
        amounts(&all.pipeline),
        [("EUR", n(9999), n(0)), ("USD", n(3000), n(6300))]
    );
    assert_eq!(amounts(&all.mdf_spent), [("EUR", n(8177), n(250))]);
}
