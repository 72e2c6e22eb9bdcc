//! The report queries over ten known deals in two programs (USD with a 48-hour SLA, EUR with
//! 24 hours), by three partners of two kinds, seen on 2026-11-21 at noon UTC.

use super::*;
use crate::backend::testing::TestDb;
use time::macros::{date, datetime};

pub(crate) const NOW: OffsetDateTime = datetime!(2026-11-21 12:00 UTC);

/// (program, partner, domain, value, status, stage, submitted, decided, closed, expected close)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

const DEALS: [Row; 10] = [
    (
        "resellers",
        "Northwind",
        "a1.com",
        1000,
        "pending",
        "registered",
        "2026-11-20 09:00",
        None,
        None,
        "2026-12-15",
    ),
    (
        "resellers",
        "Northwind",
        "a2.com",
        2000,
        "approved",
        "qualified",
        "2026-11-01 10:00",
        Some("2026-11-02 09:00"),
        None,
        "2026-12-20",
    ),
    (
        "resellers",
        "Zeta",
        "a3.com",
        4000,
        "approved",
        "proposal",
        "2026-10-05 10:00",
        Some("2026-10-08 10:00"),
        None,
        "2027-01-15",
    ),
    (
        "resellers",
        "Orbit",
        "a4.com",
        3000,
        "won",
        "won",
        "2026-09-01 10:00",
        Some("2026-09-02 10:00"),
        Some("2026-10-10 15:00"),
        "2026-10-31",
    ),
    (
        "resellers",
        "Zeta",
        "a5.com",
        500,
        "lost",
        "lost",
        "2026-09-10 10:00",
        Some("2026-09-11 10:00"),
        Some("2026-10-20 15:00"),
        "2026-10-31",
    ),
    (
        "resellers",
        "Northwind",
        "a6.com",
        800,
        "pending",
        "registered",
        "2026-11-17 08:00",
        None,
        None,
        "2026-11-30",
    ),
    (
        "integrators",
        "Northwind",
        "b1.com",
        5000,
        "approved",
        "negotiation",
        "2026-11-10 12:00",
        Some("2026-11-11 11:00"),
        None,
        "2026-12-01",
    ),
    (
        "integrators",
        "Orbit",
        "b2.com",
        7000,
        "won",
        "won",
        "2026-08-03 12:00",
        Some("2026-08-05 12:00"),
        Some("2026-09-15 15:00"),
        "2026-09-30",
    ),
    (
        "integrators",
        "Orbit",
        "b3.com",
        1500,
        "rejected",
        "registered",
        "2026-11-03 12:00",
        Some("2026-11-04 12:00"),
        None,
        "2026-12-31",
    ),
    (
        "resellers",
        "Orbit",
        "a7.com",
        2500,
        "lost",
        "lost",
        "2026-10-12 10:00",
        Some("2026-10-13 10:00"),
        Some("2026-11-05 15:00"),
        "2026-11-30",
    ),
];

/// Programs `resellers` (USD, 48 h) and `integrators` (EUR, 24 h); partners Northwind and Zeta
/// (resellers) and Orbit (si); the ten deals above. Returns the filter of an operator who sees
/// both programs.
pub(crate) async fn seed(conn: &mut AsyncPgConnection) -> Filter {
    let sql = "WITH b AS (INSERT INTO brands (name, slug) VALUES ('Acme', 'acme') RETURNING id)
        INSERT INTO programs (brand_id, name, slug, currency, terms, deal_sla_hours)
        SELECT id, 'Resellers', 'resellers', 'USD', 't', 48 FROM b UNION ALL
        SELECT id, 'Integrators', 'integrators', 'EUR', 't', 24 FROM b;
        INSERT INTO partners (name, email, kind, country) VALUES
            ('Northwind', 'n@x.test', 'reseller', 'US'), ('Zeta', 'z@x.test', 'reseller', 'US'),
            ('Orbit', 'o@x.test', 'si', 'NL');
        INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
        SELECT p.id, g.id, 'active', 'resale', now() FROM partners p CROSS JOIN programs g;";
    for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
        diesel::sql_query(statement).execute(conn).await.unwrap();
    }
    for (program, partner, domain, value, status, stage, submitted, decided, closed, expected) in DEALS {
        let at = |t: Option<&str>| t.map_or("NULL".to_owned(), |t| format!("'{t}+00'"));
        let protected = if status == "approved" {
            "'2027-02-01+00'"
        } else {
            "NULL"
        };
        diesel::sql_query(format!(
            "INSERT INTO deals (program_id, partner_id, company, domain, country, contact_name, contact_email,
                 value, currency, expected_close, status, stage, protected_until, submitted_at, decided_at, closed_at)
             SELECT g.id, p.id, '{domain}', '{domain}', 'US', 'Eve', 'eve@x.test', {value}, g.currency,
                 '{expected}', '{status}', '{stage}', {protected}, '{submitted}+00', {}, {}
             FROM programs g, partners p WHERE g.slug = '{program}' AND p.name = '{partner}'",
            at(decided),
            at(closed)
        ))
        .execute(conn)
        .await
        .unwrap();
    }
    let scope = crate::backend::scope::Scope::everything(conn).await.unwrap();
    Filter {
        in_scope: scope.programs,
        ..Filter::default()
    }
}

