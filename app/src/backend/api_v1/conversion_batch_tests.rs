//! Batches against one-at-a-time ingest, on two real databases set up alike: the same
//! conversions (every commission model, overrides, carryover across months, repeat customers,
//! clicks, a bot click, a flagged partner, a partner without terms, unknown coupons, replays,
//! conflicting replays and an order twice in one batch) give the same answers and the same
//! rows, and the batch's accruals recompute exactly. Then the writer under concurrent load, and
//! with every batch failing.

use super::conversion_batch::{self, Item, Outcome};
use super::conversion_writer::{BatchConfig, ConversionWriter};
use super::conversions::{self, Ingested};
use super::ApiError;
use crate::backend::commissions::tests::{
    everything_plan, fixture, give_terms, give_terms_to, number, plan, rule, Fixture, T0,
};
use crate::backend::commissions::verify;
use crate::backend::repos::clicks::{insert_with_rollups, ClickRow};
use crate::backend::repos::{coupons, month_totals};
use crate::backend::testing::TestDb;
use crate::backend::tracking::program_cache::ProgramSettings;
use crate::domain::commission::plan::Model;
use crate::domain::conversion_input::{self, ConversionInput};
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::sync::Arc;
use time::OffsetDateTime;

/// The fixture, the everything plan for its partner, the master with a coupon and no terms,
/// and the grand master flagged with flat terms and a coupon; two stored clicks of the
/// partner, one from a bot.
async fn setup(conn: &mut AsyncPgConnection) -> Fixture {
    let f = fixture(conn).await;
    give_terms(conn, &f, "Everything", &everything_plan(), T0).await;
    coupons::insert(conn, f.program, f.master, "MASTER", T0).await.unwrap();
    coupons::insert(conn, f.program, f.grand, "GRAND", T0).await.unwrap();
    let flat = plan(vec![rule("sale", Model::Flat { amount: 5.into() })]);
    give_terms_to(conn, &f, f.grand, "Flat", &flat, T0).await;
    number(
        conn,
        &format!(
            "WITH u AS (UPDATE program_memberships SET flagged_reason = 'testing' \
             WHERE partner_id = {} RETURNING partner_id) SELECT count(*) AS n FROM u",
            f.grand
        ),
    )
    .await;
    let click = |id: &str, flag: Option<&str>| ClickRow {
        id: id.into(),
        link_id: 7,
        partner_id: f.partner,
        program_id: f.program,
        clicked_at: T0,
        ip: "192.0.2.1".into(),
        user_agent: "test".into(),
        referrer: None,
        sub1: Some("news".into()),
        sub2: None,
        sub3: None,
        sub4: None,
        sub5: None,
        country: Some("NL".into()),
        flag: flag.map(str::to_owned),
        creative_id: None,
    };
    insert_with_rollups(
        conn,
        &[
            click("BatchClickHuman0000001", None),
            click("BatchClickBot000000001", Some("bot")),
        ],
        1,
    )
    .await
    .unwrap();
    f
}

