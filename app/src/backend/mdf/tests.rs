//! Database tests of MDF: the budget guarantee under concurrent approvals, stored balances
//! equal to the ones recomputed from the requests through a whole life (approve smaller, claim
//! with a file, reject, claim again, approve smaller, lapse, expire), refusals that change
//! nothing, and a deadline job that does its work once.

use super::claims::{self, ClaimDecision, Upload};
use super::requests::{self, Decision};
use super::{deadlines, funds, Act};
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::mdf_funds;
use crate::backend::repos::mdf_requests;
use crate::backend::repos::users::{self, Account};
use crate::backend::scope::Scope;
use crate::backend::testing::TestDb;
use crate::domain::access::OperatorRole;
use crate::domain::mdf::activity::RequestForm;
use crate::domain::mdf::balance::{balance, Balance};
use crate::domain::mdf::claim::ClaimForm;
use crate::domain::mdf::fund::{Target, ValidFund};
use diesel::sql_types::BigInt;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

pub(crate) const T0: OffsetDateTime = datetime!(2026-04-02 09:00 UTC);
const BASE: &str = "https://trellis.test";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub(crate) async fn number(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<N>(conn).await.unwrap().n
}

pub(crate) struct Fixture {
    pub program: i64,
    pub partner: i64,
    pub other: i64,
    pub fund: i64,
    /// A manager (decides requests), finance (decides claims) and an admin (both).
    pub operator: AuthUser,
    pub finance: AuthUser,
    pub admin: AuthUser,
    /// What these operators (who see every brand) may see.
    pub all: Scope,
}

pub(crate) fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

/// A USD program with two active partners and a manager, and a Q2 2026 fund with 30 claim days
/// and 1,000 allocated to `partner`.
pub(crate) async fn fixture(conn: &mut AsyncPgConnection) -> Fixture {
    let program = number(
        conn,
        "WITH b AS (INSERT INTO brands (name, slug) VALUES ('Acme', 'acme') RETURNING id)
         INSERT INTO programs (brand_id, name, slug, currency, terms) SELECT id, 'Resellers', 'resellers', 'USD', 't' FROM b RETURNING id AS n",
    )
    .await;
    let mut ids = Vec::new();
    for name in ["north", "south"] {
        ids.push(
            number(
                conn,
                &format!(
                    "WITH p AS (INSERT INTO partners (name, email, kind, country) VALUES ('{name}', '{name}@x.test', 'reseller', 'US') RETURNING id)
                     INSERT INTO program_memberships (partner_id, program_id, status, promotion_plan, terms_accepted_at, tier)
                     SELECT id, {program}, 'active', 'resale', now(), 'Gold' FROM p RETURNING partner_id AS n"
                ),
            )
            .await,
        );
    }
    let operator = operator_of(conn, "manager@x.test", OperatorRole::Manager).await;
    let finance = operator_of(conn, "finance@x.test", OperatorRole::Finance).await;
    let admin = operator_of(conn, "admin@x.test", OperatorRole::Admin).await;
    let meta = RequestMeta::default();
    let act = act_as(Some(&operator), &meta, T0);
    let fund = funds::create(
        conn,
        &act,
        program,
        &ValidFund {
            name: "Q2 2026".into(),
            period_start: date!(2026 - 04 - 01),
            period_end: date!(2026 - 06 - 30),
            claim_days: 30,
        },
    )
    .await
    .unwrap();
    let target = Target::Partner {
        partner_id: ids[0],
        amount: d(1000),
    };
    funds::allocate(conn, &act, program, fund.id, &target).await.unwrap();
    Fixture {
        program,
        partner: ids[0],
        other: ids[1],
        fund: fund.id,
        operator,
        finance,
        admin,
        all: Scope::everything(conn).await.unwrap(),
    }
}

