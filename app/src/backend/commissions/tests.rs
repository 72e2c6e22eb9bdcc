//! Database tests of the engine: terms versions in force at the edge of a change, exact
//! recomputation of every stored commission across all models, overrides and their reversals,
//! routing and two-stage approval, concurrent approvers, and SLA reminders.

use super::{approvals, sla, verify};
use crate::api::error::AppError;
use crate::backend::api_v1::{conversions as ingest, refunds};
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::commission_settings::{self, CommissionSettings};
use crate::backend::repos::terms::{self, NewTerms};
use crate::backend::repos::users::{self, Account};
use crate::backend::repos::{coupons, month_totals, plans, sub_partners};
use crate::backend::scope::Scope;
use crate::backend::testing::TestDb;
use crate::backend::tracking::program_cache::ProgramSettings;
use crate::domain::access::OperatorRole;
use crate::domain::commission::approval::{Action, Stage, State};
use crate::domain::commission::plan::*;
use crate::domain::conversion_input;
use diesel::sql_types::BigInt;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::macros::datetime;
use time::OffsetDateTime;

pub(crate) const T0: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub(crate) async fn number(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<N>(conn).await.unwrap().n
}

pub(crate) struct Fixture {
    pub(crate) program: i64,
    /// partner, its master, the master's master
    pub(crate) partner: i64,
    pub(crate) master: i64,
    pub(crate) grand: i64,
}

/// A program in EUR with three active partners; `partner` has coupon SUB, and reports to
/// `master`, who reports to `grand`.
pub(crate) async fn fixture(conn: &mut AsyncPgConnection) -> Fixture {
    let n = |sql: &'static str| sql;
    let program = number(
        conn,
        n("WITH b AS (INSERT INTO brands (name, slug) VALUES ('Acme', 'acme') RETURNING id)
           INSERT INTO programs (brand_id, name, slug, currency, terms) SELECT id, 'Acme', 'acme', 'EUR', 't' FROM b RETURNING id AS n"),
    )
    .await;
    let mut ids = Vec::new();
    for name in ["sub", "master", "grand"] {
        let id = number(
            conn,
            &format!(
                "WITH p AS (INSERT INTO partners (name, email, kind, country) VALUES ('{name}', '{name}@x.test', 'affiliate', 'DE') RETURNING id)
                 INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at)
                 SELECT id, {program}, 'active', 'blog', now() FROM p RETURNING partner_id AS n"
            ),
        )
        .await;
        ids.push(id);
    }
    coupons::insert(conn, program, ids[0], "SUB", T0).await.unwrap();
    sub_partners::set_master(conn, program, ids[0], ids[1], None, T0)
        .await
        .unwrap();
    sub_partners::set_master(conn, program, ids[1], ids[2], None, T0)
        .await
        .unwrap();
    Fixture {
        program,
        partner: ids[0],
        master: ids[1],
        grand: ids[2],
    }
}

pub(crate) fn plan(rules: Vec<Rule>) -> Plan {
    Plan {
        currency: "EUR".into(),
        period: PeriodKind::Month,
        rules,
        cap_per_conversion: None,
        cap_per_period: None,
        override_shares: vec![],
        override_cap: None,
    }
}

pub(crate) fn rule(event: &str, model: Model) -> Rule {
    Rule {
        events: vec![event.into()],
        model,
        recurring: Recurring::Lifetime,
        qualify: Qualification::default(),
    }
}