/// The conversions, in arrival order, with the time each arrives.
fn inputs() -> Vec<(ConversionInput, OffsetDateTime)> {
    let events = ["sale", "order", "bet", "deposit", "lead", "renewal", "signup"];
    let mut bodies = Vec::new();
    for i in 0..63usize {
        // Months interleave, so one batch accrues into several months and carries over.
        let month = 1 + (i * 5) % 3;
        let event = events[i % events.len()];
        let mut body = serde_json::json!({
            "order_id": format!("O-{i}"),
            "event": event,
            "currency": "EUR",
            "amount": format!("{}.{:02}", 20 + (i * 37) % 180, (i * 13) % 100),
            "deductions": if event == "bet" { serde_json::json!({"bonus": format!("{}", (i * 53) % 250)}) } else { serde_json::json!(0) },
            "country": if i % 5 == 0 { "FR" } else { "DE" },
            "occurred_at": format!("2026-{month:02}-{:02}T{:02}:00:00Z", 1 + i % 27, i % 24),
        });
        let fields = body.as_object_mut().unwrap();
        let coupon = match i % 12 {
            3 => Some("sub"),
            5 => Some("NOPE"),
            7 => Some("MASTER"),
            9 => Some("GRAND"),
            10 | 11 => None,
            _ => Some("SUB"),
        };
        if let Some(code) = coupon {
            fields.insert("coupon".into(), code.into());
        }
        match i % 12 {
            10 => fields.insert("click_id".into(), "BatchClickHuman0000001".into()),
            11 => fields.insert("click_id".into(), "BatchClickBot000000001".into()),
            _ => None,
        };
        if i % 3 != 2 {
            fields.insert("customer_email".into(), format!("c{}@shop.test", i % 5).into());
        }
        bodies.push(body);
        if i % 8 == 4 {
            // The merchant retries at once: the same order twice in a row.
            bodies.push(bodies[bodies.len() - 1].clone());
        }
        if i % 9 == 8 {
            // A later retry of an older order, and one with a different amount (a conflict).
            bodies.push(bodies[i / 2].clone());
            let mut changed = bodies[i / 3].clone();
            changed["amount"] = "1.00".into();
            bodies.push(changed);
        }
    }
    bodies
        .into_iter()
        .map(|body| {
            let input = conversion_input::from_json(body.to_string().as_bytes()).unwrap();
            let now = input.occurred_at.unwrap_or(T0) + time::Duration::minutes(5);
            (input, now)
        })
        .collect()
}

/// An answer without the conversion's id (ids differ when the batch leaves some for later).
fn answer(result: Result<Ingested, ApiError>) -> Result<(bool, serde_json::Value), ApiError> {
    result.map(|done| {
        let mut json = serde_json::to_value(&done.result).unwrap();
        json.as_object_mut().unwrap().remove("id");
        (done.created, json)
    })
}

#[derive(diesel::QueryableByName)]
struct Rows {
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    t: Option<String>,
}

/// Every row the conversions wrote, as text, keyed by order id instead of row id.
async fn snapshot(conn: &mut AsyncPgConnection) -> Vec<String> {
    let tables = [
        "SELECT concat_ws('|', order_id, event, amount, partner_id, link_id, attribution, attribution_note, \
         occurred_at, received_at, deductions, country, sub1, creative_id, request::text) AS x FROM conversions",
        "SELECT concat_ws('|', v.order_id, c.kind, c.partner_id, c.amount, c.currency, c.explanation, \
         c.terms_version_id, c.inputs::text, c.level, c.payable_at, c.created_at, s.kind) AS x \
         FROM commissions c JOIN conversions v ON v.id = c.conversion_id LEFT JOIN commissions s ON s.id = c.source_id",
        "SELECT concat_ws('|', v.order_id, c.kind, c.partner_id, d.seq, d.status, d.stage, d.reason, d.created_at) AS x \
         FROM commission_decisions d JOIN commissions c ON c.id = d.commission_id JOIN conversions v ON v.id = c.conversion_id",
        "SELECT concat_ws('|', program_id, partner_id, month, event, conversions, revenue, net, commission) AS x \
         FROM partner_month_totals",
        "SELECT concat_ws('|', day, program_id, partner_id, link_id, sub1, creative_id, shard, clicks, unique_clicks, \
         conversions, revenue, commission) AS x FROM daily_stats",
        "SELECT concat_ws('|', b.program_id, b.customer_key, b.partner_id, v.order_id, b.created_at) AS x \
         FROM customer_bindings b JOIN conversions v ON v.id = b.conversion_id",
    ];
    let mut all = Vec::new();
    for sql in tables {
        let rows: Rows = diesel::sql_query(format!("SELECT string_agg(x, E'\\n' ORDER BY x) AS t FROM ({sql}) r"))
            .get_result(conn)
            .await
            .unwrap();
        all.push(rows.t.unwrap_or_default());
    }
    all
}