pub(crate) async fn operator_of(conn: &mut AsyncPgConnection, email: &str, role: OperatorRole) -> AuthUser {
    let user = users::insert_operator(conn, email, email, role, "x").await.unwrap();
    AuthUser {
        brand_scoped: false,
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        account: Account::Operator(role),
    }
}

pub(crate) fn act_as<'a>(user: Option<&'a AuthUser>, meta: &'a RequestMeta, now: OffsetDateTime) -> Act<'a> {
    Act {
        user,
        meta,
        base_url: BASE,
        now,
    }
}

pub(crate) fn request_form(amount: &str) -> RequestForm {
    RequestForm {
        activity: "webinar".into(),
        description: "Cloud cost webinar".into(),
        starts_on: "2026-05-10".into(),
        ends_on: "2026-05-10".into(),
        amount: amount.into(),
        expected_outcome: "10 opportunities".into(),
    }
}

pub(crate) fn claim_form(amount: &str) -> ClaimForm {
    ClaimForm {
        amount: amount.into(),
        actual_cost: "900".into(),
        leads: "12".into(),
        attendees: "80".into(),
        notes: String::new(),
    }
}

pub(crate) fn proof() -> Vec<Upload> {
    vec![Upload {
        name: "invoice.pdf".into(),
        bytes: PDF.to_vec(),
    }]
}

/// The stored balance, and the one recomputed from the requests by the domain rules.
async fn stored_and_recomputed(conn: &mut AsyncPgConnection, fund: i64, partner: i64) -> (Balance, Balance) {
    let row = mdf_funds::balance(conn, fund, partner).await.unwrap().unwrap();
    let expired = mdf_funds::get_fund(conn, fund)
        .await
        .unwrap()
        .unwrap()
        .expired_at
        .is_some();
    let states = mdf_requests::states_in_fund(conn, fund, partner).await.unwrap();
    let stored = Balance {
        allocated: row.allocated,
        requested: row.requested,
        approved: row.approved,
        claimed: row.claimed,
        paid: row.paid,
        expired: row.expired,
        available: row.available,
    };
    assert_eq!(row.available, row.allocated - row.committed - row.expired);
    (stored, balance(row.allocated, &states, expired))
}

async fn assert_consistent(conn: &mut AsyncPgConnection, f: &Fixture) -> Balance {
    let (stored, recomputed) = stored_and_recomputed(conn, f.fund, f.partner).await;
    assert_eq!(stored, recomputed, "the stored balance equals the recomputed one");
    stored
}

/// Ten requests of 300 against 1,000 allocated, approved at once on ten connections: exactly
/// three are approved, the others are refused, and the balance adds up.
#[tokio::test]
async fn concurrent_approvals_never_commit_more_than_was_allocated() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let meta = RequestMeta::default();
    let mut ids = Vec::new();
    for _ in 0..10 {
        let act = act_as(None, &meta, T0);
        ids.push(
            requests::submit(&mut conn, &act, f.partner, f.fund, &request_form("300"))
                .await
                .unwrap()
                .id,
        );
    }
    let mut tasks = Vec::new();
    for id in ids {
        let pool = db.pool();
        let (operator, all) = (f.operator.clone(), f.all.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.unwrap();
            let meta = RequestMeta::default();
            let act = act_as(Some(&operator), &meta, T0);
            requests::decide(&mut conn, &act, &all, id, &Decision::Approve(d(300))).await
        }));
    }
    let mut approved = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => approved += 1,
            Err(AppError::Invalid(errors)) => {
                assert!(errors.get("amount").unwrap().contains("available"), "{errors:?}")
            }
            Err(AppError::Conflict(message)) => assert!(message.contains("enough left"), "{message}"),
            Err(other) => panic!("unexpected refusal: {other:?}"),
        }
    }
    assert_eq!(approved, 3);
    let b = assert_consistent(&mut conn, &f).await;
    assert_eq!((b.approved, b.available, b.requested), (d(900), d(100), d(2100)));
    assert_eq!(
        number(
            &mut conn,
            "SELECT count(*) AS n FROM mdf_requests WHERE status = 'approved'"
        )
        .await,
        3
    );
    // The database refuses an over-commitment even when the application doesn't check.
    let raw = diesel::sql_query(format!(
        "UPDATE mdf_balances SET committed = committed + 101 WHERE fund_id = {} AND partner_id = {}",
        f.fund, f.partner
    ))
    .execute(&mut conn)
    .await
    .unwrap_err();
    assert!(raw.to_string().contains("mdf_balances_within_allocation"), "{raw}");
}

