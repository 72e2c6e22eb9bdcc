//! The running month totals give the engine exactly what summing the conversions gave before
//! them: every accrual's recorded inputs are checked against the old queries, run over the
//! conversions stored before it. Quarterly periods, a rule of two events, carryover, a period
//! cap, backdated conversions and a conversion without terms all take part.

use super::tests::{fixture, give_terms, number, plan, rule, sale, T0};
use crate::backend::api_v1::refunds;
use crate::backend::repos::month_totals;
use crate::backend::testing::TestDb;
use crate::domain::commission::plan::*;
use crate::domain::commission::{carryover, periods, Inputs};
use diesel::sql_types::{Array, BigInt, Jsonb, Numeric, Text, Timestamptz};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::OffsetDateTime;

#[derive(QueryableByName)]
struct Accrual {
    #[diesel(sql_type = BigInt)]
    conversion_id: i64,
    #[diesel(sql_type = Text)]
    event: String,
    #[diesel(sql_type = Timestamptz)]
    occurred_at: OffsetDateTime,
    #[diesel(sql_type = Jsonb)]
    inputs: serde_json::Value,
}

#[derive(QueryableByName)]
struct OldTotals {
    #[diesel(sql_type = BigInt)]
    count: i64,
    #[diesel(sql_type = Numeric)]
    revenue: Decimal,
    #[diesel(sql_type = Numeric)]
    net: Decimal,
    #[diesel(sql_type = Numeric)]
    paid: Decimal,
    #[diesel(sql_type = Numeric)]
    earned: Decimal,
}

#[derive(QueryableByName)]
struct OldNet {
    #[diesel(sql_type = Numeric)]
    net: Decimal,
}

/// What the engine read before running totals, over the conversions stored before `accrual`.
async fn summed_inputs(
    conn: &mut AsyncPgConnection,
    plan: &Plan,
    program: i64,
    partner: i64,
    accrual: &Accrual,
) -> Inputs {
    let (start, end) = periods::bounds(plan.period, accrual.occurred_at);
    let rule = plan.rule_for(&accrual.event).map(|(_, rule)| rule);
    let events: Vec<String> = rule
        .map(|r| r.events.clone())
        .unwrap_or_else(|| vec![accrual.event.clone()]);
    let totals: OldTotals = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE v.event = ANY($5)) AS count,
                COALESCE(sum(v.amount) FILTER (WHERE v.event = ANY($5)), 0) AS revenue,
                COALESCE(sum(COALESCE(v.amount, 0) - v.deductions) FILTER (WHERE v.event = ANY($5)), 0) AS net,
                COALESCE(sum(c.amount) FILTER (WHERE v.event = ANY($5)), 0) AS paid,
                COALESCE(sum(c.amount), 0) AS earned
         FROM conversions v
         LEFT JOIN commissions c ON c.conversion_id = v.id AND c.kind = 'commission'
         WHERE v.program_id = $1 AND v.partner_id = $2 AND v.occurred_at >= $3 AND v.occurred_at < $4
           AND v.id < $6",
    )
    .bind::<BigInt, _>(program)
    .bind::<BigInt, _>(partner)
    .bind::<Timestamptz, _>(start)
    .bind::<Timestamptz, _>(end)
    .bind::<Array<Text>, _>(&events)
    .bind::<BigInt, _>(accrual.conversion_id)
    .get_result(conn)
    .await
    .unwrap();
    let carries = rule.is_some_and(|r| matches!(r.model, Model::RevShare { carryover: true, .. }));
    let carry_in = if carries {
        let nets: Vec<OldNet> = diesel::sql_query(format!(
            "SELECT date_trunc('{}', occurred_at AT TIME ZONE 'UTC') AS period,
                    sum(COALESCE(amount, 0) - deductions) AS net
             FROM conversions
             WHERE program_id = $1 AND partner_id = $2 AND occurred_at < $3 AND event = ANY($4) AND id < $5
             GROUP BY 1 ORDER BY 1",
            plan.period.as_str()
        ))
        .bind::<BigInt, _>(program)
        .bind::<BigInt, _>(partner)
        .bind::<Timestamptz, _>(start)
        .bind::<Array<Text>, _>(&events)
        .bind::<BigInt, _>(accrual.conversion_id)
        .load(conn)
        .await
        .unwrap();
        carryover::carry_in(&nets.into_iter().map(|n| n.net).collect::<Vec<_>>())
    } else {
        Decimal::ZERO
    };
    let recorded: Inputs = serde_json::from_value(accrual.inputs.clone()).unwrap();
    Inputs {
        period_count_before: totals.count as u64,
        period_revenue_before: totals.revenue,
        period_paid_before: totals.paid,
        period_earned_before: totals.earned,
        period_net_before: totals.net,
        carry_in,
        ..recorded
    }
}