/// A plan with every model, recurring and qualified rules, caps and two levels of overrides.
pub(crate) fn everything_plan() -> Plan {
    let d = Decimal::from;
    let bands = |a: i64, b: i64| {
        vec![
            Band {
                from: d(0),
                to: Some(d(a)),
                value: d(b),
            },
            Band {
                from: d(a),
                to: None,
                value: d(b + 5),
            },
        ]
    };
    let mut recurring = rule("renewal", Model::Percent { rate: d(30) });
    recurring.recurring = Recurring::Months { months: 2 };
    let mut qualified = rule("signup", Model::Flat { amount: d(3) });
    qualified.qualify = Qualification {
        min_amount: None,
        first_purchase_only: true,
        countries_allowed: vec![],
        countries_denied: vec!["FR".into()],
    };
    let mut everything = plan(vec![
        rule(
            "sale",
            Model::Tiered {
                basis: TierBasis::Revenue,
                mode: TierMode::Marginal,
                pays: TierPays::Percent,
                bands: bands(300, 10),
            },
        ),
        rule(
            "order",
            Model::Tiered {
                basis: TierBasis::Count,
                mode: TierMode::WholePeriod,
                pays: TierPays::Flat,
                bands: bands(3, 4),
            },
        ),
        rule(
            "bet",
            Model::RevShare {
                rate: d(25),
                carryover: true,
            },
        ),
        rule(
            "deposit",
            Model::Hybrid {
                amount: d(2),
                rate: d(10),
                carryover: false,
            },
        ),
        rule("lead", Model::Flat { amount: d(1) }),
        recurring,
        qualified,
    ]);
    everything.cap_per_conversion = Some(d(40));
    everything.cap_per_period = Some(d(400));
    everything.override_shares = vec![d(10), d(5)];
    everything.override_cap = Some(d(12));
    everything
}

pub(crate) async fn give_terms(
    conn: &mut AsyncPgConnection,
    f: &Fixture,
    name: &str,
    plan: &Plan,
    from: OffsetDateTime,
) -> i64 {
    give_terms_to(conn, f, f.partner, name, plan, from).await
}

/// A plan of the fixture's program, and terms on it for one of its partners.
pub(crate) async fn give_terms_to(
    conn: &mut AsyncPgConnection,
    f: &Fixture,
    partner_id: i64,
    name: &str,
    plan: &Plan,
    from: OffsetDateTime,
) -> i64 {
    let row = plans::insert(conn, f.program, name, plan, None, T0)
        .await
        .unwrap()
        .unwrap();
    terms::insert(
        conn,
        &NewTerms {
            program_id: f.program,
            partner_id,
            plan_id: row.id,
            overrides: serde_json::json!({}),
            effective_from: from,
            author_id: None,
            reason: "test",
        },
        T0,
    )
    .await
    .unwrap()
}

pub(crate) async fn sale(
    conn: &mut AsyncPgConnection,
    f: &Fixture,
    order: &str,
    body: serde_json::Value,
) -> ingest::ConversionResult {
    let mut object = serde_json::json!({"order_id": order, "currency": "EUR", "coupon": "SUB"});
    object
        .as_object_mut()
        .unwrap()
        .extend(body.as_object().unwrap().clone());
    let input = conversion_input::from_json(object.to_string().as_bytes()).unwrap();
    let now = input.occurred_at.unwrap_or(T0);
    let settings = ProgramSettings::load(conn, f.program).await.unwrap();
    ingest::ingest(conn, &settings, &input, now).await.unwrap().result
}

pub(crate) fn amount(result: &ingest::ConversionResult) -> Decimal {
    result.commission.as_ref().unwrap().amount.parse().unwrap()
}

