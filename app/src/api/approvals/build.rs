//! From requests to filters and actions, and from rows and outcomes to DTOs and messages.

use super::*;
use crate::backend::commissions::approvals::{BatchLine, Decided};
use crate::backend::repos::approval_queue::{QueueFilter, QueueRow, TabCounts};
use crate::domain::commission::adjustment;
use crate::domain::commission::approval::{offered, Action, Actor, Stage, State};
use crate::domain::commission::ledger::EntryKind;
use crate::domain::commission::queue::{QueueSort, QueueTab};
use crate::domain::commission::sla;
use crate::domain::{format, money};
use rust_decimal::Decimal;
use std::str::FromStr;
use time::OffsetDateTime;

/// The repository filter for the query, and a message when the minimum amount can't be read
/// (the list then ignores it rather than failing).
pub fn filter(query: &QueueQuery, per_page: i64) -> (QueueFilter, Option<String>) {
    let min_text = query.min_amount.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let (min_amount, error) = match min_text.map(|t| Decimal::from_str(&t.replace(',', ""))) {
        None => (None, None),
        Some(Ok(amount)) if amount >= Decimal::ZERO => (Some(amount), None),
        Some(_) => (
            None,
            Some("Enter an amount like 100 or 99.50 (no currency sign).".to_owned()),
        ),
    };
    let partner = query
        .partner
        .as_deref()
        .map(|p| p.trim().chars().take(100).collect::<String>())
        .filter(|p| !p.is_empty());
    let filter = QueueFilter {
        tab: QueueTab::parse(query.tab.as_deref()),
        program_id: query.program,
        partner,
        min_amount,
        overdue_only: query.overdue.as_deref() == Some("yes"),
        sort: QueueSort::parse(query.sort.as_deref()),
        page: query.page.unwrap_or(1).max(1),
        per_page,
    };
    (filter, error)
}

/// The decisions to offer on an entry, and what marks it as an adjustment. Adjustments follow
/// their own rules (finance only, never their author); accruals the approval stages.
pub fn offer(
    kind: &str,
    state: State,
    actor: Actor,
    (author_id, author, reason): (Option<i64>, Option<String>, Option<String>),
) -> (Offered, Option<AdjustmentDto>) {
    if EntryKind::parse(kind) != Some(EntryKind::Adjustment) {
        return (offered(state, actor.role), None);
    }
    let marks = AdjustmentDto {
        reason: reason.unwrap_or_default(),
        author: author.unwrap_or_else(|| "—".into()),
        yours: author_id == Some(actor.user_id),
    };
    (adjustment::offered(state, actor, author_id), Some(marks))
}

fn row(r: QueueRow, actor: Actor, now: OffsetDateTime) -> QueueRowDto {
    let state = State::from_columns(&r.status, r.stage.as_deref()).unwrap_or(State::OnHold);
    let (offered, adjustment) = offer(&r.kind, state, actor, (r.author_id, r.author_name, r.reason));
    let (sla, sla_label) = match state {
        State::Pending(_) => {
            let due = sla::sla(r.waiting_since, now, r.remind_hours, r.escalate_hours);
            (due.as_str().to_owned(), due.label().to_owned())
        }
        _ => (String::new(), "No SLA while on hold".to_owned()),
    };
    QueueRowDto {
        id: r.id,
        seq: r.seq,
        program_name: r.program_name,
        partner_name: r.partner_name,
        order_id: r.order_id.unwrap_or_else(|| "—".into()),
        event: r.event.unwrap_or_default(),
        amount: money::format(r.amount, &r.currency),
        waiting_since: format::datetime(r.waiting_since),
        waited: sla::waited_text(r.waiting_since, now),
        sla,
        sla_label,
        routing_reason: r.routing_reason,
        hold_reason: (state == State::OnHold).then_some(r.latest_reason),
        adjustment,
        offered,
    }
}

pub fn queue(
    rows: Vec<QueueRow>,
    counts: TabCounts,
    filter: &QueueFilter,
    programs: Vec<(i64, String)>,
    min_amount_error: Option<String>,
    actor: Actor,
    now: OffsetDateTime,
) -> QueueDto {
    let role = actor.role;
    use crate::domain::access::Permission;
    QueueDto {
        tab: filter.tab.as_str().into(),
        tabs: QueueTab::ALL
            .into_iter()
            .map(|tab| TabDto {
                key: tab.as_str().into(),
                label: tab.label().into(),
                count: counts.of(tab),
            })
            .collect(),
        page: Paged {
            rows: rows.into_iter().map(|r| row(r, actor, now)).collect(),
            total: counts.of(filter.tab),
            page: filter.page,
            per_page: filter.per_page,
        },
        programs,
        min_amount_error,
        can_decide: role.can(Permission::ApproveCommissions) || role.can(Permission::ApproveFinance),
        role_label: role.label().into(),
    }
}