async fn program_id(conn: &mut AsyncPgConnection, slug: &str) -> i64 {
    use crate::backend::schema::programs;
    programs::table
        .filter(programs::slug.eq(slug))
        .select(programs::id)
        .first(conn)
        .await
        .unwrap()
}

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

fn open_rows(groups: &[OpenGroup]) -> Vec<(&str, &str, &str, &str, i64, Decimal)> {
    groups
        .iter()
        .map(|g| {
            (
                g.program.as_str(),
                g.stage.as_str(),
                g.status.as_str(),
                g.currency.as_str(),
                g.deals,
                g.value,
            )
        })
        .collect()
}

#[tokio::test]
async fn the_open_pipeline_groups_open_deals_by_program_stage_and_currency() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let every = seed(&mut conn).await;
    let all = open_pipeline(&mut conn, &every).await.unwrap();
    assert_eq!(
        open_rows(&all),
        [
            ("Integrators", "negotiation", "approved", "EUR", 1, d(5000)),
            ("Resellers", "proposal", "approved", "USD", 1, d(4000)),
            ("Resellers", "qualified", "approved", "USD", 1, d(2000)),
            ("Resellers", "registered", "pending", "USD", 2, d(1800)),
        ]
    );
    // November registrations only; the end date counts in full.
    let november = Filter {
        from: Some(date!(2026 - 11 - 01)),
        to: Some(date!(2026 - 11 - 30)),
        ..every.clone()
    };
    let rows = open_pipeline(&mut conn, &november).await.unwrap();
    assert_eq!(rows.iter().map(|g| g.deals).sum::<i64>(), 4);
    let to_19th = Filter {
        to: Some(date!(2026 - 11 - 19)),
        ..november.clone()
    };
    let rows = open_pipeline(&mut conn, &to_19th).await.unwrap();
    assert_eq!(
        rows.iter()
            .find(|g| g.stage == "registered")
            .map(|g| (g.deals, g.value)),
        Some((1, d(800))),
        "the 20th's registration is after the range"
    );
    let integrators = Filter {
        program_id: Some(program_id(&mut conn, "integrators").await),
        ..every.clone()
    };
    assert_eq!(open_pipeline(&mut conn, &integrators).await.unwrap().len(), 1);
    let si = Filter {
        partner_kind: Some("si".into()),
        ..every.clone()
    };
    assert!(
        open_pipeline(&mut conn, &si).await.unwrap().is_empty(),
        "Orbit has no open deals"
    );
    // An operator who sees only the integrators program (as one limited to its brand would):
    // the resellers' deals are never read, even when they choose that program.
    let integrators_only = Filter {
        in_scope: vec![program_id(&mut conn, "integrators").await],
        ..Filter::default()
    };
    let rows = open_pipeline(&mut conn, &integrators_only).await.unwrap();
    assert_eq!(
        open_rows(&rows),
        [("Integrators", "negotiation", "approved", "EUR", 1, d(5000))]
    );
    let resellers_chosen = Filter {
        program_id: Some(program_id(&mut conn, "resellers").await),
        ..integrators_only.clone()
    };
    assert!(open_pipeline(&mut conn, &resellers_chosen).await.unwrap().is_empty());
    assert!(
        open_pipeline(&mut conn, &Filter::default()).await.unwrap().is_empty(),
        "no scope, nothing"
    );
    assert_eq!(
        sla_by_program(&mut conn, &integrators_only, NOW).await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn partners_are_listed_per_currency_by_open_value() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let every = seed(&mut conn).await;
    let rows = open_by_partner(&mut conn, &every).await.unwrap();
    let seen: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.partner.as_str(),
                r.kind.as_str(),
                r.currency.as_str(),
                r.deals,
                r.value,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Northwind", "reseller", "EUR", 1, d(5000)),
            ("Zeta", "reseller", "USD", 1, d(4000)),
            ("Northwind", "reseller", "USD", 3, d(3800)),
        ]
    );
}