/// A whole life, with the stored balance compared to the recomputed one after every step.
#[tokio::test]
async fn stored_balances_match_the_rules_through_a_whole_life() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let meta = RequestMeta::default();
    let partner = act_as(None, &meta, T0);
    let op = act_as(Some(&f.operator), &meta, T0 + Duration::hours(1));
    let finance = act_as(Some(&f.finance), &meta, T0 + Duration::hours(1));
    let first = requests::submit(&mut conn, &partner, f.partner, f.fund, &request_form("800"))
        .await
        .unwrap();
    assert_eq!(assert_consistent(&mut conn, &f).await.requested, d(800));
    requests::decide(&mut conn, &op, &f.all, first.id, &Decision::Approve(d(600)))
        .await
        .unwrap();
    let b = assert_consistent(&mut conn, &f).await;
    assert_eq!((b.requested, b.approved, b.available), (d(0), d(600), d(400)));

    let after_event = act_as(None, &meta, datetime!(2026-05-12 10:00 UTC));
    claims::file(
        &mut conn,
        &after_event,
        f.partner,
        first.id,
        &claim_form("550"),
        &proof(),
    )
    .await
    .unwrap();
    assert_eq!(assert_consistent(&mut conn, &f).await.claimed, d(550));
    assert_eq!(number(&mut conn, "SELECT count(*) AS n FROM mdf_files").await, 1);
    claims::decide(
        &mut conn,
        &finance,
        &f.all,
        first.id,
        &ClaimDecision::Reject("Invoice unreadable".into()),
    )
    .await
    .unwrap();
    let b = assert_consistent(&mut conn, &f).await;
    assert_eq!((b.approved, b.claimed), (d(600), d(0)), "back to approved");
    claims::file(
        &mut conn,
        &after_event,
        f.partner,
        first.id,
        &claim_form("600"),
        &proof(),
    )
    .await
    .unwrap();
    claims::decide(&mut conn, &finance, &f.all, first.id, &ClaimDecision::Approve(d(500)))
        .await
        .unwrap();
    let b = assert_consistent(&mut conn, &f).await;
    assert_eq!(
        (b.approved, b.claimed, b.available),
        (d(0), d(500), d(500)),
        "100 returned"
    );
    let payable = number(
        &mut conn,
        &format!(
            "SELECT count(*) AS n FROM mdf_requests WHERE id = {} AND status = 'payable'",
            first.id
        ),
    )
    .await;
    assert_eq!(payable, 1);

    // A second request is approved, never claimed, and lapses after its deadline.
    let second = requests::submit(&mut conn, &partner, f.partner, f.fund, &request_form("200"))
        .await
        .unwrap();
    requests::decide(&mut conn, &op, &f.all, second.id, &Decision::Approve(d(200)))
        .await
        .unwrap();
    let third = requests::submit(&mut conn, &partner, f.partner, f.fund, &request_form("100"))
        .await
        .unwrap();
    assert_eq!(assert_consistent(&mut conn, &f).await.available, d(300));
    // 10 May + 30 days: due by the end of 9 June. The period is not over yet.
    let done = deadlines::run(&mut conn, BASE, datetime!(2026-06-10 00:00 UTC))
        .await
        .unwrap();
    assert_eq!(
        done,
        deadlines::Done {
            funds_expired: 0,
            requests_lapsed: 1
        }
    );
    let b = assert_consistent(&mut conn, &f).await;
    assert_eq!((b.approved, b.available, b.requested), (d(0), d(500), d(100)));

    // The period ends: the waiting request is declined and what was unused expires.
    let outbox_before = number(&mut conn, "SELECT count(*) AS n FROM email_outbox").await;
    let done = deadlines::run(&mut conn, BASE, datetime!(2026-07-01 00:05 UTC))
        .await
        .unwrap();
    assert_eq!(
        done,
        deadlines::Done {
            funds_expired: 1,
            requests_lapsed: 0
        }
    );
    let b = assert_consistent(&mut conn, &f).await;
    assert_eq!(
        (b.available, b.expired, b.requested, b.claimed),
        (d(0), d(500), d(0), d(500))
    );
    let declined = number(
        &mut conn,
        &format!(
            "SELECT count(*) AS n FROM mdf_requests WHERE id = {} AND status = 'declined'",
            third.id
        ),
    )
    .await;
    assert_eq!(declined, 1);
    assert_eq!(
        number(&mut conn, "SELECT count(*) AS n FROM email_outbox").await,
        outbox_before + 1,
        "one email to the partner"
    );
    // Running again does nothing.
    let again = deadlines::run(&mut conn, BASE, datetime!(2026-07-02 00:00 UTC))
        .await
        .unwrap();
    assert_eq!(again, deadlines::Done::default());
    // Nothing more can be approved or allocated from an expired fund.
    let late = act_as(Some(&f.operator), &meta, datetime!(2026-07-02 00:00 UTC));
    let target = Target::Partner {
        partner_id: f.partner,
        amount: d(5),
    };
    assert!(funds::allocate(&mut conn, &late, f.program, f.fund, &target)
        .await
        .is_err());
    let audit = number(
        &mut conn,
        "SELECT count(*) AS n FROM audit_events WHERE action LIKE 'mdf.%'",
    )
    .await;
    let history = number(&mut conn, "SELECT count(*) AS n FROM mdf_events").await;
    assert!(audit >= history && history >= 12, "audit {audit}, history {history}");
}