/// Ingests the inputs one at a time on `a`, and on `b` in batches of up to `size` the way a
/// writer does (a batch that ends early starts the next one; what it leaves alone is ingested
/// on its own after it commits), then asserts equal answers and equal rows. Returns how many
/// the batches left alone.
async fn compare(
    a: &mut AsyncPgConnection,
    b: &mut AsyncPgConnection,
    settings: &Arc<ProgramSettings>,
    inputs: &[(ConversionInput, OffsetDateTime)],
    size: usize,
) -> usize {
    let mut expected = Vec::new();
    for (input, now) in inputs {
        expected.push(answer(conversions::ingest(a, settings, input, *now).await));
    }
    let (mut got, mut left_alone, mut next) = (Vec::new(), 0, 0);
    while next < inputs.len() {
        let chunk = &inputs[next..(next + size).min(inputs.len())];
        let items: Vec<Item> = chunk
            .iter()
            .map(|(input, now)| Item {
                settings: settings.clone(),
                input: input.clone(),
                now: *now,
            })
            .collect();
        let outcomes = b
            .transaction::<_, diesel::result::Error, _>(async |conn| conversion_batch::store(conn, &items).await)
            .await
            .unwrap();
        assert!(!outcomes.is_empty(), "a batch stores at least its first conversion");
        next += outcomes.len();
        for (outcome, (input, now)) in outcomes.into_iter().zip(chunk) {
            got.push(match outcome {
                Outcome::Stored(done) => answer(Ok(*done)),
                Outcome::Alone => {
                    left_alone += 1;
                    answer(conversions::ingest(b, settings, input, *now).await)
                }
            });
        }
    }
    assert_eq!(got.len(), expected.len());
    for (i, (got, expected)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(got, expected, "answer {i} differs");
    }
    let (rows_a, rows_b) = (snapshot(a).await, snapshot(b).await);
    for (table, (a, b)) in rows_a.iter().zip(&rows_b).enumerate() {
        for (line_a, line_b) in a.lines().zip(b.lines()) {
            assert_eq!(line_a, line_b, "table {table} differs");
        }
        assert_eq!(a.lines().count(), b.lines().count(), "table {table} differs");
    }
    left_alone
}

#[tokio::test]
async fn batches_store_what_one_at_a_time_stores_and_answer_the_same() {
    let inputs = inputs();
    let (one, batched) = (TestDb::new().await, TestDb::new().await);
    let (mut a, mut b) = (one.conn().await, batched.conn().await);
    let f = setup(&mut a).await;
    setup(&mut b).await;
    let settings = Arc::new(ProgramSettings::load(&mut a, f.program).await.unwrap());
    let left_alone = compare(&mut a, &mut b, &settings, &inputs, 9).await;
    // Only replays and conflicts (22 of the inputs) are answered on their own.
    assert_eq!(left_alone, 22);
    for table in snapshot(&mut b).await {
        assert!(!table.is_empty(), "every table has rows");
    }
    let overrides = number(&mut b, "SELECT count(*) AS n FROM commissions WHERE kind = 'override'").await;
    let held = number(
        &mut b,
        "SELECT count(*) AS n FROM commission_decisions WHERE status = 'on_hold'",
    )
    .await;
    assert!(overrides > 0 && held > 0, "overrides {overrides}, held {held}");
    assert_recomputes(&mut b, f.program).await;
}

/// Every accrual recomputes exactly from its recorded inputs, and the month totals match a
/// recount of the conversions.
async fn assert_recomputes(conn: &mut AsyncPgConnection, program_id: i64) {
    let report = verify::verify(conn, Some(program_id)).await.unwrap();
    assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
    assert_eq!(month_totals::recount_differences(conn).await.unwrap(), 0);
}

