//! Payout runs against a real PostgreSQL: what a run pays and holds back, maker-checker,
//! two runs at once paying each entry once, a failed item returning exactly its entries,
//! gapless invoice numbers under concurrency and rollback, the SEPA file parsed back, exports
//! without account numbers, settlement files checked whole, and MDF claims paid with the item.

use super::details::{self, Saver};
use super::runs::{self, RunRequest};
use super::settle::{self, Settlement};
use super::{files, Finance};
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::data_key::DataKey;
use crate::backend::flows::RequestMeta;
use crate::backend::mdf::tests as mdf_fixture;
use crate::backend::repos::audit::Actor;
use crate::backend::repos::payout_runs as repo;
use crate::backend::repos::testing_ledger;
use crate::backend::scope::Scope;
use crate::backend::settings::Settings;
use crate::backend::testing::TestDb;
use crate::domain::access::OperatorRole;
use crate::domain::commission::approval::State;
use crate::domain::payouts::exports::Format;
use crate::domain::payouts::method::MethodForm;
use crate::domain::payouts::settlement::{Line, Outcome};
use crate::domain::payouts::tax::TaxFormInput;
use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::{Duration, OffsetDateTime};

const IBAN: &str = "DE89370400440532013000";
const BASE: &str = "https://trellis.test";

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn number(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<N>(conn).await.unwrap().n
}

/// Rows that a refused action must leave as they were.
async fn footprint(conn: &mut AsyncPgConnection) -> [i64; 6] {
    let mut counts = [0; 6];
    for (slot, table) in counts.iter_mut().zip([
        "payout_runs",
        "payout_items",
        "payout_item_entries WHERE NOT released",
        "email_outbox",
        "audit_events",
        "payout_runs WHERE status <> 'draft'",
    ]) {
        *slot = number(conn, &format!("SELECT count(*) AS n FROM {table}")).await;
    }
    counts
}

fn key() -> DataKey {
    DataKey::from_base64(&DataKey::generate()).unwrap()
}

fn meta() -> RequestMeta {
    RequestMeta {
        request_id: None,
        ip: "127.0.0.1".into(),
    }
}

async fn finance_user(conn: &mut AsyncPgConnection, email: &str) -> AuthUser {
    mdf_fixture::operator_of(conn, email, OperatorRole::Finance).await
}

fn fin<'a>(user: &'a AuthUser, scope: &'a Scope, meta: &'a RequestMeta) -> Finance<'a> {
    Finance {
        user,
        scope,
        meta,
        base_url: BASE,
        now: OffsetDateTime::now_utc(),
    }
}

/// Gives the partner a payout method and a W-8BEN (a US partner gets a W-9).
async fn ready_to_be_paid(conn: &mut AsyncPgConnection, key: &DataKey, partner_id: i64, method: MethodForm, us: bool) {
    let saver = Saver {
        partner_id,
        user_id: mdf_fixture::number(conn, "SELECT min(id) AS n FROM users").await,
        actor: Actor::system("test"),
    };
    let settings = Settings {
        data_key: Some(key.clone()),
        ..Settings::for_local(std::env::temp_dir())
    };
    let past = OffsetDateTime::now_utc() - Duration::days(30);
    details::save_method(conn, &settings, &saver, &method, &meta(), past)
        .await
        .unwrap();
    let tax = if us {
        TaxFormInput {
            form: "w9".into(),
            legal_name: "North LLC".into(),
            entity_type: "llc".into(),
            tin: "12-3456789".into(),
            address: "1 Main St, Austin TX".into(),
            country: "US".into(),
            invoice_name: "North LLC".into(),
            invoice_address: "1 Main St, Austin TX".into(),
            ..TaxFormInput::default()
        }
    } else {
        TaxFormInput {
            form: "w8ben".into(),
            legal_name: "Ada Media".into(),
            address: "Hauptstr. 1, Berlin".into(),
            country: "DE".into(),
            treaty_article: "Article 7".into(),
            invoice_name: "Ada Media".into(),
            invoice_address: "Hauptstr. 1, Berlin".into(),
            ..TaxFormInput::default()
        }
    };
    details::save_tax(conn, &settings, &saver, &tax, &meta(), past)
        .await
        .unwrap();
}

fn sepa(holder: &str) -> MethodForm {
    MethodForm {
        currency: "EUR".into(),
        kind: "sepa".into(),
        account_holder: holder.into(),
        iban: IBAN.into(),
        bic: "COBADEFFXXX".into(),
        ..MethodForm::default()
    }
}

