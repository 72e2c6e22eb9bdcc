//! Brand scoping of the console's lookups and lists, against two brands: an operator limited to
//! the first brand never finds, lists or counts the second brand's deals, extension requests,
//! MDF requests, proof files, links, commissions or programs, while one who sees every brand
//! finds both; a partner still finds only its own.

use super::testing_ledger::{accrual, other_brand, program_with_partners, scope_of};
use super::{deal_history, deals, ledger, links, mdf_files, mdf_requests, tracking_settings};
use crate::backend::scope::{Scope, Whose};
use crate::backend::testing::TestDb;
use crate::domain::commission::approval::{Stage, State};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::macros::date;
use time::OffsetDateTime;

#[derive(diesel::QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn number(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<N>(conn).await.unwrap().n
}

/// One of everything the console looks up by id, in one program, for one partner.
struct Objects {
    deal: i64,
    request: i64,
    file: i64,
    link: i64,
    commission: i64,
}

async fn objects(conn: &mut AsyncPgConnection, program: i64, partner: i64, tag: &str) -> Objects {
    let now = OffsetDateTime::now_utc();
    let deal = number(
        conn,
        &format!(
            "INSERT INTO deals (program_id, partner_id, company, domain, country, contact_name, contact_email,
                 value, currency, expected_close, submitted_at)
             VALUES ({program}, {partner}, '{tag}', '{tag}.test', 'DE', 'Eve', 'eve@x.test', 100, 'EUR', '2027-01-31', now())
             RETURNING id AS n"
        ),
    )
    .await;
    let operator = number(conn, "SELECT id AS n FROM users WHERE email = 'admin@example.com'").await;
    deal_history::request_extension(conn, deal, 30, "more time", operator, now)
        .await
        .unwrap();
    let fund = number(
        conn,
        &format!(
            "WITH f AS (INSERT INTO mdf_funds (program_id, name, period_start, period_end, claim_days, currency)
                        VALUES ({program}, '{tag} fund', '2026-01-01', '2027-12-31', 30, 'EUR') RETURNING id)
             INSERT INTO mdf_balances (fund_id, partner_id, allocated) SELECT id, {partner}, 1000 FROM f
             RETURNING fund_id AS n"
        ),
    )
    .await;
    let request = mdf_requests::insert(
        conn,
        &mdf_requests::NewRequest {
            fund_id: fund,
            partner_id: partner,
            activity: "webinar".into(),
            description: format!("{tag} webinar"),
            starts_on: date!(2026 - 06 - 01),
            ends_on: date!(2026 - 06 - 01),
            amount: Decimal::from(100),
            expected_outcome: "leads".into(),
            claim_deadline: now + time::Duration::days(30),
            submitted_at: now,
        },
    )
    .await
    .unwrap();
    let claim = mdf_requests::insert_claim(
        conn,
        &mdf_requests::NewClaim {
            request_id: request.id,
            partner_id: partner,
            amount: Decimal::from(50),
            actual_cost: Decimal::from(60),
            leads: 1,
            attendees: 2,
            notes: None,
            submitted_at: now,
        },
    )
    .await
    .unwrap();
    let file = mdf_files::insert(
        conn,
        &mdf_files::NewFile {
            claim_id: claim.id,
            partner_id: partner,
            filename: format!("{tag}.pdf"),
            content_type: "application/pdf".into(),
            size_bytes: 4,
            sha256: vec![0; 32],
            data: b"%PDF".to_vec(),
            uploaded_at: now,
        },
    )
    .await
    .unwrap();
    let link = links::insert(
        conn,
        &links::NewLink {
            program_id: program,
            partner_id: partner,
            code: format!("{tag}link"),
            destination: "https://example.com/".into(),
            campaign: None,
            sub1: None,
            sub2: None,
            sub3: None,
            sub4: None,
            sub5: None,
            is_default: false,
            created_at: now,
        },
    )
    .await
    .unwrap();
    let commission = accrual(conn, program, partner, tag, 40, State::Pending(Stage::Manager), now).await;
    Objects {
        deal,
        request: request.id,
        file,
        link: link.id,
        commission,
    }
}

