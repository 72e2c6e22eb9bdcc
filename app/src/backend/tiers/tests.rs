//! Database tests of tiers: a revenue crossing promotes and the next commission uses the tier's
//! plan (and every commission still recomputes exactly), a shortfall warns, then demotes after
//! the grace period, a recovery cancels it, a lock holds, and an evaluation over 1,000 partners
//! gives the same result twice, even run twice at once.

use super::evaluate::{evaluate_program, Summary};
use super::lock::{lock, unlock, LockRequest};
use crate::backend::commissions::tests::{amount, fixture, give_terms, number, operator, plan, rule, sale, Fixture};
use crate::backend::commissions::verify;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::{plans, tiers};
use crate::backend::testing::TestDb;
use crate::domain::access::OperatorRole;
use crate::domain::commission::plan::Model;
use crate::domain::tiers::{Criteria, Ladder, Tier};
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const DAY1: OffsetDateTime = datetime!(2026-01-02 00:00 UTC);

fn tier(name: &str, revenue: i64, plan_id: Option<i64>) -> Tier {
    Tier {
        name: name.into(),
        criteria: Criteria {
            min_revenue: Decimal::from(revenue),
            ..Criteria::default()
        },
        plan_id,
        protection_days: None,
        mdf_share: None,
    }
}

/// Registered (anyone) and Gold (EUR 1,000 in 30 days, paying 20%); everyone starts on a 10%
/// default plan.
async fn gold_ladder(conn: &mut AsyncPgConnection, f: &Fixture) -> i64 {
    give_terms(
        conn,
        f,
        "Base",
        &plan(vec![rule("sale", Model::Percent { rate: 10.into() })]),
        crate::backend::commissions::tests::T0,
    )
    .await;
    let base = plans::list(conn, f.program).await.unwrap()[0].id;
    plans::set_default(conn, f.program, base).await.unwrap();
    let gold = plans::insert(
        conn,
        f.program,
        "Gold",
        &plan(vec![rule("sale", Model::Percent { rate: 20.into() })]),
        None,
        DAY1,
    )
    .await
    .unwrap()
    .unwrap()
    .id;
    let ladder = Ladder {
        window_days: 30,
        grace_days: 30,
        tiers: vec![tier("Registered", 0, None), tier("Gold", 1000, Some(gold))],
    };
    tiers::replace(conn, f.program, &ladder).await.unwrap();
    gold
}

/// A sale of `amount` EUR by the fixture's partner at `at` (RFC 3339).
async fn sale_at(
    conn: &mut AsyncPgConnection,
    f: &Fixture,
    order: &str,
    amount: &str,
    at: &str,
) -> crate::backend::api_v1::conversions::ConversionResult {
    sale(conn, f, order, serde_json::json!({"amount": amount, "occurred_at": at})).await
}

async fn evaluate(conn: &mut AsyncPgConnection, f: &Fixture, now: OffsetDateTime) -> Summary {
    evaluate_program(conn, f.program, None, None, "http://t", now)
        .await
        .unwrap()
}

async fn tier_of(conn: &mut AsyncPgConnection, f: &Fixture) -> Option<String> {
    tiers::state(conn, f.program, f.partner).await.unwrap().unwrap().tier
}

async fn emails_about(conn: &mut AsyncPgConnection, subject: &str) -> i64 {
    number(
        conn,
        &format!("SELECT count(*) AS n FROM email_outbox WHERE subject LIKE '%{subject}%'"),
    )
    .await
}