struct World {
    program: i64,
    ada: i64,
    bob: i64,
    brand: i64,
    maker: AuthUser,
    checker: AuthUser,
    scope: Scope,
    key: DataKey,
}

/// Acme's EUR program: Ada (SEPA details, W-8BEN) is owed 60 + 40 payable; Bob (no details)
/// 80 payable; and each has one accrual still in its lock period, which no run may take.
async fn world(conn: &mut AsyncPgConnection) -> World {
    let (program, [ada, bob]) = testing_ledger::program_with_partners(conn).await;
    let key = key();
    ready_to_be_paid(conn, &key, ada, sepa("Ada Media GmbH"), false).await;
    let long_ago = OffsetDateTime::now_utc() - Duration::days(40);
    testing_ledger::accrual(conn, program, ada, "A-1", 60, State::Approved, long_ago).await;
    testing_ledger::accrual(conn, program, ada, "A-2", 40, State::Approved, long_ago).await;
    testing_ledger::accrual(conn, program, bob, "B-1", 80, State::Approved, long_ago).await;
    let recent = OffsetDateTime::now_utc() - Duration::days(1);
    testing_ledger::accrual(conn, program, ada, "A-3", 500, State::Approved, recent).await;
    testing_ledger::accrual(
        conn,
        program,
        bob,
        "B-2",
        90,
        State::Pending(crate::domain::commission::approval::Stage::Manager),
        long_ago,
    )
    .await;
    let brand = mdf_fixture::number(
        conn,
        &format!("SELECT brand_id AS n FROM programs WHERE id = {program}"),
    )
    .await;
    World {
        program,
        ada,
        bob,
        brand,
        maker: finance_user(conn, "maker@x.test").await,
        checker: finance_user(conn, "checker@x.test").await,
        scope: Scope::everything(conn).await.unwrap(),
        key,
    }
}

fn today() -> time::Date {
    OffsetDateTime::now_utc().date()
}

async fn make_run(conn: &mut AsyncPgConnection, w: &World, who: &AuthUser) -> runs::Made {
    let meta = meta();
    let request = RunRequest {
        brand_id: Some(w.brand),
        as_of: today(),
    };
    runs::create(conn, &fin(who, &w.scope, &meta), &request).await.unwrap()
}

/// Item amounts that differ from the sum of their entries (must be none).
async fn unbalanced_items(conn: &mut AsyncPgConnection) -> i64 {
    number(
        conn,
        "SELECT count(*) AS n FROM payout_items i
         WHERE i.amount <> (SELECT sum(e.amount) FROM payout_item_entries e WHERE e.item_id = i.id)
            OR i.entries <> (SELECT count(*) FROM payout_item_entries e WHERE e.item_id = i.id)",
    )
    .await
}

#[tokio::test]
async fn a_run_pays_ready_partners_and_holds_the_rest_back_with_reasons() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let w = world(conn).await;
    let made = make_run(conn, &w, &w.maker).await;
    assert_eq!((made.items, made.skips, made.entries), (1, 1, 3));
    let items = repo::items_of_run(conn, made.run_id).await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].partner_id, items[0].amount), (w.ada, Decimal::from(100)));
    assert_eq!(items[0].entries, 2, "the accrual still in its lock period waits");
    assert_eq!(unbalanced_items(conn).await, 0);
    let skipped = number(
        conn,
        &format!(
            "SELECT count(*) AS n FROM payout_skips WHERE partner_id = {} AND reason = 'no_details' AND amount = 80",
            w.bob
        ),
    )
    .await;
    assert_eq!(skipped, 1, "Bob has no payout details");

    // A second run finds nothing new for Ada: her entries are in the first run's item.
    let again = make_run(conn, &w, &w.maker).await;
    assert_eq!((again.items, again.skips), (0, 1), "only Bob's balance, skipped again");
}