/// The action for a form's `decision`, or the field error to show.
pub fn action(id: i64, decision: &str, reason: &str) -> Result<Action, AppError> {
    let reason = reason.trim().to_owned();
    let needs_reason = |verb: &str| {
        if reason.is_empty() {
            Err(AppError::field(
                "reason",
                format!("Say why you {verb} commission #{id}."),
            ))
        } else if reason.chars().count() > REASON_MAX {
            Err(AppError::field(
                "reason",
                format!("Keep the reason under {REASON_MAX} characters."),
            ))
        } else {
            Ok(())
        }
    };
    match decision {
        "approve" => Ok(Action::Approve),
        "release" => Ok(Action::Release),
        "reject" => needs_reason("reject").map(|_| Action::Reject { reason }),
        "hold" => needs_reason("hold").map(|_| Action::Hold { reason }),
        _ => Err(AppError::field("decision", "Choose approve, reject, hold or release.")),
    }
}

/// Names the commission in refusals, so the message still says which one it was when it shows
/// at the top of the page (after a post without JavaScript).
pub fn numbered(id: i64, error: AppError) -> AppError {
    match error {
        AppError::Conflict(m) => AppError::Conflict(format!("Commission #{id}: {m}")),
        AppError::NotFound(m) => AppError::NotFound(format!("Commission #{id}: {m}")),
        other => other,
    }
}

fn outcome_text(decided: Decided) -> &'static str {
    match (decided.state, decided.kind) {
        (State::Rejected, EntryKind::Adjustment) => "rejected; it will never be paid",
        (State::Pending(Stage::Finance), _) => "approved for the manager stage; it now waits for finance",
        (State::Pending(Stage::Manager), _) => "released; it waits for a manager again",
        (State::OnHold, _) => "put on hold",
        (State::Approved, _) => "approved",
        (State::Rejected, _) => "rejected; the partner has been emailed the reason",
    }
}

pub fn decided_message(id: i64, decided: Decided) -> String {
    let what = match decided.kind {
        EntryKind::Adjustment => "Adjustment",
        _ => "Commission",
    };
    format!("{what} #{id} {}.", outcome_text(decided))
}

pub fn batch(lines: Vec<BatchLine>) -> BatchDto {
    let mut result = BatchDto::default();
    for line in lines {
        match line.outcome {
            Ok(decided) => result.approved.push(BatchLineDto {
                id: line.commission_id,
                text: outcome_text(decided).into(),
            }),
            Err(reason) => result.skipped.push(BatchLineDto {
                id: line.commission_id,
                text: reason,
            }),
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_filters_are_ignored_with_a_message_and_actions_need_reasons() {
        let query = QueueQuery {
            tab: Some("finance".into()),
            min_amount: Some("lots".into()),
            partner: Some("  ".into()),
            overdue: Some("yes".into()),
            page: Some(-3),
            ..QueueQuery::default()
        };
        let (filter, error) = filter(&query, 25);
        assert_eq!(filter.tab, QueueTab::Finance);
        assert_eq!((filter.min_amount, filter.partner, filter.page), (None, None, 1));
        assert!(filter.overdue_only);
        assert!(error.unwrap().contains("like 100"));
        let negative = QueueQuery {
            min_amount: Some("-5".into()),
            ..QueueQuery::default()
        };
        assert!(super::filter(&negative, 25).1.is_some());
        let grouped = QueueQuery {
            min_amount: Some("1,500.50".into()),
            ..QueueQuery::default()
        };
        assert_eq!(super::filter(&grouped, 25).0.min_amount, Some(Decimal::new(150050, 2)));

        assert_eq!(action(7, "approve", "").unwrap(), Action::Approve);
        let missing = action(7, "reject", "  ").unwrap_err();
        assert_eq!(
            missing.field_errors().unwrap().get("reason"),
            Some("Say why you reject commission #7.")
        );
        assert!(action(7, "hold", &"x".repeat(501)).is_err());
        assert!(action(7, "pay", "").is_err());
        assert_eq!(
            numbered(7, AppError::Conflict("Someone decided".into())).to_string(),
            "Commission #7: Someone decided"
        );
    }
}