#[tokio::test]
async fn crossing_a_revenue_threshold_promotes_and_the_next_sale_pays_the_gold_plan() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let gold = gold_ladder(&mut conn, &f).await;

    let placed = evaluate(&mut conn, &f, DAY1).await;
    assert_eq!(
        (placed.evaluated, placed.promoted),
        (3, 3),
        "everyone joins the entry tier"
    );
    assert_eq!(tier_of(&mut conn, &f).await.as_deref(), Some("Registered"));
    assert_eq!(
        emails_about(&mut conn, "You reached").await,
        0,
        "the entry tier is not news"
    );

    let first = sale_at(&mut conn, &f, "A", "1200", "2026-01-02T10:00:00Z").await;
    assert_eq!(amount(&first), Decimal::from(120), "10% before the promotion");
    let promoted = evaluate(&mut conn, &f, DAY1 + Duration::hours(12)).await;
    assert_eq!(promoted.promoted, 1);
    assert_eq!(tier_of(&mut conn, &f).await.as_deref(), Some("Gold"));
    let in_force = crate::backend::repos::terms::in_force(&conn, f.program, f.partner, DAY1 + Duration::hours(13))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(in_force.plan_id, gold);
    assert!(
        in_force.reason.starts_with("Tier change: Registered to Gold."),
        "{}",
        in_force.reason
    );
    assert_eq!(emails_about(&mut conn, "You reached Gold").await, 1);

    let next = sale_at(&mut conn, &f, "B", "100", "2026-01-02T14:00:00Z").await;
    assert_eq!(amount(&next), Decimal::from(20), "the Gold plan pays 20%");
    let report = verify::verify(&mut conn, Some(f.program)).await.unwrap();
    assert_eq!((report.checked, report.mismatches.len()), (2, 0));

    let again = evaluate(&mut conn, &f, DAY1 + Duration::hours(15)).await;
    assert_eq!(
        again,
        Summary {
            evaluated: 3,
            ..Summary::default()
        },
        "nothing moves twice"
    );
    let history = tiers::changes(&mut conn, f.program, Some(f.partner), 10).await.unwrap();
    let kinds: Vec<_> = history
        .iter()
        .map(|c| (c.kind.as_str(), c.to_tier.as_deref()))
        .collect();
    assert_eq!(kinds, [("promoted", Some("Gold")), ("promoted", Some("Registered"))]);
    assert!(history[0].terms_id.is_some());
}

#[tokio::test]
async fn a_shortfall_warns_then_demotes_after_the_grace_period_and_a_recovery_cancels_it() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    gold_ladder(&mut conn, &f).await;
    sale_at(&mut conn, &f, "A", "1500", "2026-01-02T10:00:00Z").await;
    evaluate(&mut conn, &f, DAY1 + Duration::hours(12)).await;
    assert_eq!(tier_of(&mut conn, &f).await.as_deref(), Some("Gold"));

    // The sale leaves the 30-day window: a warning, and Gold stays for the grace period.
    let day40 = DAY1 + Duration::days(40);
    let warned = evaluate(&mut conn, &f, day40).await;
    assert_eq!(warned.warned, 1);
    assert_eq!(tier_of(&mut conn, &f).await.as_deref(), Some("Gold"));
    assert_eq!(emails_about(&mut conn, "needs attention").await, 1);
    assert_eq!(
        evaluate(&mut conn, &f, day40 + Duration::days(29)).await.demoted,
        0,
        "not before the grace ends"
    );

    // A sale inside the grace period brings it back: the demotion is off.
    sale_at(&mut conn, &f, "B", "1000", "2026-02-20T10:00:00Z").await;
    let recovered = evaluate(&mut conn, &f, datetime!(2026-02-21 00:00 UTC)).await;
    assert_eq!(recovered.recovered, 1);
    assert_eq!(emails_about(&mut conn, "You keep Gold").await, 1);

    // Short again, warned again, and demoted when the grace period ends; the default plan returns.
    let warn2 = datetime!(2026-03-30 00:00 UTC);
    assert_eq!(evaluate(&mut conn, &f, warn2).await.warned, 1);
    let demoted = evaluate(&mut conn, &f, warn2 + Duration::days(30)).await;
    assert_eq!(demoted.demoted, 1);
    assert_eq!(tier_of(&mut conn, &f).await.as_deref(), Some("Registered"));
    let default = plans::default_plan_id(&mut conn, f.program).await.unwrap();
    let in_force = crate::backend::repos::terms::in_force(&conn, f.program, f.partner, warn2 + Duration::days(31))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(Some(in_force.plan_id), default, "the Gold rate ends with Gold");
    let report = verify::verify(&mut conn, Some(f.program)).await.unwrap();
    assert!(report.mismatches.is_empty());
}

