//! The queues on the home page over two brands: a scope limited to Acme never counts Globex's
//! items, and lateness uses each program's hours (or the house default).

use super::*;
use crate::backend::repos::testing_home::{ago, brands, execute, Ids, NOW};
use crate::backend::repos::testing_ledger::accrual;
use crate::backend::testing::TestDb;
use crate::domain::commission::approval::{Stage, State};
use time::Duration;

/// Commissions, deals, an extension and MDF in both brands (hours before `NOW` in comments).
async fn items(conn: &mut AsyncPgConnection, ids: &Ids) {
    let at = |hours: i64| NOW - Duration::hours(hours);
    let (eur, gx) = (ids.acme_eur, ids.globex_eur);
    accrual(conn, eur, ids.ada, "A-1", 10, State::Pending(Stage::Manager), at(30)).await; // late (24 h)
    accrual(conn, eur, ids.ada, "A-2", 10, State::Pending(Stage::Manager), at(1)).await;
    accrual(conn, eur, ids.ada, "A-3", 10, State::Pending(Stage::Finance), at(80)).await; // escalated (72 h)
    accrual(conn, eur, ids.ada, "A-4", 10, State::OnHold, at(500)).await; // no SLA on hold
    accrual(conn, eur, ids.ada, "A-5", 10, State::Approved, at(500)).await; // not waiting
    accrual(conn, gx, ids.gus, "G-1", 10, State::Pending(Stage::Manager), at(500)).await;
    let deal = |program: &str, partner: &str, domain: &str, status: &str, submitted: String| {
        let protected = if status == "approved" {
            "now() + interval '60 days'"
        } else {
            "NULL"
        };
        format!(
            "INSERT INTO deals (program_id, partner_id, company, domain, country, contact_name, contact_email,
                 value, currency, expected_close, status, protected_until, submitted_at)
             SELECT g.id, p.id, '{domain}', '{domain}', 'US', 'Eve', 'eve@x.test', 100, g.currency, '2027-01-31',
                 '{status}', {protected}, {submitted}
             FROM programs g, partners p WHERE g.slug = '{program}' AND p.name = '{partner}';"
        )
    };
    let sql = [
        deal("acme-usd", "Bob", "late.com", "pending", ago(50)), // 48 h SLA: late
        deal("acme-usd", "Bob", "kept.com", "approved", ago(900)),
        deal("globex-eur", "Gus", "gx.com", "pending", ago(100)),
        format!(
            "INSERT INTO deal_extensions (deal_id, days, reason, requested_by, requested_at)
             SELECT id, 30, 'More time', {}, {} FROM deals WHERE domain = 'kept.com';",
            ids.operator,
            ago(2)
        ),
        "INSERT INTO mdf_funds (program_id, name, period_start, period_end, claim_days, currency)
         SELECT id, 'Q4', '2026-10-01', '2026-12-31', 30, currency FROM programs WHERE slug IN ('acme-eur', 'globex-eur');
         INSERT INTO mdf_balances (fund_id, partner_id, allocated)
         SELECT f.id, m.partner_id, 10000 FROM mdf_funds f JOIN program_memberships m ON m.program_id = f.program_id
         WHERE m.status = 'active';"
            .into(),
    ]
    .concat();
    execute(conn, &sql).await;
    for (partner, status, approved, submitted, claim) in [
        ("Ada", "pending", "NULL", ago(60), None),           // house 48 h: late
        ("Ada", "claimed", "500", ago(900), Some(ago(100))), // claim waits 100 h: escalated
        ("Ada", "approved", "300", ago(900), None),          // nothing to decide
        ("Gus", "pending", "NULL", ago(1), None),
    ] {
        let decided = if status == "pending" {
            "NULL".to_owned()
        } else {
            ago(800)
        };
        execute(
            conn,
            &format!(
                "INSERT INTO mdf_requests (fund_id, partner_id, activity, description, starts_on, ends_on, amount,
                     expected_outcome, claim_deadline, status, approved_amount, decided_at, submitted_at)
                 SELECT b.fund_id, b.partner_id, 'event', 'Booth', '2026-11-01', '2026-11-02', 500, 'Leads',
                     '2027-01-01', '{status}', {approved}, {decided}, {submitted}
                 FROM mdf_balances b JOIN partners p ON p.id = b.partner_id WHERE p.name = '{partner}'"
            ),
        )
        .await;
        if let Some(claimed) = claim {
            execute(
                conn,
                &format!(
                    "INSERT INTO mdf_claims (request_id, partner_id, amount, actual_cost, submitted_at)
                     SELECT max(id), {}, 400, 450, {claimed} FROM mdf_requests",
                    ids.ada
                ),
            )
            .await;
        }
    }
}

