//! Database tests of four eyes on manual adjustments: above the program's threshold (0 by
//! default) an adjustment waits for finance and counts for nothing until then; its author, even
//! an admin, can't approve it; another person with finance rights can, or rejects it and it is
//! never payable; at or below the threshold the author's approval stands. Every refusal is
//! checked to have changed nothing.

use super::adjust::{adjust, Adjusted};
use super::approvals::{self, Decided};
use super::settings::save_adjustment_review;
use super::tests::{number, operator};
use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::flows::RequestMeta;
use crate::backend::repos::ledger;
use crate::backend::repos::testing_ledger::program_with_partners;
use crate::backend::scope::Scope;
use crate::backend::testing::TestDb;
use crate::domain::access::OperatorRole;
use crate::domain::commission::adjustment::AdjustmentInput;
use crate::domain::commission::approval::{Action, Stage, State};
use crate::domain::commission::ledger::EntryKind;
use diesel_async::AsyncPgConnection;
use rust_decimal::Decimal;
use time::OffsetDateTime;

/// What a refusal must leave as it was.
async fn snapshot(conn: &mut AsyncPgConnection) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["commissions", "commission_decisions", "audit_events", "email_outbox"] {
        counts.push(number(conn, &format!("SELECT count(*) AS n FROM {table}")).await);
    }
    counts
}

/// An adjustment by `who` of `amount` to `partner` in `program`, with `reason`.
async fn adjust_as(
    conn: &mut AsyncPgConnection,
    who: &AuthUser,
    (program, partner): (i64, i64),
    amount: &str,
    reason: &str,
) -> Result<Adjusted, AppError> {
    let input = AdjustmentInput {
        amount: amount.into(),
        reason: reason.into(),
    };
    let now = OffsetDateTime::now_utc();
    adjust(conn, who, program, partner, &input, &RequestMeta::default(), now).await
}

/// A decision by `who` on entry `id`, as of decision number `seq`.
async fn decide_as(
    conn: &mut AsyncPgConnection,
    who: &AuthUser,
    id: i64,
    action: &Action,
    seq: i32,
) -> Result<Decided, AppError> {
    let now = OffsetDateTime::now_utc();
    let all = Scope::everything(conn).await?;
    approvals::decide(conn, who, &all, id, action, Some(seq), &RequestMeta::default(), now).await
}

fn refused(outcome: Result<Decided, AppError>, because: &str) {
    assert!(
        matches!(outcome, Err(AppError::Conflict(ref m)) if m.contains(because)),
        "{because}: {outcome:?}"
    );
}

/// The partner's balance in one standing ("pending", "payable", "rejected"), in cents.
async fn balance(conn: &mut AsyncPgConnection, partner: i64, standing: &str) -> i64 {
    let now = OffsetDateTime::now_utc();
    ledger::balances(conn, partner, None, now)
        .await
        .unwrap()
        .iter()
        .filter(|b| b.standing == standing)
        .map(|b| (b.amount * Decimal::ONE_HUNDRED).try_into().unwrap_or(0i64))
        .sum()
}