#[tokio::test]
async fn a_locked_tier_stays_until_unlocked() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    gold_ladder(&mut conn, &f).await;
    evaluate(&mut conn, &f, DAY1).await;
    let admin = operator(&mut conn, "admin@x.test", OperatorRole::Admin).await;
    let meta = RequestMeta {
        request_id: None,
        ip: "127.0.0.1".into(),
    };

    let refused = lock(
        &mut conn,
        &admin,
        &LockRequest {
            program_id: f.program,
            partner_id: f.partner,
            tier: "Platinum",
            reason: "deal",
        },
        &meta,
        "http://t",
        DAY1,
    )
    .await
    .unwrap_err();
    assert!(refused.field_errors().unwrap().get("tier").is_some());
    let no_reason = lock(
        &mut conn,
        &admin,
        &LockRequest {
            program_id: f.program,
            partner_id: f.partner,
            tier: "Gold",
            reason: " ",
        },
        &meta,
        "http://t",
        DAY1,
    )
    .await
    .unwrap_err();
    assert!(no_reason.field_errors().unwrap().get("reason").is_some());
    assert_eq!(
        tier_of(&mut conn, &f).await.as_deref(),
        Some("Registered"),
        "refusals change nothing"
    );

    lock(
        &mut conn,
        &admin,
        &LockRequest {
            program_id: f.program,
            partner_id: f.partner,
            tier: "Gold",
            reason: "Strategic launch partner",
        },
        &meta,
        "http://t",
        DAY1,
    )
    .await
    .unwrap();
    assert_eq!(tier_of(&mut conn, &f).await.as_deref(), Some("Gold"));
    let later = DAY1 + Duration::days(90);
    assert_eq!(
        evaluate(&mut conn, &f, later).await.warned,
        0,
        "a locked tier is left alone"
    );
    assert_eq!(tier_of(&mut conn, &f).await.as_deref(), Some("Gold"));

    unlock(&mut conn, &admin, f.program, f.partner, &meta, "http://t", later)
        .await
        .unwrap();
    assert_eq!(
        evaluate(&mut conn, &f, later).await.warned,
        1,
        "unlocked: short of Gold, so warned"
    );
    let audit = number(
        &mut conn,
        "SELECT count(*) AS n FROM audit_events WHERE action IN ('tier.locked', 'tier.unlocked')",
    )
    .await;
    assert_eq!(audit, 2);
}