#[tokio::test]
async fn the_minimum_holds_small_balances_and_clawbacks_hold_negative_ones() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let w = world(conn).await;
    diesel::sql_query(format!(
        "INSERT INTO payout_settings (program_id, minimum_payout) VALUES ({}, 150)",
        w.program
    ))
    .execute(conn)
    .await
    .unwrap();
    let made = make_run(conn, &w, &w.maker).await;
    assert_eq!(made.items, 0);
    let reason: Vec<Reason> = diesel::sql_query(format!(
        "SELECT reason, detail FROM payout_skips WHERE partner_id = {}",
        w.ada
    ))
    .load(conn)
    .await
    .unwrap();
    assert_eq!(reason[0].reason, "below_minimum");
    assert!(
        reason[0].detail.contains("EUR 100.00") && reason[0].detail.contains("EUR 150.00"),
        "{}",
        reason[0].detail
    );

    // A clawback bigger than what Ada is owed: nothing is paid, and the balance shows why.
    runs::discard(conn, &fin(&w.maker, &w.scope, &meta()), made.run_id)
        .await
        .unwrap();
    diesel::sql_query(format!(
        "UPDATE payout_settings SET minimum_payout = 0 WHERE program_id = {}",
        w.program
    ))
    .execute(conn)
    .await
    .unwrap();
    let admin = mdf_fixture::number(conn, "SELECT id AS n FROM users WHERE email = 'admin@example.com'").await;
    let long_ago = OffsetDateTime::now_utc() - Duration::days(35);
    testing_ledger::adjustment(
        conn,
        (w.program, w.ada),
        -130,
        (admin, "refund after payout"),
        State::Approved,
        long_ago,
    )
    .await;
    let made = make_run(conn, &w, &w.maker).await;
    assert_eq!(made.items, 0, "a negative balance gets no payout");
    let reason: Vec<Reason> = diesel::sql_query(format!(
        "SELECT reason, detail FROM payout_skips WHERE run_id = {} AND partner_id = {}",
        made.run_id, w.ada
    ))
    .load(conn)
    .await
    .unwrap();
    assert_eq!(reason[0].reason, "negative_balance");
    assert!(reason[0].detail.contains("-EUR 30.00"), "{}", reason[0].detail);
}

#[derive(QueryableByName)]
struct Reason {
    #[diesel(sql_type = Text)]
    reason: String,
    #[diesel(sql_type = Text)]
    detail: String,
}

#[tokio::test]
async fn a_second_person_approves_once_and_nobody_approves_their_own_run() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let w = world(conn).await;
    let made = make_run(conn, &w, &w.maker).await;
    let meta = meta();
    let before = footprint(conn).await;
    let own = runs::approve(conn, &fin(&w.maker, &w.scope, &meta), made.run_id).await;
    assert!(
        matches!(own, Err(AppError::Conflict(ref m)) if m.contains("someone else")),
        "{own:?}"
    );
    let item = repo::items_of_run(conn, made.run_id).await.unwrap()[0].id;
    let paid = Settlement::Paid {
        paid_on: today().to_string(),
        bank_reference: "B-1".into(),
    };
    let early = settle::settle_one(conn, &fin(&w.checker, &w.scope, &meta), made.run_id, item, &paid).await;
    assert!(
        matches!(early, Err(AppError::Conflict(ref m)) if m.contains("isn't approved")),
        "{early:?}"
    );
    let manager = mdf_fixture::operator_of(conn, "manager@x.test", OperatorRole::Manager).await;
    let viewer = mdf_fixture::operator_of(conn, "viewer@x.test", OperatorRole::Viewer).await;
    for outsider in [&manager, &viewer] {
        let refused = runs::approve(conn, &fin(outsider, &w.scope, &meta), made.run_id).await;
        assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
        let request = RunRequest {
            brand_id: None,
            as_of: today(),
        };
        assert!(matches!(
            runs::create(conn, &fin(outsider, &w.scope, &meta), &request).await,
            Err(AppError::Forbidden)
        ));
    }
    let tomorrow = RunRequest {
        brand_id: None,
        as_of: today() + Duration::days(1),
    };
    let future = runs::create(conn, &fin(&w.maker, &w.scope, &meta), &tomorrow).await;
    assert!(
        matches!(future, Err(AppError::Invalid(ref e)) if e.get("as_of").is_some()),
        "{future:?}"
    );
    assert_eq!(footprint(conn).await, before, "refusals change nothing");

    runs::approve(conn, &fin(&w.checker, &w.scope, &meta), made.run_id)
        .await
        .unwrap();
    let before = footprint(conn).await;
    let second = runs::approve(conn, &fin(&w.checker, &w.scope, &meta), made.run_id).await;
    assert!(
        matches!(second, Err(AppError::Conflict(ref m)) if m.contains("approved already")),
        "{second:?}"
    );
    let discard = runs::discard(conn, &fin(&w.checker, &w.scope, &meta), made.run_id).await;
    assert!(
        matches!(discard, Err(AppError::Conflict(_))),
        "an approved run is locked"
    );
    assert_eq!(footprint(conn).await, before);
    let audits = number(
        conn,
        "SELECT count(*) AS n FROM audit_events WHERE action LIKE 'payout_run.%'",
    )
    .await;
    assert_eq!(audits, 2, "made and approved");
}