#[tokio::test]
async fn recorded_inputs_equal_the_sums_over_the_conversions_stored_before() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let d = Decimal::from;
    let mut casino = rule(
        "bet",
        Model::RevShare {
            rate: d(25),
            carryover: true,
        },
    );
    casino.events.push("spin".into());
    let mut quarterly = plan(vec![
        casino,
        rule(
            "sale",
            Model::Tiered {
                basis: TierBasis::Count,
                mode: TierMode::WholePeriod,
                pays: TierPays::Flat,
                bands: vec![
                    Band {
                        from: d(0),
                        to: Some(d(3)),
                        value: d(4),
                    },
                    Band {
                        from: d(3),
                        to: None,
                        value: d(9),
                    },
                ],
            },
        ),
        rule("lead", Model::Flat { amount: d(2) }),
    ]);
    quarterly.period = PeriodKind::Quarter;
    quarterly.cap_per_period = Some(d(60));
    give_terms(&mut conn, &f, "Quarterly", &quarterly, T0).await;

    // Out of time order on purpose: later months first, then backdated ones, and one in December
    // 2025, before any terms, which earns nothing but still counts.
    let mut orders = 0;
    for month in [5u8, 2, 7, 1, 4, 2] {
        for (i, event) in ["bet", "spin", "sale", "lead", "sale", "bet"].iter().enumerate() {
            orders += 1;
            let bonus = if *event == "bet" { (orders * 41) % 300 } else { 0 };
            let mut body = serde_json::json!({
                "event": event,
                "deductions": {"bonus": bonus.to_string()},
                "occurred_at": format!("2026-{month:02}-{:02}T10:00:00Z", 3 + i),
            });
            if *event != "lead" {
                body["amount"] = format!("{}.{:02}", 30 + (orders * 17) % 150, orders % 100).into();
            }
            sale(&mut conn, &f, &format!("Q-{orders}"), body).await;
        }
    }
    sale(
        &mut conn,
        &f,
        "before-terms",
        serde_json::json!({"event": "sale", "amount": "80", "occurred_at": "2025-12-20T10:00:00Z"}),
    )
    .await;
    sale(
        &mut conn,
        &f,
        "after",
        serde_json::json!({"event": "sale", "amount": "20", "occurred_at": "2026-01-20T10:00:00Z"}),
    )
    .await;
    let refund = refunds::parse(br#"{"refund_id": "r-1", "amount": "10"}"#).unwrap();
    refunds::refund(&mut conn, f.program, "Q-3", &refund, T0).await.unwrap();

    let accruals: Vec<Accrual> = diesel::sql_query(
        "SELECT v.id AS conversion_id, v.event, v.occurred_at, c.inputs
         FROM commissions c JOIN conversions v ON v.id = c.conversion_id
         WHERE c.kind = 'commission' ORDER BY c.id",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert_eq!(accruals.len(), orders + 1, "every conversion under terms accrued");
    let mut carried = 0;
    for accrual in &accruals {
        let recorded: Inputs = serde_json::from_value(accrual.inputs.clone()).unwrap();
        let summed = summed_inputs(&mut conn, &quarterly, f.program, f.partner, accrual).await;
        assert_eq!(recorded, summed, "conversion {}", accrual.conversion_id);
        carried += usize::from(recorded.carry_in < Decimal::ZERO);
    }
    assert!(
        carried > 0,
        "some accrual carried a loss in, so carryover was exercised"
    );
    assert_eq!(month_totals::recount_differences(&mut conn).await.unwrap(), 0);
    let months = number(&mut conn, "SELECT count(DISTINCT month) AS n FROM partner_month_totals").await;
    assert_eq!(months, 6, "December and five months of 2026");
}