#[tokio::test]
async fn an_evaluation_over_1000_partners_gives_the_same_result_twice_even_at_once() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    // 1,000 more partners, with revenue from 0 to 9,990 in the rollups over the last days.
    number(
        &mut conn,
        &format!(
            "WITH p AS (INSERT INTO partners (name, email, kind, country)
                        SELECT 'p' || i, 'p' || i || '@x.test', 'affiliate', 'DE' FROM generate_series(1, 1000) i RETURNING id),
                  m AS (INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at, decided_at)
                        SELECT id, {program}, 'active', 'blog', now(), '2025-06-01' FROM p RETURNING partner_id),
                  s AS (INSERT INTO daily_stats (day, program_id, partner_id, link_id, sub1, revenue, conversions)
                        SELECT '2026-01-01', {program}, partner_id, 0, '', (partner_id % 1000) * 10, partner_id % 7 FROM m RETURNING 1)
             SELECT count(*) AS n FROM s",
            program = f.program
        ),
    )
    .await;
    let ladder = Ladder {
        window_days: 30,
        grace_days: 30,
        tiers: vec![
            tier("Registered", 0, None),
            tier("Silver", 2000, None),
            tier("Gold", 8000, None),
        ],
    };
    tiers::replace(&mut conn, f.program, &ladder).await.unwrap();

    let (mut a, mut b) = (db.conn().await, db.conn().await);
    let (first, second) = tokio::join!(
        evaluate_program(&mut a, f.program, None, None, "http://t", DAY1),
        evaluate_program(&mut b, f.program, None, None, "http://t", DAY1),
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(
        first.promoted + second.promoted,
        1003,
        "each partner placed once between the two runs"
    );
    let snapshot = "SELECT count(*) AS n FROM program_memberships WHERE tier = 'Gold'";
    let gold = number(&mut conn, snapshot).await;
    assert_eq!(gold, 200, "revenue 8,000 to 9,990");
    let history = number(&mut conn, "SELECT count(*) AS n FROM tier_changes").await;

    let again = evaluate(&mut conn, &f, DAY1).await;
    assert_eq!(
        again,
        Summary {
            evaluated: 1003,
            ..Summary::default()
        }
    );
    assert_eq!(number(&mut conn, snapshot).await, gold);
    assert_eq!(
        number(&mut conn, "SELECT count(*) AS n FROM tier_changes").await,
        history
    );
}

#[tokio::test]
async fn a_demotion_gives_back_the_partners_own_negotiated_terms() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    gold_ladder(&mut conn, &f).await;
    let negotiated = give_terms(
        &mut conn,
        &f,
        "Negotiated 15%",
        &plan(vec![rule("sale", Model::Percent { rate: 15.into() })]),
        DAY1,
    )
    .await;
    let negotiated_plan = crate::backend::repos::terms::get(&mut conn, negotiated)
        .await
        .unwrap()
        .plan_id;
    sale_at(&mut conn, &f, "A", "1500", "2026-01-02T10:00:00Z").await;
    evaluate(&mut conn, &f, DAY1 + Duration::hours(12)).await;
    assert_eq!(tier_of(&mut conn, &f).await.as_deref(), Some("Gold"));

    let gone = DAY1 + Duration::days(40);
    evaluate(&mut conn, &f, gone).await;
    assert_eq!(evaluate(&mut conn, &f, gone + Duration::days(30)).await.demoted, 1);
    let in_force = crate::backend::repos::terms::in_force(&conn, f.program, f.partner, gone + Duration::days(31))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        in_force.plan_id, negotiated_plan,
        "the negotiated plan, not the default"
    );
}

#[tokio::test]
async fn a_tiers_deal_protection_days_replace_the_programs_and_only_for_its_members() {
    use crate::backend::repos::{deal_catalogue, memberships};
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let program_days = deal_catalogue::settings(&mut conn, f.program)
        .await
        .unwrap()
        .deal_protection_days;
    let ladder = Ladder {
        window_days: 30,
        grace_days: 30,
        tiers: vec![
            tier("Registered", 0, None),
            Tier {
                protection_days: Some(program_days + 30),
                ..tier("Gold", 1000, None)
            },
        ],
    };
    tiers::replace(&mut conn, f.program, &ladder).await.unwrap();
    for (partner, held) in [
        (f.partner, Some("Gold")),
        (f.master, Some("Registered")),
        (f.grand, None),
    ] {
        memberships::set_tier(&mut conn, f.program, partner, held)
            .await
            .unwrap();
    }
    for (partner, expected, why) in [
        (f.partner, program_days + 30, "Gold gives its own"),
        (f.master, program_days, "a tier without days: the program's"),
        (f.grand, program_days, "no tier: the program's"),
    ] {
        let days = deal_catalogue::protection_days(&mut conn, f.program, partner)
            .await
            .unwrap();
        assert_eq!(days, expected, "{why}");
    }
}