#[tokio::test]
async fn the_forecast_takes_open_deals_closing_in_the_quarter_and_deals_won_in_it() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let every = seed(&mut conn).await;
    // Q4 2026. a3 closes in January; b2 was won in September.
    let rows = forecast(&mut conn, &every, date!(2026 - 10 - 01), date!(2026 - 12 - 31))
        .await
        .unwrap();
    let seen: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.program.as_str(),
                r.stage.as_str(),
                r.currency.as_str(),
                r.deals,
                r.value,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Integrators", "negotiation", "EUR", 1, d(5000)),
            ("Resellers", "qualified", "USD", 1, d(2000)),
            ("Resellers", "registered", "USD", 2, d(1800)),
            ("Resellers", "won", "USD", 1, d(3000)),
        ]
    );
    // The filter's dates don't narrow the forecast.
    let dated = Filter {
        from: Some(date!(2026 - 11 - 15)),
        ..every.clone()
    };
    let same = forecast(&mut conn, &dated, date!(2026 - 10 - 01), date!(2026 - 12 - 31))
        .await
        .unwrap();
    assert_eq!(same, rows);
    let q3 = forecast(&mut conn, &every, date!(2026 - 07 - 01), date!(2026 - 09 - 30))
        .await
        .unwrap();
    assert_eq!(
        q3.iter().map(|r| (r.stage.as_str(), r.value)).collect::<Vec<_>>(),
        [("won", d(7000))]
    );
}

#[tokio::test]
async fn outcomes_per_partner_kind_count_wins_and_losses() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let every = seed(&mut conn).await;
    let rows = outcomes_by_kind(&mut conn, &every).await.unwrap();
    let seen: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.kind.as_str(),
                r.currency.as_str(),
                r.registered,
                r.won,
                r.lost,
                r.won_value,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("reseller", "EUR", 1, 0, 0, d(0)),
            ("reseller", "USD", 5, 0, 1, d(0)),
            ("si", "EUR", 2, 1, 0, d(7000)),
            ("si", "USD", 2, 1, 1, d(3000)),
        ]
    );
}

#[tokio::test]
async fn registrations_are_counted_per_monday_week() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let every = seed(&mut conn).await;
    let weeks = weekly_registrations(&mut conn, &every, date!(2026 - 08 - 31), date!(2026 - 11 - 21))
        .await
        .unwrap();
    assert_eq!(
        weeks,
        [
            (date!(2026 - 08 - 31), 1),
            (date!(2026 - 09 - 07), 1),
            (date!(2026 - 10 - 05), 1),
            (date!(2026 - 10 - 12), 1),
            (date!(2026 - 10 - 26), 1),
            (date!(2026 - 11 - 02), 1),
            (date!(2026 - 11 - 09), 1),
            (date!(2026 - 11 - 16), 2),
        ]
    );
    let si = Filter {
        partner_kind: Some("si".into()),
        ..every.clone()
    };
    let weeks = weekly_registrations(&mut conn, &si, date!(2026 - 08 - 31), date!(2026 - 11 - 21))
        .await
        .unwrap();
    assert_eq!(weeks.iter().map(|(_, n)| n).sum::<i64>(), 3);
}

#[tokio::test]
async fn sla_compliance_compares_each_decision_with_its_programs_hours() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let every = seed(&mut conn).await;
    let rows = sla_by_program(&mut conn, &every, NOW).await.unwrap();
    let seen: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.program.as_str(),
                r.sla_hours,
                r.decided,
                r.decided_on_time,
                r.pending,
                r.pending_overdue,
            )
        })
        .collect();
    // Resellers: a3 was decided after 72 hours, a6 has waited past its 48. Integrators: b2
    // took 48 of 24 hours; b3 was decided at exactly 24, which is on time.
    assert_eq!(seen, [("Integrators", 24, 3, 2, 0, 0), ("Resellers", 48, 5, 4, 2, 1)]);
    let earlier = sla_by_program(&mut conn, &every, datetime!(2026-11-19 08:00 UTC))
        .await
        .unwrap();
    assert_eq!(earlier[1].pending_overdue, 0, "at its deadline a6 is not overdue yet");
}