#[tokio::test]
async fn two_runs_at_once_pay_each_entry_once() {
    let db = TestDb::new().await;
    let pool = db.pool();
    let w = {
        let conn = &mut *db.conn().await;
        let w = world(conn).await;
        // Bob gets details too, so both partners have something to pay.
        ready_to_be_paid(conn, &w.key, w.bob, sepa("Bob Deals"), false).await;
        w
    };
    let attempts = [&w.maker, &w.checker].map(|who| {
        let pool = pool.clone();
        let (scope, brand) = (w.scope.clone(), w.brand);
        let who = who.clone();
        tokio::spawn(async move {
            let mut conn = pool.get().await.unwrap();
            let meta = meta();
            let request = RunRequest {
                brand_id: Some(brand),
                as_of: today(),
            };
            runs::create(&mut conn, &fin(&who, &scope, &meta), &request).await
        })
    });
    let mut made = Vec::new();
    for attempt in attempts {
        made.push(attempt.await.unwrap().unwrap());
    }
    let conn = &mut *db.conn().await;
    let items: usize = made.iter().map(|m| m.items).sum();
    assert_eq!(
        items, 2,
        "Ada and Bob are each paid by exactly one of the runs: {made:?}"
    );
    let held = number(conn, "SELECT count(*) AS n FROM payout_item_entries WHERE NOT released").await;
    let distinct = number(
        conn,
        "SELECT count(DISTINCT commission_id) AS n FROM payout_item_entries WHERE NOT released",
    )
    .await;
    assert_eq!((held, distinct), (3, 3), "each payable entry once");
    assert_eq!(unbalanced_items(conn).await, 0);

    // Even with the lock bypassed, the database refuses a second unfailed item for an entry.
    let duplicate = diesel::sql_query(
        "INSERT INTO payout_item_entries (item_id, program_id, commission_id, amount)
         SELECT item_id, program_id, commission_id, amount FROM payout_item_entries LIMIT 1",
    )
    .execute(conn)
    .await;
    assert!(duplicate
        .unwrap_err()
        .to_string()
        .contains("payout_item_entries_one_commission"));
}

#[tokio::test]
async fn a_failed_item_returns_exactly_its_entries_and_the_next_run_pays_them() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let w = world(conn).await;
    let made = make_run(conn, &w, &w.maker).await;
    let meta = meta();
    runs::approve(conn, &fin(&w.checker, &w.scope, &meta), made.run_id)
        .await
        .unwrap();
    let item = repo::items_of_run(conn, made.run_id).await.unwrap()[0].clone();
    let entries_of =
        |item: i64| format!("SELECT count(*) AS n FROM payout_item_entries WHERE item_id = {item} AND NOT released");
    assert_eq!(number(conn, &entries_of(item.id)).await, 2);
    let failed = Settlement::Failed { reason: String::new() };
    let refused = settle::settle_one(conn, &fin(&w.checker, &w.scope, &meta), made.run_id, item.id, &failed).await;
    assert!(matches!(refused, Err(AppError::Invalid(ref e)) if e.get("reason").is_some()));
    let failed = Settlement::Failed {
        reason: "account closed".into(),
    };
    settle::settle_one(conn, &fin(&w.checker, &w.scope, &meta), made.run_id, item.id, &failed)
        .await
        .unwrap();
    assert_eq!(
        number(conn, &entries_of(item.id)).await,
        0,
        "its entries are back in the balance"
    );
    let released = number(
        conn,
        &format!(
            "SELECT count(*) AS n FROM payout_item_entries WHERE item_id = {} AND released",
            item.id
        ),
    )
    .await;
    assert_eq!(released, 2, "exactly its entries");
    let run_status = number(
        conn,
        &format!(
            "SELECT count(*) AS n FROM payout_runs WHERE id = {} AND status = 'complete'",
            made.run_id
        ),
    )
    .await;
    assert_eq!(run_status, 1, "every item settled: the run is complete");
    let told = number(conn, "SELECT count(*) AS n FROM email_outbox WHERE subject LIKE '%didn''t arrive%' AND body_text LIKE '%account closed%'").await;
    assert_eq!(told, 1);

    let next = make_run(conn, &w, &w.maker).await;
    let again = repo::items_of_run(conn, next.run_id).await.unwrap();
    assert_eq!(
        (again.len(), again[0].amount, again[0].entries),
        (1, Decimal::from(100), 2)
    );
}