/// Refusals: above what is available, a claim above the approval, a claim after the deadline,
/// a file that is not a PDF or image, and another partner's request. Nothing changes.
#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let meta = RequestMeta::default();
    let partner = act_as(None, &meta, T0);
    let op = act_as(Some(&f.operator), &meta, T0);
    let snapshot = async |conn: &mut AsyncPgConnection| {
        (
            number(conn, "SELECT count(*) AS n FROM mdf_requests").await,
            number(conn, "SELECT count(*) AS n FROM mdf_claims").await,
            number(conn, "SELECT count(*) AS n FROM mdf_files").await,
            number(conn, "SELECT count(*) AS n FROM mdf_events").await,
            number(conn, "SELECT count(*) AS n FROM email_outbox").await,
        )
    };
    let too_much = requests::submit(&mut conn, &partner, f.partner, f.fund, &request_form("1000.01"))
        .await
        .unwrap_err();
    assert!(too_much
        .field_errors()
        .unwrap()
        .get("amount")
        .unwrap()
        .contains("USD 1,000.00 available"));
    let not_theirs = requests::submit(&mut conn, &partner, f.other, f.fund, &request_form("10"))
        .await
        .unwrap_err();
    assert_eq!(
        not_theirs.field_errors().unwrap().get("fund_id"),
        Some("Choose one of your funds.")
    );

    let request = requests::submit(&mut conn, &partner, f.partner, f.fund, &request_form("500"))
        .await
        .unwrap();
    let above_request = requests::decide(&mut conn, &op, &f.all, request.id, &Decision::Approve(d(501)))
        .await
        .unwrap_err();
    assert!(above_request.field_errors().is_some());
    requests::decide(&mut conn, &op, &f.all, request.id, &Decision::Approve(d(400)))
        .await
        .unwrap();
    let twice = requests::decide(&mut conn, &op, &f.all, request.id, &Decision::Approve(d(400)))
        .await
        .unwrap_err();
    assert!(matches!(twice, AppError::Conflict(_)), "{twice:?}");
    let before = snapshot(&mut conn).await;
    let balance_before = assert_consistent(&mut conn, &f).await;

    let during = act_as(None, &meta, datetime!(2026-05-12 10:00 UTC));
    let above = claims::file(
        &mut conn,
        &during,
        f.partner,
        request.id,
        &claim_form("400.01"),
        &proof(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        above.field_errors().unwrap().get("amount"),
        Some("You can claim at most USD 400.00, the approved amount.")
    );
    let html = vec![Upload {
        name: "proof.pdf".into(),
        bytes: b"<html><script>alert(1)</script>".to_vec(),
    }];
    let wrong_type = claims::file(&mut conn, &during, f.partner, request.id, &claim_form("100"), &html)
        .await
        .unwrap_err();
    assert!(wrong_type
        .field_errors()
        .unwrap()
        .get("files")
        .unwrap()
        .contains("not a PDF, PNG, JPEG or WebP"));
    let none = claims::file(&mut conn, &during, f.partner, request.id, &claim_form("100"), &[])
        .await
        .unwrap_err();
    assert!(none
        .field_errors()
        .unwrap()
        .get("files")
        .unwrap()
        .contains("at least one"));
    let late = act_as(None, &meta, datetime!(2026-06-10 00:00 UTC));
    let after_deadline = claims::file(&mut conn, &late, f.partner, request.id, &claim_form("100"), &proof())
        .await
        .unwrap_err();
    assert!(after_deadline
        .field_errors()
        .unwrap()
        .get("amount")
        .unwrap()
        .contains("deadline (9 Jun 2026) has passed"));
    let someone_else = claims::file(&mut conn, &during, f.other, request.id, &claim_form("100"), &proof())
        .await
        .unwrap_err();
    assert_eq!(someone_else, AppError::NotFound(super::MISSING_REQUEST.into()));
    let finance = act_as(Some(&f.finance), &meta, T0);
    let no_claim = claims::decide(&mut conn, &finance, &f.all, request.id, &ClaimDecision::Approve(d(1)))
        .await
        .unwrap_err();
    assert!(matches!(no_claim, AppError::Conflict(_)));
    // An operator limited to other brands finds no such request to decide.
    let nobody = Scope::nothing();
    let hidden = requests::decide(&mut conn, &op, &nobody, request.id, &Decision::Decline("x".into()))
        .await
        .unwrap_err();
    assert_eq!(hidden, AppError::NotFound(super::MISSING_REQUEST.into()));

    assert_eq!(snapshot(&mut conn).await, before, "nothing was stored");
    assert_eq!(assert_consistent(&mut conn, &f).await, balance_before);
}