/// Starts a writer and sends every input through it at once; the answers, in input order.
async fn send_at_once(
    db: &TestDb,
    program_id: i64,
    writers: usize,
    max_batch: usize,
    inputs: Vec<(ConversionInput, OffsetDateTime)>,
) -> Vec<Result<Ingested, ApiError>> {
    let settings = Arc::new(ProgramSettings::load(&mut *db.conn().await, program_id).await.unwrap());
    let pool = db.pool();
    let config = BatchConfig {
        queue: 1_000,
        max_batch,
        writers,
    };
    let writer = ConversionWriter::spawn(pool.clone(), config);
    let tasks: Vec<_> = inputs
        .into_iter()
        .map(|(input, now)| {
            let (writer, pool, settings) = (writer.clone(), pool.clone(), settings.clone());
            tokio::spawn(async move { writer.ingest(&pool, settings, input, now).await })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

#[tokio::test]
async fn the_writer_stores_concurrent_conversions_once_each_and_exactly() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = setup(&mut conn).await;
    // Every input twice, at once: one of each pair is stored, the other is a replay.
    let inputs: Vec<_> = inputs().into_iter().chain(inputs()).collect();
    let mut created = 0;
    for answer in send_at_once(&db, f.program, 2, 16, inputs).await {
        match answer {
            Ok(done) => created += usize::from(done.created),
            Err(error) => assert_eq!(error.status, 409, "{error:?}"),
        }
    }
    let orders = number(&mut conn, "SELECT count(DISTINCT order_id) AS n FROM conversions").await;
    let stored = number(&mut conn, "SELECT count(*) AS n FROM conversions").await;
    assert_eq!((created as i64, stored), (orders, orders));
    let accruals = number(
        &mut conn,
        "SELECT count(*) AS n FROM commissions WHERE kind = 'commission'",
    )
    .await;
    let decided = number(
        &mut conn,
        "SELECT count(DISTINCT commission_id) AS n FROM commission_decisions",
    )
    .await;
    assert!(accruals > 0);
    assert_eq!(decided, accruals, "every accrual has its first decision");
    assert_recomputes(&mut conn, f.program).await;
}

#[tokio::test]
async fn when_batches_fail_every_conversion_is_ingested_on_its_own() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = setup(&mut conn).await;
    // Any statement that stores more than one conversion fails, as a batch might on a bad day.
    for sql in [
        "CREATE FUNCTION refuse_batches() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF (SELECT count(*) FROM stored) > 1 THEN RAISE EXCEPTION 'no batches today'; END IF;
             RETURN NULL;
         END $$",
        "CREATE TRIGGER refuse_batches AFTER INSERT ON conversions REFERENCING NEW TABLE AS stored
         FOR EACH STATEMENT EXECUTE FUNCTION refuse_batches()",
    ] {
        diesel::sql_query(sql).execute(&mut conn).await.unwrap();
    }
    let inputs: Vec<_> = inputs().into_iter().take(40).collect();
    let distinct: std::collections::HashSet<String> = inputs.iter().map(|(input, _)| input.order_id.clone()).collect();
    let mut answered = 0;
    for answer in send_at_once(&db, f.program, 1, 64, inputs).await {
        match answer {
            Ok(_) => answered += 1,
            Err(error) => assert_eq!(error.status, 409, "{error:?}"),
        }
    }
    let orders = number(&mut conn, "SELECT count(DISTINCT order_id) AS n FROM conversions").await;
    let stored = number(&mut conn, "SELECT count(*) AS n FROM conversions").await;
    assert!(answered >= orders, "{answered} answered, {orders} orders");
    assert_eq!((stored, orders), (distinct.len() as i64, distinct.len() as i64));
    assert_recomputes(&mut conn, f.program).await;
}

#[tokio::test]
async fn a_repeat_customer_ends_the_batch_so_later_sales_accrue_after_it() {
    // Three orders for one partner in one month, on a plan whose band depends on the month's
    // count: the second repeats the first's customer, so the third must count both before it.
    let (one, batched) = (TestDb::new().await, TestDb::new().await);
    let (mut a, mut b) = (one.conn().await, batched.conn().await);
    let f = setup(&mut a).await;
    setup(&mut b).await;
    let settings = Arc::new(ProgramSettings::load(&mut a, f.program).await.unwrap());
    let inputs: Vec<_> = [("X1", "c1"), ("X2", "c1"), ("X3", "c2")]
        .into_iter()
        .map(|(order, customer)| {
            let body = serde_json::json!({
                "order_id": order, "event": "order", "amount": "50", "currency": "EUR", "coupon": "SUB",
                "customer_email": format!("{customer}@shop.test"), "occurred_at": "2026-02-10T10:00:00Z",
            });
            (conversion_input::from_json(body.to_string().as_bytes()).unwrap(), T0)
        })
        .collect();
    assert_eq!(compare(&mut a, &mut b, &settings, &inputs, 3).await, 0);
    let third = number(
        &mut b,
        "SELECT (c.inputs->>'period_count_before')::bigint AS n FROM commissions c \
         JOIN conversions v ON v.id = c.conversion_id WHERE v.order_id = 'X3' AND c.kind = 'commission'",
    )
    .await;
    assert_eq!(third, 2);
}