#[tokio::test]
async fn a_scoped_operator_finds_nothing_of_another_brand() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let (acme, [ada, _]) = program_with_partners(&mut conn).await;
    let (globex, zed) = other_brand(&mut conn).await;
    let ours = objects(&mut conn, acme, ada, "acme").await;
    let theirs = objects(&mut conn, globex, zed, "globex").await;
    let everything = Scope::everything(&mut conn).await.unwrap();
    let acme_only = scope_of(&mut conn, acme).await;

    // By id: found in scope, "not found" outside it, the same as an id that doesn't exist.
    for (scope, objects, found) in [
        (&acme_only, &ours, true),
        (&acme_only, &theirs, false),
        (&everything, &theirs, true),
    ] {
        let what = format!("scope {:?}, deal {}", scope.programs, objects.deal);
        let deal = deals::get_in_scope(&mut conn, scope, objects.deal).await.unwrap();
        assert_eq!(deal.is_some(), found, "{what}");
        let request = mdf_requests::get_in_scope(&mut conn, scope, objects.request)
            .await
            .unwrap();
        assert_eq!(request.is_some(), found, "{what}");
        let file = mdf_files::download(&mut conn, objects.file, Whose::Operator(scope))
            .await
            .unwrap();
        assert_eq!(file.is_some(), found, "{what}");
        assert_eq!(
            links::get_in_scope(&mut conn, scope, objects.link).await.is_ok(),
            found,
            "{what}"
        );
        let entry = ledger::get_in_scope(&mut conn, scope, objects.commission)
            .await
            .unwrap();
        assert_eq!(entry.is_some(), found, "{what}");
        // The locks that decisions take find the same, inside a transaction as a decision runs.
        let locked = conn
            .transaction::<_, diesel::result::Error, _>(async |conn| {
                let deal = deals::lock(conn, objects.deal, Whose::Operator(scope)).await?;
                let request = mdf_requests::lock(conn, objects.request, Whose::Operator(scope)).await?;
                Ok((deal.is_some(), request.is_some()))
            })
            .await
            .unwrap();
        assert_eq!(locked, (found, found), "{what}");
    }

    // A partner still finds only its own, whatever the brand.
    assert!(deals::lock(&mut conn, theirs.deal, Whose::Partner(zed))
        .await
        .unwrap()
        .is_some());
    assert!(deals::lock(&mut conn, theirs.deal, Whose::Partner(ada))
        .await
        .unwrap()
        .is_none());
    let own = mdf_files::download(&mut conn, theirs.file, Whose::Partner(zed))
        .await
        .unwrap();
    assert!(own.is_some());
    let other = mdf_files::download(&mut conn, theirs.file, Whose::Partner(ada))
        .await
        .unwrap();
    assert!(other.is_none());

    // Lists and counts hold only the scope's rows.
    let filter = deals::DealFilter {
        sort: "newest".into(),
        page: 1,
        per_page: 50,
        ..deals::DealFilter::default()
    };
    let listed = deals::list(&mut conn, &acme_only, &filter).await.unwrap();
    assert_eq!(listed.rows.iter().map(|l| l.deal.id).collect::<Vec<_>>(), [ours.deal]);
    let chosen = deals::DealFilter {
        program_id: Some(globex),
        ..filter.clone()
    };
    assert_eq!(deals::list(&mut conn, &acme_only, &chosen).await.unwrap().total, 0);
    assert_eq!(deals::list(&mut conn, &everything, &filter).await.unwrap().total, 2);
    let pending = |counts: Vec<(String, i64)>| counts.iter().map(|(_, n)| n).sum::<i64>();
    assert_eq!(pending(deals::count_by_status(&mut conn, &acme_only).await.unwrap()), 1);
    assert_eq!(
        pending(deals::count_by_status(&mut conn, &everything).await.unwrap()),
        2
    );
    assert_eq!(
        deal_history::pending_extension_count(&mut conn, &acme_only)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        deal_history::pending_extension_count(&mut conn, &everything)
            .await
            .unwrap(),
        2
    );

    use mdf_requests::{ListScope, ListSort};
    let mdf = mdf_requests::list(&mut conn, ListScope::All(&acme_only), ListSort::Newest, 1, 50)
        .await
        .unwrap();
    assert_eq!(mdf.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [ours.request]);
    for scope in [ListScope::WaitingRequests(&everything), ListScope::All(&everything)] {
        let all = mdf_requests::list(&mut conn, scope, ListSort::Newest, 1, 50)
            .await
            .unwrap();
        assert_eq!(all.total, 2, "{scope:?}");
    }
    let partner = mdf_requests::list(&mut conn, ListScope::Partner(zed), ListSort::Newest, 1, 50)
        .await
        .unwrap();
    assert_eq!(partner.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [theirs.request]);

    let programs = tracking_settings::list(&mut conn, &acme_only).await.unwrap();
    assert_eq!(programs.iter().map(|p| p.id).collect::<Vec<_>>(), [acme]);
    assert_eq!(tracking_settings::list(&mut conn, &everything).await.unwrap().len(), 2);
}