#[tokio::test]
async fn a_conversion_at_235959_before_a_change_uses_the_old_terms() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let change = datetime!(2026-03-01 00:00 UTC);
    let v1 = give_terms(
        &mut conn,
        &f,
        "Ten",
        &plan(vec![rule("sale", Model::Percent { rate: 10.into() })]),
        T0,
    )
    .await;
    let v2 = give_terms(
        &mut conn,
        &f,
        "Twenty",
        &plan(vec![rule("sale", Model::Percent { rate: 20.into() })]),
        change,
    )
    .await;
    let before = sale(
        &mut conn,
        &f,
        "A",
        serde_json::json!({"amount": "100", "occurred_at": "2026-02-28T23:59:59Z"}),
    )
    .await;
    let after = sale(
        &mut conn,
        &f,
        "B",
        serde_json::json!({"amount": "100", "occurred_at": "2026-03-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(
        (amount(&before), amount(&after)),
        (Decimal::from(10), Decimal::from(20))
    );
    let last_second = datetime!(2026-02-28 23:59:59 UTC);
    assert_eq!(
        terms::in_force(&conn, f.program, f.partner, last_second)
            .await
            .unwrap()
            .unwrap()
            .id,
        v1
    );
    assert_eq!(
        terms::in_force(&conn, f.program, f.partner, change)
            .await
            .unwrap()
            .unwrap()
            .id,
        v2
    );
    let stored = number(
        &mut conn,
        "SELECT count(DISTINCT terms_version_id) AS n FROM commissions WHERE kind = 'commission'",
    )
    .await;
    assert_eq!(stored, 2, "each commission records the version it used");
}

#[tokio::test]
async fn every_stored_commission_recomputes_to_the_same_amount_across_all_models() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let everything = everything_plan();
    give_terms(&mut conn, &f, "Everything", &everything, T0).await;
    let events = ["sale", "order", "bet", "deposit", "lead", "renewal", "signup"];
    let mut orders = 0;
    for month in 1..=3u8 {
        for (i, event) in events.iter().cycle().take(21).enumerate() {
            orders += 1;
            let body = serde_json::json!({
                "event": event,
                "amount": format!("{}.{:02}", 20 + (i * 37) % 180, (i * 13) % 100),
                "deductions": if *event == "bet" { serde_json::json!({"bonus": format!("{}", (i * 53) % 250)}) } else { serde_json::json!(0) },
                "customer_email": format!("c{}@shop.test", i % 4),
                "country": if i % 5 == 0 { "FR" } else { "DE" },
                "occurred_at": format!("2026-{month:02}-{:02}T{:02}:00:00Z", 1 + i, i % 24),
            });
            sale(&mut conn, &f, &format!("O-{orders}"), body).await;
        }
    }
    let refund = refunds::parse(br#"{"refund_id": "r-1", "amount": "10"}"#).unwrap();
    refunds::refund(&mut conn, f.program, "O-1", &refund, T0).await.unwrap();
    let report = verify::verify(&mut conn, Some(f.program)).await.unwrap();
    assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
    assert_eq!(month_totals::recount_differences(&mut conn).await.unwrap(), 0);
    let stored = number(
        &mut conn,
        "SELECT count(*) AS n FROM commissions WHERE kind IN ('commission', 'override')",
    )
    .await;
    assert_eq!(report.checked as i64, stored);
    assert!(
        number(
            &mut conn,
            "SELECT count(*) AS n FROM commissions WHERE kind = 'override'"
        )
        .await
            > 0
    );
    // Overrides never exceed the cap: 12% of the accrual in all.
    let over_cap = number(
        &mut conn,
        "SELECT count(*) AS n FROM commissions a
         WHERE a.kind = 'commission' AND (SELECT coalesce(sum(o.amount), 0) FROM commissions o
               WHERE o.kind = 'override' AND o.source_id = a.id) > a.amount * 0.12",
    )
    .await;
    assert_eq!(over_cap, 0);
    let negative = number(
        &mut conn,
        "SELECT count(*) AS n FROM commissions WHERE kind <> 'reversal' AND amount < 0",
    )
    .await;
    assert_eq!(negative, 0, "only reversals are negative");
}

#[tokio::test]
async fn a_full_refund_takes_back_the_commission_and_every_override() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    // Approved at once, so that the entries are not all merely pending.
    let settings = CommissionSettings {
        auto_approve_below: Some(Decimal::from(1000)),
        finance_above: None,
        lock_days: 0,
        sla_remind_hours: 24,
        sla_escalate_hours: 72,
        sub_partner_invites: false,
    };
    commission_settings::update(&mut conn, f.program, &settings)
        .await
        .unwrap();
    let mut p = plan(vec![rule(
        "sale",
        Model::Percent {
            rate: Decimal::from(20),
        },
    )]);
    p.override_shares = vec![Decimal::from(10), Decimal::from(5)];
    give_terms(&mut conn, &f, "Overrides", &p, T0).await;
    sale(&mut conn, &f, "R", serde_json::json!({"amount": "99.99"})).await;
    let by_partner =
        |partner: i64| format!("SELECT (sum(amount) * 100)::bigint AS n FROM commissions WHERE partner_id = {partner}");
    assert_eq!(number(&mut conn, &by_partner(f.partner)).await, 2000);
    assert_eq!(
        number(&mut conn, &by_partner(f.master)).await,
        200,
        "10% of the rounded EUR 20.00"
    );
    assert_eq!(number(&mut conn, &by_partner(f.grand)).await, 100);
    for (id, amount) in [("r1", "33.33"), ("r2", "66.66")] {
        let input = refunds::parse(format!(r#"{{"refund_id": "{id}", "amount": "{amount}"}}"#).as_bytes()).unwrap();
        refunds::refund(&mut conn, f.program, "R", &input, T0).await.unwrap();
    }
    for partner in [f.partner, f.master, f.grand] {
        assert_eq!(
            number(&mut conn, &by_partner(partner)).await,
            0,
            "partner {partner} nets to zero"
        );
        // Every entry, the override reversals included, follows the accrual's state, so no
        // standing keeps a remainder (nothing is left pending on its own).
        let balances = crate::backend::repos::ledger::balances(&mut conn, partner, None, T0)
            .await
            .unwrap();
        assert_eq!(balances.len(), 1, "{balances:?}");
        assert_eq!(balances[0].amount, Decimal::ZERO);
    }
}

pub(crate) async fn operator(conn: &mut AsyncPgConnection, email: &str, role: OperatorRole) -> AuthUser {
    let row = users::insert_operator(conn, email, email, role, "h").await.unwrap();
    AuthUser {
        brand_scoped: false,
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        account: Account::Operator(role),
    }
}

async fn routed_program(conn: &mut AsyncPgConnection) -> Fixture {
    let f = fixture(conn).await;
    let settings = CommissionSettings {
        auto_approve_below: Some(Decimal::from(10)),
        finance_above: Some(Decimal::from(100)),
        lock_days: 30,
        sla_remind_hours: 24,
        sla_escalate_hours: 72,
        sub_partner_invites: false,
    };
    commission_settings::update(conn, f.program, &settings).await.unwrap();
    give_terms(
        conn,
        &f,
        "Half",
        &plan(vec![rule(
            "sale",
            Model::Percent {
                rate: Decimal::from(50),
            },
        )]),
        T0,
    )
    .await;
    f
}

async fn latest_state(conn: &mut AsyncPgConnection, order: &str) -> (i64, State) {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        status: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        stage: Option<String>,
    }
    let row: Row = diesel::sql_query(format!(
        "SELECT c.id, d.status, d.stage FROM commissions c JOIN conversions v ON v.id = c.conversion_id
         JOIN commission_decisions d ON d.commission_id = c.id
         WHERE v.order_id = '{order}' AND c.kind = 'commission' ORDER BY d.seq DESC LIMIT 1"
    ))
    .get_result(conn)
    .await
    .unwrap();
    (row.id, State::from_columns(&row.status, row.stage.as_deref()).unwrap())
}

#[tokio::test]
async fn routing_two_stages_and_flags() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = routed_program(&mut conn).await;
    let meta = RequestMeta::default();
    sale(&mut conn, &f, "small", serde_json::json!({"amount": "10"})).await;
    sale(&mut conn, &f, "middle", serde_json::json!({"amount": "100"})).await;
    sale(&mut conn, &f, "large", serde_json::json!({"amount": "1000"})).await;
    assert_eq!(latest_state(&mut conn, "small").await.1, State::Approved);
    assert_eq!(
        latest_state(&mut conn, "middle").await.1,
        State::Pending(Stage::Manager)
    );
    let (large, _) = latest_state(&mut conn, "large").await;
    let manager = operator(&mut conn, "m@x.test", OperatorRole::Manager).await;
    let admin = operator(&mut conn, "a@x.test", OperatorRole::Admin).await;
    let finance = operator(&mut conn, "f@x.test", OperatorRole::Finance).await;
    let decisions_sql = format!("SELECT count(*) AS n FROM commission_decisions WHERE commission_id = {large}");
    let all = Scope::everything(&mut conn).await.unwrap();
    // An operator limited to other brands finds no such commission, and writes nothing.
    let elsewhere = Scope::nothing();
    let hidden = approvals::decide(&mut conn, &admin, &elsewhere, large, &Action::Approve, None, &meta, T0).await;
    assert!(matches!(hidden, Err(AppError::NotFound(_))), "{hidden:?}");
    let refused = approvals::decide(&mut conn, &finance, &all, large, &Action::Approve, None, &meta, T0).await;
    assert!(
        matches!(refused, Err(AppError::Conflict(ref m)) if m.contains("partner manager")),
        "{refused:?}"
    );
    assert_eq!(
        number(&mut conn, &decisions_sql).await,
        1,
        "a refused decision writes nothing"
    );
    let first = approvals::decide(&mut conn, &admin, &all, large, &Action::Approve, Some(1), &meta, T0).await;
    assert_eq!(first.unwrap().state, State::Pending(Stage::Finance));
    let same_person = approvals::decide(&mut conn, &admin, &all, large, &Action::Approve, Some(2), &meta, T0).await;
    assert!(matches!(same_person, Err(AppError::Conflict(ref m)) if m.contains("someone else")));
    let stale = approvals::decide(&mut conn, &finance, &all, large, &Action::Approve, Some(1), &meta, T0).await;
    assert!(matches!(stale, Err(AppError::Conflict(ref m)) if m.contains("decided this commission first")));
    assert_eq!(number(&mut conn, &decisions_sql).await, 2);
    let done = approvals::decide(&mut conn, &finance, &all, large, &Action::Approve, Some(2), &meta, T0).await;
    assert_eq!(done.unwrap().state, State::Approved);
    let audit = number(
        &mut conn,
        "SELECT count(*) AS n FROM audit_events WHERE action = 'commission.approve'",
    )
    .await;
    assert_eq!(audit, 2);
    drop(manager);
    // A flagged partner's commissions go on hold, whatever their size.
    crate::backend::repos::memberships::set_flag(&mut conn, f.program, f.partner, Some("odd traffic"))
        .await
        .unwrap();
    sale(&mut conn, &f, "flagged", serde_json::json!({"amount": "2"})).await;
    assert_eq!(latest_state(&mut conn, "flagged").await.1, State::OnHold);
}