#[tokio::test]
async fn invoice_numbers_have_no_gaps_after_concurrent_settlement_and_a_rollback() {
    let db = TestDb::new().await;
    let pool = db.pool();
    let conn = &mut *db.conn().await;
    let w = world(conn).await;
    repo::save_brand_settings(conn, w.brand, (Some(IBAN), Some("COBADEFFXXX")), true, "AC-")
        .await
        .unwrap();
    // Six more partners with details and something payable, in the same brand.
    let long_ago = OffsetDateTime::now_utc() - Duration::days(40);
    ready_to_be_paid(conn, &w.key, w.bob, sepa("Bob Deals"), false).await;
    for n in 0..6 {
        let partner = mdf_fixture::number(
            conn,
            &format!(
                "WITH p AS (INSERT INTO partners (name, email, kind, country) VALUES ('P{n}', 'p{n}@x.test', 'creator', 'DE') RETURNING id)
                 INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
                 SELECT id, {}, 'active', 'blog', now() FROM p RETURNING partner_id AS n",
                w.program
            ),
        )
        .await;
        ready_to_be_paid(conn, &w.key, partner, sepa(&format!("P{n}")), false).await;
        testing_ledger::accrual(
            conn,
            w.program,
            partner,
            &format!("P{n}-1"),
            70,
            State::Approved,
            long_ago,
        )
        .await;
    }
    let made = make_run(conn, &w, &w.maker).await;
    assert_eq!(made.items, 8);
    runs::approve(conn, &fin(&w.checker, &w.scope, &meta()), made.run_id)
        .await
        .unwrap();

    // A number taken in a transaction that rolls back is given back.
    let rolled_back = conn
        .transaction::<(), diesel::result::Error, _>(async |conn| {
            repo::take_invoice_number(conn, w.brand).await?;
            Err(diesel::result::Error::RollbackTransaction)
        })
        .await;
    assert!(rolled_back.is_err());

    let items = repo::items_of_run(conn, made.run_id).await.unwrap();
    let tasks: Vec<_> = items
        .iter()
        .map(|item| {
            let (pool, scope, who, run, id) = (pool.clone(), w.scope.clone(), w.checker.clone(), made.run_id, item.id);
            tokio::spawn(async move {
                let mut conn = pool.get().await.unwrap();
                let meta = meta();
                let paid = Settlement::Paid {
                    paid_on: today().to_string(),
                    bank_reference: format!("BANK-{id}"),
                };
                settle::settle_one(&mut conn, &fin(&who, &scope, &meta), run, id, &paid).await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    #[derive(QueryableByName)]
    struct Number {
        #[diesel(sql_type = Text)]
        invoice_number: String,
    }
    let numbers: Vec<Number> =
        diesel::sql_query("SELECT invoice_number FROM payout_items WHERE invoice_number IS NOT NULL ORDER BY 1")
            .load(conn)
            .await
            .unwrap();
    let numbers: Vec<String> = numbers.into_iter().map(|n| n.invoice_number).collect();
    let expected: Vec<String> = (1..=8).map(|n| format!("AC-{n:06}")).collect();
    assert_eq!(numbers, expected, "1 to 8, no gap, no repeat");
}

#[tokio::test]
async fn the_sepa_file_parses_back_as_the_standard_requires_and_is_audited() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let w = world(conn).await;
    ready_to_be_paid(conn, &w.key, w.bob, sepa("Bøb Déals & Söhne <GmbH>"), false).await;
    let made = make_run(conn, &w, &w.maker).await;
    let meta = meta();
    let early = files::sepa_file(
        conn,
        &fin(&w.maker, &w.scope, &meta),
        Some(&w.key),
        made.run_id,
        w.brand,
    )
    .await;
    assert!(matches!(early, Err(AppError::Conflict(ref m)) if m.contains("approved runs only")));
    runs::approve(conn, &fin(&w.checker, &w.scope, &meta), made.run_id)
        .await
        .unwrap();
    let no_account = files::sepa_file(
        conn,
        &fin(&w.maker, &w.scope, &meta),
        Some(&w.key),
        made.run_id,
        w.brand,
    )
    .await;
    assert!(matches!(no_account, Err(AppError::Conflict(ref m)) if m.contains("no account to pay from")));
    repo::save_brand_settings(
        conn,
        w.brand,
        (Some("FR1420041010050500013M02606"), Some("PSSTFRPPXXX")),
        false,
        "SB-",
    )
    .await
    .unwrap();
    let before = number(
        conn,
        "SELECT count(*) AS n FROM audit_events WHERE action = 'payout_run.sepa_downloaded'",
    )
    .await;
    let file = files::sepa_file(
        conn,
        &fin(&w.maker, &w.scope, &meta),
        Some(&w.key),
        made.run_id,
        w.brand,
    )
    .await
    .unwrap();
    let after = number(
        conn,
        "SELECT count(*) AS n FROM audit_events WHERE action = 'payout_run.sepa_downloaded'",
    )
    .await;
    assert_eq!(after, before + 1, "the download is audited");
    let audit_leaks = number(
        conn,
        &format!("SELECT count(*) AS n FROM audit_events a WHERE a::text LIKE '%{IBAN}%'"),
    )
    .await;
    assert_eq!(audit_leaks, 0);

    let doc = roxmltree::Document::parse(&file.body).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "Document");
    assert_eq!(
        root.tag_name().namespace(),
        Some("urn:iso:std:iso:20022:tech:xsd:pain.001.001.03")
    );
    let text = |node: roxmltree::Node, name: &str| -> String {
        node.descendants()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_owned()
    };
    let header = root
        .descendants()
        .find(|n| n.has_tag_name("GrpHdr"))
        .expect("group header");
    for required in ["MsgId", "CreDtTm", "NbOfTxs", "CtrlSum", "InitgPty"] {
        assert!(header.children().any(|n| n.has_tag_name(required)), "GrpHdr/{required}");
    }
    let transactions: Vec<_> = root.descendants().filter(|n| n.has_tag_name("CdtTrfTxInf")).collect();
    assert_eq!(transactions.len(), 2);
    assert_eq!(text(header, "NbOfTxs"), "2");
    let amounts: Vec<String> = transactions.iter().map(|t| text(*t, "InstdAmt")).collect();
    let sum: Decimal = amounts.iter().map(|a| a.parse::<Decimal>().unwrap()).sum();
    assert_eq!(text(header, "CtrlSum"), format!("{sum:.2}"));
    assert_eq!(sum, Decimal::from(180));
    let payment = root.descendants().find(|n| n.has_tag_name("PmtInf")).unwrap();
    assert_eq!(text(payment, "NbOfTxs"), "2");
    assert_eq!(text(payment, "CtrlSum"), "180.00");
    for amount in &amounts {
        let (_, cents) = amount.split_once('.').expect("a decimal point");
        assert_eq!(cents.len(), 2, "two decimals: {amount}");
    }
    let iban_shape = |v: &str| {
        v.len() >= 15
            && v.len() <= 34
            && v[..2].chars().all(|c| c.is_ascii_uppercase())
            && v[2..4].chars().all(|c| c.is_ascii_digit())
            && v[4..].chars().all(|c| c.is_ascii_alphanumeric())
    };
    let bic_shape = |v: &str| {
        (v.len() == 8 || v.len() == 11)
            && v[..6].chars().all(|c| c.is_ascii_uppercase())
            && v[6..].chars().all(|c| c.is_ascii_alphanumeric())
    };
    for node in root.descendants().filter(|n| n.has_tag_name("IBAN")) {
        assert!(iban_shape(node.text().unwrap()), "{:?}", node.text());
    }
    for node in root.descendants().filter(|n| n.has_tag_name("BIC")) {
        assert!(bic_shape(node.text().unwrap()), "{:?}", node.text());
    }
    assert!(
        file.body.contains(IBAN),
        "the bank file is the one place the full IBAN goes"
    );
    for name in ["Nm", "Ustrd", "EndToEndId", "MsgId"] {
        for node in root.descendants().filter(|n| n.has_tag_name(name)) {
            let value = node.text().unwrap_or_default();
            assert!(
                value.chars().all(crate::domain::payouts::sepa::is_sepa_char),
                "{name}: {value:?}"
            );
        }
    }
    assert!(
        file.body.contains("Boeb Deals + Soehne GmbH"),
        "names are transliterated"
    );

    for format in Format::ALL {
        let csv = files::csv(conn, &fin(&w.maker, &w.scope, &meta), made.run_id, format)
            .await
            .unwrap();
        assert!(
            !csv.body.contains(IBAN) && !csv.body.contains("370400440532"),
            "{format:?} holds no account number"
        );
    }
}

#[tokio::test]
async fn a_settlement_file_with_any_problem_applies_nothing_and_a_clean_one_applies_all() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let w = world(conn).await;
    ready_to_be_paid(conn, &w.key, w.bob, sepa("Bob Deals"), false).await;
    let made = make_run(conn, &w, &w.maker).await;
    let meta = meta();
    runs::approve(conn, &fin(&w.checker, &w.scope, &meta), made.run_id)
        .await
        .unwrap();
    let items = repo::items_of_run(conn, made.run_id).await.unwrap();
    let paid = |row: usize, reference: &str, amount: i64| Line {
        row,
        reference: reference.into(),
        amount: Decimal::from(amount),
        outcome: Outcome::Paid {
            paid_on: today(),
            bank_reference: format!("BANK-{row}"),
        },
    };
    let before = footprint(conn).await;
    let bad = [
        paid(2, &items[0].reference, 100),
        paid(3, "TR999-1-1-EUR", 5),
        paid(4, &items[1].reference, 79),
    ];
    let refused = settle::settle_file(conn, &fin(&w.checker, &w.scope, &meta), made.run_id, &bad).await;
    let Err(AppError::Invalid(errors)) = refused else {
        panic!("refused: {refused:?}")
    };
    let message = errors.get("file").unwrap();
    assert!(
        message.contains("Nothing was applied") && message.contains("TR999-1-1-EUR") && message.contains("EUR 79.00"),
        "{message}"
    );
    assert_eq!(footprint(conn).await, before, "nothing applied");

    let failed = Line {
        row: 3,
        reference: items[1].reference.clone(),
        amount: Decimal::from(80),
        outcome: Outcome::Failed {
            reason: "invalid account".into(),
        },
    };
    let (p, f) = settle::settle_file(
        conn,
        &fin(&w.checker, &w.scope, &meta),
        made.run_id,
        &[paid(2, &items[0].reference, 100), failed],
    )
    .await
    .unwrap();
    assert_eq!((p, f), (1, 1));
    let complete = number(
        conn,
        &format!(
            "SELECT count(*) AS n FROM payout_runs WHERE id = {} AND status = 'complete'",
            made.run_id
        ),
    )
    .await;
    assert_eq!(complete, 1);
    let sent = number(
        conn,
        "SELECT count(*) AS n FROM email_outbox WHERE body_text LIKE '%/portal/payouts/statements/%'",
    )
    .await;
    assert_eq!(sent, 1, "the paid partner gets the statement link");
}

#[tokio::test]
async fn an_approved_mdf_claim_is_paid_with_the_item_and_the_balance_shows_it() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let f = mdf_fixture::fixture(conn).await;
    let meta = meta();
    let t0 = mdf_fixture::T0;
    let partner = mdf_fixture::act_as(None, &meta, t0);
    let manager = mdf_fixture::act_as(Some(&f.operator), &meta, t0 + Duration::hours(1));
    let request =
        crate::backend::mdf::requests::submit(conn, &partner, f.partner, f.fund, &mdf_fixture::request_form("800"))
            .await
            .unwrap();
    crate::backend::mdf::requests::decide(
        conn,
        &manager,
        &f.all,
        request.id,
        &crate::backend::mdf::requests::Decision::Approve(mdf_fixture::d(600)),
    )
    .await
    .unwrap();
    let after_event = mdf_fixture::act_as(None, &meta, time::macros::datetime!(2026-05-12 10:00 UTC));
    crate::backend::mdf::claims::file(
        conn,
        &after_event,
        f.partner,
        request.id,
        &mdf_fixture::claim_form("600"),
        &mdf_fixture::proof(),
    )
    .await
    .unwrap();
    let finance = mdf_fixture::act_as(Some(&f.finance), &meta, time::macros::datetime!(2026-05-13 10:00 UTC));
    crate::backend::mdf::claims::decide(
        conn,
        &finance,
        &f.all,
        request.id,
        &crate::backend::mdf::claims::ClaimDecision::Approve(mdf_fixture::d(550)),
    )
    .await
    .unwrap();
    let key = key();
    let paypal = MethodForm {
        currency: "USD".into(),
        kind: "paypal".into(),
        email: "north@x.test".into(),
        ..MethodForm::default()
    };
    ready_to_be_paid(conn, &key, f.partner, paypal, true).await;
    let checker = finance_user(conn, "checker@x.test").await;
    let run = runs::create(
        conn,
        &fin(&f.finance, &f.all, &meta),
        &RunRequest {
            brand_id: None,
            as_of: today(),
        },
    )
    .await
    .unwrap();
    assert_eq!(run.items, 1);
    runs::approve(conn, &fin(&checker, &f.all, &meta), run.run_id)
        .await
        .unwrap();
    let item = repo::items_of_run(conn, run.run_id).await.unwrap()[0].clone();
    assert_eq!((item.amount, item.currency.as_str()), (mdf_fixture::d(550), "USD"));
    let (paypal_csv, ..) = (
        files::csv(conn, &fin(&checker, &f.all, &meta), run.run_id, Format::PayPal)
            .await
            .unwrap(),
    );
    assert!(
        paypal_csv.body.contains("north@x.test,550.00,USD"),
        "{}",
        paypal_csv.body
    );
    let paid = Settlement::Paid {
        paid_on: today().to_string(),
        bank_reference: "PAYPAL-1".into(),
    };
    settle::settle_one(conn, &fin(&checker, &f.all, &meta), run.run_id, item.id, &paid)
        .await
        .unwrap();
    let status = number(
        conn,
        &format!(
            "SELECT count(*) AS n FROM mdf_requests WHERE id = {} AND status = 'paid'",
            request.id
        ),
    )
    .await;
    assert_eq!(status, 1, "the request is paid");
    let paid_column = number(
        conn,
        &format!(
            "SELECT paid::bigint AS n FROM mdf_balances WHERE fund_id = {} AND partner_id = {}",
            f.fund, f.partner
        ),
    )
    .await;
    assert_eq!(paid_column, 550, "the balance's paid column is real");
    let event = number(
        conn,
        "SELECT count(*) AS n FROM mdf_events WHERE kind = 'paid' AND amount = 550",
    )
    .await;
    assert_eq!(event, 1);
}