fn by_queue(rows: &[Waiting]) -> Vec<(&str, i64, i64, i64)> {
    rows.iter()
        .map(|w| (w.queue.as_str(), w.count, w.late, w.escalated))
        .collect()
}

fn queue(rows: &[Waiting], key: &str) -> Waiting {
    rows.iter().find(|w| w.queue == key).cloned().unwrap()
}

#[tokio::test]
async fn counts_ages_and_lateness_stay_inside_the_scope() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let ids = brands(&mut conn).await;
    items(&mut conn, &ids).await;

    let acme = waiting(&mut conn, &ids.acme(), NOW).await.unwrap();
    assert_eq!(
        by_queue(&acme),
        [
            ("applications", 1, 1, 0), // Bob, 72 h: past the house 48 h, not yet 96 h
            ("commissions_finance", 1, 1, 1),
            ("commissions_manager", 2, 1, 0),
            ("commissions_on_hold", 1, 0, 0),
            ("deal_extensions", 1, 0, 0),
            ("deals", 1, 1, 0),
            ("mdf_claims", 1, 1, 1),
            ("mdf_requests", 1, 1, 0),
        ]
    );
    assert_eq!(queue(&acme, "commissions_manager").oldest, NOW - Duration::hours(30));
    assert_eq!(
        queue(&acme, "mdf_claims").oldest,
        NOW - Duration::hours(100),
        "since the claim"
    );
    let kept =
        crate::backend::repos::testing_home::id(&mut conn, "SELECT id FROM deals WHERE domain = 'kept.com'").await;
    assert_eq!(
        queue(&acme, "deal_extensions").oldest_id,
        kept,
        "extensions name their deal"
    );

    // Every brand: Globex's items join in, and its 500-hour commission is the oldest.
    let all_brands = Scope::everything(&mut conn).await.unwrap();
    let everything = waiting(&mut conn, &all_brands, NOW).await.unwrap();
    let all = queue(&everything, "commissions_manager");
    assert_eq!((all.count, all.late, all.escalated), (3, 2, 1));
    assert_eq!(all.oldest, NOW - Duration::hours(500));
    assert_eq!(
        (
            queue(&everything, "applications").count,
            queue(&everything, "applications").escalated
        ),
        (2, 1)
    );
    assert_eq!(queue(&everything, "deals").escalated, 1, "100 h is twice Globex's 48 h");
    assert_eq!(queue(&everything, "mdf_requests").count, 2);

    // Only Globex: none of Acme's queues.
    let globex = Scope {
        all_brands: false,
        brands: vec![],
        programs: vec![ids.globex_eur],
        focus: None,
    };
    let rows = waiting(&mut conn, &globex, NOW).await.unwrap();
    assert_eq!(
        by_queue(&rows),
        [
            ("applications", 1, 1, 1),
            ("commissions_manager", 1, 1, 1),
            ("deals", 1, 1, 1),
            ("mdf_requests", 1, 0, 0),
        ]
    );
    let nothing = Scope {
        all_brands: false,
        brands: vec![],
        programs: vec![],
        focus: None,
    };
    assert!(waiting(&mut conn, &nothing, NOW).await.unwrap().is_empty());
}