#[tokio::test]
async fn two_approvers_at_once_give_one_decision_and_a_clear_conflict() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = routed_program(&mut conn).await;
    sale(&mut conn, &f, "race", serde_json::json!({"amount": "100"})).await;
    let (id, _) = latest_state(&mut conn, "race").await;
    let one = operator(&mut conn, "one@x.test", OperatorRole::Manager).await;
    let two = operator(&mut conn, "two@x.test", OperatorRole::Manager).await;
    let all = Scope::everything(&mut conn).await.unwrap();
    let mut tasks = Vec::new();
    for (who, action) in [
        (one, Action::Approve),
        (
            two,
            Action::Reject {
                reason: "duplicate order".into(),
            },
        ),
    ] {
        let (pool, all) = (db.pool(), all.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.unwrap();
            approvals::decide(&mut conn, &who, &all, id, &action, Some(1), &RequestMeta::default(), T0).await
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "{outcomes:?}");
    let loser = outcomes.iter().find_map(|o| o.as_ref().err()).unwrap();
    assert!(
        matches!(loser, AppError::Conflict(m) if m.contains("first")),
        "{loser:?}"
    );
    let n = number(
        &mut conn,
        &format!("SELECT count(*) AS n FROM commission_decisions WHERE commission_id = {id}"),
    )
    .await;
    assert_eq!(n, 2, "the routing decision and exactly one approver's");
}