/// A scoped operator of another brand sees no run of this one.
#[tokio::test]
async fn runs_of_other_brands_are_not_found() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let w = world(conn).await;
    let made = make_run(conn, &w, &w.maker).await;
    let (other_program, _) = testing_ledger::other_brand(conn).await;
    let other_scope = testing_ledger::scope_of(conn, other_program).await;
    let outsider = AuthUser {
        brand_scoped: true,
        ..w.checker.clone()
    };
    let meta = meta();
    let refused = runs::approve(conn, &fin(&outsider, &other_scope, &meta), made.run_id).await;
    assert!(matches!(refused, Err(AppError::NotFound(_))), "{refused:?}");
    let listed = repo::list(conn, &other_scope.brands, 1, 20).await.unwrap();
    assert_eq!(listed.total, 0);
}

/// Two programs of one brand that pay in one currency make one payment; another brand's
/// program pays separately, even for the same partner.
#[tokio::test]
async fn a_partner_is_paid_once_per_brand_and_currency_whatever_the_number_of_programs() {
    let db = TestDb::new().await;
    let conn = &mut *db.conn().await;
    let w = world(conn).await;
    let long_ago = OffsetDateTime::now_utc() - Duration::days(40);
    let second = mdf_fixture::number(
        conn,
        &format!(
            "WITH p AS (INSERT INTO programs (brand_id, name, slug, currency, terms)
                        VALUES ({}, 'Acme Creators', 'acme-creators', 'EUR', 't') RETURNING id)
             INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
             SELECT {}, id, 'active', 'video', now() FROM p RETURNING program_id AS n",
            w.brand, w.ada
        ),
    )
    .await;
    testing_ledger::accrual(conn, second, w.ada, "C-1", 30, State::Approved, long_ago).await;
    let (other_program, _) = testing_ledger::other_brand(conn).await;
    diesel::sql_query(format!(
        "INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
         VALUES ({}, {other_program}, 'active', 'blog', now())",
        w.ada
    ))
    .execute(conn)
    .await
    .unwrap();
    testing_ledger::accrual(conn, other_program, w.ada, "G-1", 70, State::Approved, long_ago).await;
    let meta = meta();
    let all = RunRequest {
        brand_id: None,
        as_of: today(),
    };
    let scope = Scope::everything(conn).await.unwrap();
    let made = runs::create(conn, &fin(&w.maker, &scope, &meta), &all).await.unwrap();
    let mut items: Vec<(i64, Decimal, i32)> = repo::items_of_run(conn, made.run_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.partner_id == w.ada)
        .map(|i| (i.brand_id, i.amount, i.entries))
        .collect();
    items.sort();
    let globex = mdf_fixture::number(
        conn,
        &format!("SELECT brand_id AS n FROM programs WHERE id = {other_program}"),
    )
    .await;
    assert_eq!(
        items,
        vec![(w.brand, Decimal::from(130), 3), (globex, Decimal::from(70), 1)],
        "Acme's two programs in one payment (60 + 40 + 30), Globex's apart"
    );
    assert_eq!(unbalanced_items(conn).await, 0);
}