/// Tier and revenue allocations are materialized per partner with their inputs.
#[tokio::test]
async fn tier_and_revenue_allocations_are_stored_per_partner() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let meta = RequestMeta::default();
    let op = act_as(Some(&f.operator), &meta, T0);
    let gold = Target::Tier {
        tier: "gold".into(),
        amount: d(250),
    };
    let done = funds::allocate(&mut conn, &op, f.program, f.fund, &gold).await.unwrap();
    assert_eq!(
        done,
        funds::Allocated {
            partners: 2,
            total: d(500)
        }
    );
    let silver = Target::Tier {
        tier: "Silver".into(),
        amount: d(250),
    };
    let none = funds::allocate(&mut conn, &op, f.program, f.fund, &silver)
        .await
        .unwrap_err();
    assert!(none
        .field_errors()
        .unwrap()
        .get("tier")
        .unwrap()
        .contains("No active partner"));
    // Revenue in the previous quarter (Q1): 2,000 and 1,234.50 for `other`, 99 outside it.
    diesel::sql_query(format!(
        "INSERT INTO conversions (program_id, order_id, event, amount, occurred_at, partner_id, attribution, request)
         VALUES ({p}, 'A', 'sale', 2000, '2026-02-01', {a}, 'coupon', '{{}}'),
                ({p}, 'B', 'sale', 1234.50, '2026-03-31 23:00+00', {b}, 'coupon', '{{}}'),
                ({p}, 'C', 'sale', 99, '2026-04-01 00:00+00', {b}, 'coupon', '{{}}')",
        p = f.program,
        a = f.partner,
        b = f.other
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    let accrued = funds::allocate(&mut conn, &op, f.program, f.fund, &Target::Revenue { percent: d(5) })
        .await
        .unwrap();
    assert_eq!(
        accrued,
        funds::Allocated {
            partners: 2,
            total: Decimal::new(16172, 2)
        }
    );
    let other = mdf_funds::balance(&mut conn, f.fund, f.other).await.unwrap().unwrap();
    assert_eq!(
        other.allocated,
        d(250) + Decimal::new(6172, 2),
        "tier + 5% of 1,234.50 (half-even)"
    );
    let recorded = number(
        &mut conn,
        "SELECT count(*) AS n FROM mdf_allocations WHERE source = 'revenue' AND revenue_from = '2026-01-01' AND revenue_to = '2026-03-31'",
    )
    .await;
    assert_eq!(recorded, 2);
    let changed = diesel::sql_query("UPDATE mdf_allocations SET amount = 1")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(changed.to_string().contains("append-only"));
}

#[tokio::test]
async fn a_segment_allocation_goes_to_its_members_today_and_an_empty_one_writes_nothing() {
    use crate::backend::segments::{save, Draft};
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let meta = RequestMeta::default();
    let op = act_as(Some(&f.operator), &meta, T0);
    let fields = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let (gold, german) = (fields(&[("tier", "Gold")]), fields(&[("country", "DE")]));
    let mut saved = Vec::new();
    for (name, fields) in [("Gold resellers", &gold), ("Germans", &german)] {
        let draft = Draft { id: None, name, fields };
        saved.push(
            save(&mut conn, &f.operator, &meta, f.program, &draft, T0)
                .await
                .unwrap(),
        );
    }
    let allocations = "SELECT count(*) AS n FROM mdf_allocations";
    let before = number(&mut conn, allocations).await;

    let to = |segment_id| Target::Segment {
        segment_id,
        amount: d(300),
    };
    let done = funds::allocate(&mut conn, &op, f.program, f.fund, &to(saved[0]))
        .await
        .unwrap();
    assert_eq!(
        done,
        funds::Allocated {
            partners: 2,
            total: d(600)
        }
    );
    let named = number(
        &mut conn,
        "SELECT count(*) AS n FROM mdf_allocations WHERE source = 'segment' AND segment_name = 'Gold resellers'",
    )
    .await;
    assert_eq!(named, 2, "each allocation keeps the segment's name");

    let after = number(&mut conn, allocations).await;
    for (segment, says) in [(saved[1], "no members today"), (999_999, "doesn't exist")] {
        let refused = funds::allocate(&mut conn, &op, f.program, f.fund, &to(segment))
            .await
            .unwrap_err();
        let message = refused.field_errors().unwrap().get("segment_id").unwrap().to_owned();
        assert!(message.contains(says), "{message}");
    }
    assert_eq!(
        number(&mut conn, allocations).await,
        after,
        "refused allocations write nothing"
    );
    assert_eq!(after, before + 2);
}

async fn execute(conn: &mut AsyncPgConnection, sql: String) {
    diesel::sql_query(sql).execute(conn).await.unwrap();
}

fn allocated(partners: usize, total: i64) -> funds::Allocated {
    funds::Allocated {
        partners,
        total: d(total),
    }
}

/// An allocation by tier shares: each tier's MDF share of the pool, split evenly among its
/// partners and rounded down, each row keeping its inputs; refused, writing nothing, when no tier
/// has a share or nobody holds one.
#[tokio::test]
async fn an_allocation_by_tier_shares_splits_each_tiers_share_among_its_partners() {
    use crate::domain::tiers::{Criteria, Ladder, Tier};
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let f = fixture(&mut conn).await;
    let meta = RequestMeta::default();
    let op = act_as(Some(&f.operator), &meta, T0);
    let allocations = "SELECT count(*) AS n FROM mdf_allocations";
    let before = number(&mut conn, allocations).await;
    let pool = |cents: i64| Target::TierShares {
        pool: Decimal::new(cents, 2),
    };
    let refused = funds::allocate(&mut conn, &op, f.program, f.fund, &pool(100_000))
        .await
        .unwrap_err();
    assert!(refused
        .field_errors()
        .unwrap()
        .get("target")
        .unwrap()
        .contains("No tier of this program has an MDF share"));
    assert_eq!(number(&mut conn, allocations).await, before, "nothing written");

    let tier = |name: &str, revenue: i64, share: Option<i64>| Tier {
        name: name.into(),
        criteria: Criteria {
            min_revenue: d(revenue),
            ..Criteria::default()
        },
        plan_id: None,
        protection_days: None,
        mdf_share: share.map(d),
    };
    let ladder = Ladder {
        window_days: 90,
        grace_days: 30,
        tiers: vec![
            tier("Registered", 0, None),
            tier("Silver", 100, Some(30)),
            tier("Gold", 1000, Some(60)),
        ],
    };
    crate::backend::repos::tiers::replace(&mut conn, f.program, &ladder)
        .await
        .unwrap();
    let set_tier = |partner: i64, tier: &str| {
        format!(
            "UPDATE program_memberships SET tier = '{tier}' WHERE partner_id = {partner} AND program_id = {}",
            f.program
        )
    };
    for (partner, held) in [(f.partner, "Gold"), (f.other, "Silver")] {
        execute(&mut conn, set_tier(partner, held)).await;
    }

    // 60% and 30% of 1,000.01, one partner each: rounded down to the cent.
    let done = funds::allocate(&mut conn, &op, f.program, f.fund, &pool(100_001)).await;
    assert_eq!(done.unwrap(), allocated(2, 900));
    let kept = number(
        &mut conn,
        &format!(
            "SELECT count(*) AS n FROM mdf_allocations WHERE source = 'tier_share' AND pool = 1000.01 AND split_among = 1
             AND ((partner_id = {} AND tier = 'Gold' AND tier_share = 60 AND amount = 600)
               OR (partner_id = {} AND tier = 'Silver' AND tier_share = 30 AND amount = 300))",
            f.partner, f.other
        ),
    )
    .await;
    assert_eq!(
        kept, 2,
        "each row keeps the tier, its share, the pool and how many split it"
    );

    // Both Silver: Silver's 30% of 100 split two ways; Gold has nobody, so its share stays.
    execute(&mut conn, set_tier(f.partner, "Silver")).await;
    let done = funds::allocate(&mut conn, &op, f.program, f.fund, &pool(10_000)).await;
    assert_eq!(done.unwrap(), allocated(2, 30));
    assert_eq!(
        number(
            &mut conn,
            "SELECT count(*) AS n FROM mdf_allocations WHERE amount = 15 AND split_among = 2"
        )
        .await,
        2
    );

    // Nobody in a tier with a share: refused, nothing written.
    for partner in [f.partner, f.other] {
        execute(&mut conn, set_tier(partner, "Registered")).await;
    }
    let after = number(&mut conn, allocations).await;
    let refused = funds::allocate(&mut conn, &op, f.program, f.fund, &pool(10_000))
        .await
        .unwrap_err();
    assert!(refused
        .field_errors()
        .unwrap()
        .get("amount")
        .unwrap()
        .contains("No active partner holds a tier with an MDF share"));
    assert_eq!(number(&mut conn, allocations).await, after);
    assert_eq!(after, before + 4);
}