#[tokio::test]
async fn waiting_items_are_reminded_once_and_escalated_once() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = routed_program(&mut conn).await;
    operator(&mut conn, "manager@x.test", OperatorRole::Manager).await;
    operator(&mut conn, "admin@x.test", OperatorRole::Admin).await;
    // A manager limited to another brand hears nothing about this program.
    let elsewhere = operator(&mut conn, "elsewhere@x.test", OperatorRole::Manager).await;
    let other_brand = crate::backend::repos::programs::insert_brand(&mut conn, "Other", "other")
        .await
        .unwrap();
    crate::backend::repos::operators::set_brands(&mut conn, elsewhere.id, true, &[other_brand])
        .await
        .unwrap();
    sale(&mut conn, &f, "slow", serde_json::json!({"amount": "100"})).await;
    let mail = |to: &str| {
        format!("SELECT count(*) AS n FROM email_outbox WHERE to_address = '{to}' AND subject LIKE '%pprov%'")
    };
    let hours = |h: i64| T0 + time::Duration::hours(h);
    assert_eq!(sla::run(&mut conn, "http://t", hours(23)).await.unwrap(), 0);
    assert_eq!(
        sla::run(&mut conn, "http://t", hours(25)).await.unwrap(),
        2,
        "manager and admin reminded"
    );
    assert_eq!(
        sla::run(&mut conn, "http://t", hours(30)).await.unwrap(),
        0,
        "only once"
    );
    assert_eq!(
        sla::run(&mut conn, "http://t", hours(73)).await.unwrap(),
        1,
        "escalated to the admin"
    );
    assert_eq!(sla::run(&mut conn, "http://t", hours(90)).await.unwrap(), 0);
    let sent = (
        number(&mut conn, &mail("manager@x.test")).await,
        number(&mut conn, &mail("admin@x.test")).await,
    );
    assert_eq!(sent, (1, 2));
    assert_eq!(number(&mut conn, &mail("elsewhere@x.test")).await, 0);
}