#[tokio::test]
async fn above_the_threshold_an_adjustment_waits_for_someone_else_with_finance_rights() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let (program, [ada, _]) = program_with_partners(&mut conn).await;
    let manager = operator(&mut conn, "manager@x.test", OperatorRole::Manager).await;
    let admin = operator(&mut conn, "root@x.test", OperatorRole::Admin).await;
    let finance = operator(&mut conn, "finance@x.test", OperatorRole::Finance).await;

    // The threshold is 0 by default: even a small bonus waits, and counts for nothing yet.
    let bonus = adjust_as(&mut conn, &manager, (program, ada), "50", "launch bonus")
        .await
        .unwrap();
    assert_eq!(bonus.state, State::Pending(Stage::Finance));
    assert_eq!(bonus.entry.created_by, Some(manager.id));
    let first = ledger::decisions(&mut conn, bonus.entry.id).await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(
        first[0].actor_id,
        Some(manager.id),
        "the author's approval is the manager stage"
    );
    let pending = (
        balance(&mut conn, ada, "pending").await,
        balance(&mut conn, ada, "payable").await,
    );
    assert_eq!(pending, (5000, 0));

    // Neither another manager, nor the manager who wrote it, nor an admin who wrote their own
    // may approve.
    let deduction = adjust_as(&mut conn, &admin, (program, ada), "-30", "duplicate order")
        .await
        .unwrap();
    assert_eq!(deduction.state, State::Pending(Stage::Finance));
    let (bonus, deduction) = (bonus.entry.id, deduction.entry.id);
    let before = snapshot(&mut conn).await;
    let other_manager = operator(&mut conn, "other@x.test", OperatorRole::Manager).await;
    refused(
        decide_as(&mut conn, &other_manager, bonus, &Action::Approve, 1).await,
        "Finance decides",
    );
    refused(
        decide_as(&mut conn, &manager, bonus, &Action::Approve, 1).await,
        "someone else",
    );
    refused(
        decide_as(&mut conn, &admin, deduction, &Action::Approve, 1).await,
        "someone else",
    );
    let meta = RequestMeta::default();
    let now = OffsetDateTime::now_utc();
    let all = Scope::everything(&mut conn).await.unwrap();
    let batch = approvals::decide_batch(&mut conn, &admin, &all, &[(deduction, 1)], &Action::Approve, &meta, now).await;
    assert!(batch[0].outcome.as_ref().is_err_and(|m| m.contains("someone else")));
    let hold = Action::Hold { reason: "wait".into() };
    refused(decide_as(&mut conn, &finance, deduction, &hold, 1).await, "not held");
    assert_eq!(snapshot(&mut conn).await, before, "refusals change nothing");
    assert_eq!(balance(&mut conn, ada, "payable").await, 0);

    // Another person with finance rights approves the admin's; the manager's is rejected.
    let approved = decide_as(&mut conn, &finance, deduction, &Action::Approve, 1)
        .await
        .unwrap();
    assert_eq!(
        (approved.state, approved.kind),
        (State::Approved, EntryKind::Adjustment)
    );
    let reject = Action::Reject {
        reason: "no budget for bonuses this month".into(),
    };
    let rejected = decide_as(&mut conn, &admin, bonus, &reject, 1).await.unwrap();
    assert_eq!(rejected.state, State::Rejected);
    refused(
        decide_as(&mut conn, &finance, bonus, &Action::Approve, 2).await,
        "already rejected",
    );
    let standings = (
        balance(&mut conn, ada, "payable").await,
        balance(&mut conn, ada, "rejected").await,
        balance(&mut conn, ada, "pending").await,
    );
    assert_eq!(
        standings,
        (-3000, 5000, 0),
        "only the approved adjustment counts; the rejected one is never payable"
    );
    let mails = number(&mut conn, "SELECT count(*) AS n FROM email_outbox").await;
    assert_eq!(mails, 0, "a rejected adjustment emails no one");
    let audited = number(
        &mut conn,
        "SELECT count(*) AS n FROM audit_events WHERE action IN ('commission.approve', 'commission.reject')",
    )
    .await;
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn at_or_below_the_threshold_the_authors_approval_stands() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let (program, [ada, bob]) = program_with_partners(&mut conn).await;
    let manager = operator(&mut conn, "manager@x.test", OperatorRole::Manager).await;
    let finance = operator(&mut conn, "finance@x.test", OperatorRole::Finance).await;
    let meta = RequestMeta::default();

    // Only finance sets the threshold, and it is checked like the other amounts.
    let before = snapshot(&mut conn).await;
    let typo = save_adjustment_review(&mut conn, &finance, program, "1.005", &meta).await;
    let errors = typo.unwrap_err();
    assert!(errors.field_errors().unwrap().get("adjustment_review_above").is_some());
    assert_eq!(snapshot(&mut conn).await, before);
    save_adjustment_review(&mut conn, &finance, program, "100", &meta)
        .await
        .unwrap();

    let at = adjust_as(&mut conn, &manager, (program, ada), "-100.00", "returned goods")
        .await
        .unwrap();
    assert_eq!(at.state, State::Approved, "at the threshold, either sign");
    let above = adjust_as(&mut conn, &manager, (program, bob), "100.01", "bonus")
        .await
        .unwrap();
    assert_eq!(above.state, State::Pending(Stage::Finance));
    let payable = (
        balance(&mut conn, ada, "payable").await,
        balance(&mut conn, bob, "payable").await,
    );
    assert_eq!(payable, (-10000, 0));
    let reason = &ledger::decisions(&mut conn, at.entry.id).await.unwrap()[0].reason;
    assert!(reason.contains("no finance review"), "{reason}");

    // Who may not adjust, and what may not be adjusted, leaves nothing behind.
    let viewer = operator(&mut conn, "viewer@x.test", OperatorRole::Viewer).await;
    let before = snapshot(&mut conn).await;
    for who in [&finance, &viewer] {
        let outcome = adjust_as(&mut conn, who, (program, ada), "5", "x").await;
        assert_eq!(outcome.unwrap_err(), AppError::Forbidden);
    }
    let zero = adjust_as(&mut conn, &manager, (program, ada), "0", "nothing").await;
    assert!(zero.unwrap_err().field_errors().unwrap().get("amount").is_some());
    let stranger = adjust_as(&mut conn, &manager, (program, ada + bob + 1000), "5", "who?").await;
    assert!(matches!(stranger, Err(AppError::NotFound(_))), "{stranger:?}");
    assert_eq!(snapshot(&mut conn).await, before, "nothing was stored");
}
