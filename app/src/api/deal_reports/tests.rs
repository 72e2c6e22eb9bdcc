//! The tables over the repository's ten known deals (see `deal_reports_tests.rs`), with the
//! resellers program's own stage probabilities: weighted values, the forecast, CSV and cards.

use super::build;
use super::tables::{self, DealTable};
use crate::backend::repos::deal_reports::tests::{seed, NOW};
use crate::backend::repos::deal_reports::Filter;
use crate::backend::repos::stage_probabilities;
use crate::backend::testing::TestDb;
use crate::domain::deals::forecast::Probabilities;
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;

async fn seeded_with_probabilities(conn: &mut AsyncPgConnection) {
    seed(conn).await;
    let (program, user) = (program_id(conn).await, operator(conn).await);
    let p = Probabilities {
        registered: Decimal::from(20),
        qualified: Decimal::from(40),
        proposal: Decimal::from(60),
        negotiation: Decimal::from(80),
    };
    stage_probabilities::save(conn, program, &p, user, NOW).await.unwrap();
}

async fn program_id(conn: &mut AsyncPgConnection) -> i64 {
    use crate::backend::schema::programs;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    programs::table
        .filter(programs::slug.eq("resellers"))
        .select(programs::id)
        .first(conn)
        .await
        .unwrap()
}

async fn operator(conn: &mut AsyncPgConnection) -> i64 {
    use crate::domain::access::OperatorRole;
    crate::backend::repos::users::insert_operator(conn, "a@x.test", "A", OperatorRole::Admin, "hash")
        .await
        .unwrap()
        .id
}

async fn csv(conn: &mut AsyncPgConnection, which: DealTable, sort: &str) -> String {
    let every = Filter {
        in_scope: crate::backend::scope::Scope::everything(conn).await.unwrap().programs,
        ..Filter::default()
    };
    let loaded = tables::load(conn, &every, NOW, &[which]).await.unwrap();
    build::sorted(which, &loaded, sort).0.to_csv()
}

#[tokio::test]
async fn stage_and_forecast_tables_weigh_each_program_by_its_own_probabilities() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    seeded_with_probabilities(&mut conn).await;
    assert_eq!(
        csv(&mut conn, DealTable::Stages, "").await,
        "stage,currency,deals,pending,approved,value,weighted_value\r\n\
         Registered,USD,2,2,0,1800.00,360.00\r\n\
         Qualified,USD,1,0,1,2000.00,800.00\r\n\
         Proposal,USD,1,0,1,4000.00,2400.00\r\n\
         Negotiation,EUR,1,0,1,5000.00,3750.00\r\n"
    );
    // Q4 2026: the integrators' deal at the default 75%; the resellers' open deals at 20% and
    // 40%, and a3.com (January) left out; a4.com won in October at 100%.
    assert_eq!(
        csv(&mut conn, DealTable::Forecast, "").await,
        "program,currency,open_deals,open_value,weighted_value,won_value,forecast\r\n\
         Integrators,EUR,1,5000.00,3750.00,0.00,3750.00\r\n\
         Resellers,USD,3,3800.00,1160.00,3000.00,4160.00\r\n"
    );
    assert_eq!(
        csv(&mut conn, DealTable::Programs, "value").await,
        "program,currency,deals,value,weighted_value\r\n\
         Resellers,USD,4,7800.00,3560.00\r\n\
         Integrators,EUR,1,5000.00,3750.00\r\n"
    );
}

#[tokio::test]
async fn the_other_tables_export_what_the_queries_found() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    seed(&mut conn).await;
    assert_eq!(
        csv(&mut conn, DealTable::Kinds, "win_rate").await,
        "partner_kind,currency,registered,won,lost,win_rate,average_won\r\n\
         Systems integrator,EUR,2,1,0,100,7000.00\r\n\
         Systems integrator,USD,2,1,1,50,3000.00\r\n\
         Reseller,USD,5,0,1,0,\r\n\
         Reseller,EUR,1,0,0,,\r\n"
    );
    assert_eq!(
        csv(&mut conn, DealTable::Sla, "").await,
        "program,sla_hours,decided,decided_on_time,compliance,pending,pending_overdue\r\n\
         Integrators,24,3,2,66.7,0,0\r\n\
         Resellers,48,5,4,80,2,1\r\n"
    );
    let velocity = csv(&mut conn, DealTable::Velocity, "").await;
    assert_eq!(velocity.lines().count(), 13, "a header and twelve weeks");
    assert!(velocity.ends_with("2026-11-09,1\r\n2026-11-16,2\r\n"), "{velocity}");
    assert!(velocity.contains("\r\n2026-08-31,1\r\n"), "{velocity}");
}

#[tokio::test]
async fn the_page_pages_sorts_and_sums_per_currency() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let every = seed(&mut conn).await;
    let everything = crate::backend::scope::Scope::everything(&mut conn).await.unwrap();
    let r = build::report(
        &mut conn,
        every,
        "partners_sort=partner&partners_page=2",
        NOW,
        false,
        &everything,
    )
    .await
    .unwrap();
    assert!(r.has_deals);
    assert_eq!(r.quarter, "Q4 2026");
    let cards: Vec<_> = r
        .cards
        .iter()
        .map(|c| (c.label.as_str(), c.values.join(" · ")))
        .collect();
    assert_eq!(
        cards,
        [
            ("Open pipeline", "EUR 5,000.00 · USD 7,800.00".to_owned()),
            ("Forecast Q4 2026", "EUR 3,750.00 · USD 3,680.00".to_owned()),
            ("Win rate", "50%".to_owned()),
            ("Approval SLA", "75%".to_owned()),
        ]
    );
    let partners = &r.sections.iter().find(|s| s.table.id == "partners").unwrap().table;
    assert_eq!(
        (partners.sort.as_str(), partners.page, partners.pages, partners.total),
        ("partner", 1, 1, 3)
    );
    assert_eq!(partners.rows[0][0], "Northwind");
    assert_eq!(partners.rows[2], ["Zeta", "Reseller", "USD", "1", "USD 4,000.00"]);
    assert_eq!(
        partners.csv_href, "/console/reports/deals.csv?table=partners&sort=partner",
        "the export keeps the sort"
    );
    let stages = r.sections.iter().find(|s| s.table.id == "stages").unwrap();
    let chart = stages.chart.as_ref().unwrap();
    assert_eq!(chart.bars[0], ("Registered".to_owned(), vec![2, 0]));
    assert_eq!(chart.bars[3], ("Negotiation".to_owned(), vec![0, 1]));
    assert!(r.probabilities.is_none(), "no program chosen");
    // Bad filters are refused with a message on their field.
    let e = build::filter(&everything, None, Some("wizard".into()), Some("2026-13-01"), None).unwrap_err();
    let errors = e.field_errors().unwrap();
    assert!(errors.get("kind").is_some() && errors.get("dates").is_some());
    // A program outside the operator's scope is as missing as one that doesn't exist.
    let resellers = program_id(&mut conn).await;
    assert!(build::filter(&everything, Some(resellers), None, None, None).is_ok());
    let elsewhere = crate::backend::scope::Scope::nothing();
    let hidden = build::filter(&elsewhere, Some(resellers), None, None, None).unwrap_err();
    assert!(matches!(hidden, crate::api::error::AppError::NotFound(_)), "{hidden:?}");
}