#[tokio::test]
async fn a_losing_month_is_carried_into_the_next_before_revshare_pays() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let share = plan(vec![rule(
        "bet",
        Model::RevShare {
            rate: Decimal::from(25),
            carryover: true,
        },
    )]);
    give_terms(&mut conn, &f, "Carry", &share, T0).await;
    let bet = |order: &'static str, amount: &str, bonus: &str, at: &str| serde_json::json!({"order_id": order, "event": "bet", "amount": amount, "deductions": {"bonus": bonus}, "occurred_at": at});
    let january = sale(&mut conn, &f, "J", bet("J", "100", "400", "2026-01-10T00:00:00Z")).await;
    let february = sale(&mut conn, &f, "F1", bet("F1", "50", "0", "2026-02-10T00:00:00Z")).await;
    let march = sale(&mut conn, &f, "M1", bet("M1", "500", "0", "2026-03-10T00:00:00Z")).await;
    // January ends at -300; February's +50 leaves -250 to carry; March pays 25% of 500 - 250.
    assert_eq!(amount(&january), Decimal::ZERO);
    assert_eq!(amount(&february), Decimal::ZERO);
    assert_eq!(amount(&march), Decimal::new(6250, 2));
    let report = verify::verify(&mut conn, Some(f.program)).await.unwrap();
    assert!(report.mismatches.is_empty());
}

#[tokio::test]
async fn terms_starting_this_minute_start_now_and_earlier_ones_are_refused() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let admin = operator(&mut conn, "admin@x.test", OperatorRole::Admin).await;
    let flat = plans::insert(
        &mut conn,
        f.program,
        "Flat",
        &plan(vec![rule("sale", Model::Percent { rate: 10.into() })]),
        None,
        T0,
    )
    .await
    .unwrap()
    .unwrap();
    // At 12:00:50 the form's "12:00" (this minute) and "11:59" (a slow submit) both mean now.
    let now = datetime!(2026-03-02 12:00:50 UTC);
    let change = |from| super::terms::TermsChange {
        plan_id: flat.id,
        overrides: Default::default(),
        effective_from: from,
        reason: "Test".into(),
    };
    let meta = RequestMeta::default();
    let apply = async |conn: &mut AsyncPgConnection, from| {
        super::terms::change(
            conn,
            &admin,
            f.program,
            &[f.partner],
            &change(from),
            &meta,
            "http://x",
            now,
        )
        .await
    };
    for from in [datetime!(2026-03-02 12:00 UTC), datetime!(2026-03-02 11:59 UTC)] {
        let ids = apply(&mut conn, from).await.unwrap();
        let history = terms::history(&mut conn, f.program, f.partner).await.unwrap();
        let stored = history.iter().find(|t| t.id == ids[0]).unwrap();
        assert_eq!(stored.effective_from, now);
    }
    let versions = "SELECT count(*) AS n FROM partner_terms";
    let before = number(&mut conn, versions).await;
    let refused = apply(&mut conn, datetime!(2026-03-02 11:58 UTC)).await.unwrap_err();
    assert!(
        format!("{refused:?}").contains("can't start in the past"),
        "{refused:?}"
    );
    assert_eq!(number(&mut conn, versions).await, before, "nothing stored");
}
