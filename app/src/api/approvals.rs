//! The console's commission approvals: the queue by stage (manual adjustments waiting for
//! finance among them), one commission's whole story, single decisions (carrying the decision
//! number the approver saw, so a stale one is refused) and batch approval that skips and
//! explains what it can't approve.

use super::error::AppError;
use super::my_terms::TermsVersionDto;
use super::Paged;
use crate::domain::commission::approval::Offered;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
mod build;
#[cfg(feature = "ssr")]
mod detail;

pub const PER_PAGE: i64 = 25;
/// The longest reason an approver can give.
pub const REASON_MAX: usize = 500;

/// The queue's filters as they arrive in the URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueQuery {
    pub tab: Option<String>,
    pub program: Option<i64>,
    pub partner: Option<String>,
    pub min_amount: Option<String>,
    /// "yes": only items waiting longer than their program's SLA.
    pub overdue: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueRowDto {
    pub id: i64,
    /// The latest decision's number; decision forms send it back as `seen_seq`.
    pub seq: i32,
    pub program_name: String,
    pub partner_name: String,
    pub order_id: String,
    pub event: String,
    pub amount: String,
    pub waiting_since: String,
    /// "2 d 4 h"
    pub waited: String,
    /// "on_time", "overdue", "escalated"; empty for items on hold (no SLA runs).
    pub sla: String,
    pub sla_label: String,
    pub routing_reason: String,
    /// Why it is on hold, for items on hold.
    pub hold_reason: Option<String>,
    /// Set for a manual adjustment (which has no order).
    pub adjustment: Option<AdjustmentDto>,
    pub offered: Offered,
}

/// What marks a manual adjustment in the queue and on its page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdjustmentDto {
    pub reason: String,
    pub author: String,
    /// The reader wrote it, so someone else approves it.
    pub yours: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TabDto {
    pub key: String,
    pub label: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueDto {
    pub tab: String,
    pub tabs: Vec<TabDto>,
    pub page: Paged<QueueRowDto>,
    pub programs: Vec<(i64, String)>,
    /// The minimum amount couldn't be read; the list ignores it.
    pub min_amount_error: Option<String>,
    /// False for viewers, who only read.
    pub can_decide: bool,
    pub role_label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversionFactsDto {
    pub order_id: String,
    pub event: String,
    pub amount: String,
    pub occurred_at: String,
    pub attribution: String,
    pub country: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionLineDto {
    pub seq: i32,
    pub at: String,
    pub by: String,
    pub state_label: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DerivedDto {
    pub id: i64,
    pub kind_label: String,
    pub partner_name: String,
    pub amount: String,
    pub negative: bool,
    pub created_at: String,
    pub explanation: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommissionDetailDto {
    pub id: i64,
    pub seq: i32,
    /// "pending", "on_hold", "approved", "rejected" (for the badge).
    pub state: String,
    pub state_label: String,
    pub program_name: String,
    pub partner_name: String,
    pub amount: String,
    pub created_at: String,
    pub payable_at: String,
    pub explanation: String,
    pub conversion: Option<ConversionFactsDto>,
    pub terms: Option<TermsVersionDto>,
    /// The recorded inputs, labelled.
    pub inputs: Vec<(String, String)>,
    pub history: Vec<DecisionLineDto>,
    pub derived: Vec<DerivedDto>,
    pub adjustment: Option<AdjustmentDto>,
    pub offered: Offered,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecidedDto {
    pub id: i64,
    pub state_label: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchLineDto {
    pub id: i64,
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchDto {
    pub approved: Vec<BatchLineDto>,
    pub skipped: Vec<BatchLineDto>,
}

impl BatchDto {
    /// The whole result as lines of text (for the message after a post without JavaScript).
    pub fn summary(&self) -> String {
        let mut lines = vec![format!(
            "Approved {} of {} selected.",
            self.approved.len(),
            self.approved.len() + self.skipped.len()
        )];
        lines.extend(self.approved.iter().map(|l| format!("#{}: {}", l.id, l.text)));
        lines.extend(self.skipped.iter().map(|l| format!("Skipped #{}: {}", l.id, l.text)));
        lines.join("\n")
    }
}

/// An operator who may decide at some stage (viewers only read).
#[cfg(feature = "ssr")]
async fn require_decider() -> Result<crate::backend::ctx::Operator, AppError> {
    use crate::domain::access::Permission;
    let operator = crate::backend::ctx::require_operator().await?;
    if operator.role.can(Permission::ApproveCommissions) || operator.role.can(Permission::ApproveFinance) {
        Ok(operator)
    } else {
        Err(AppError::Forbidden)
    }
}

#[server(input = GetUrl)]
pub async fn commission_queue(#[server(default)] query: QueueQuery) -> Result<QueueDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{approval_queue, programs};
    let operator = ctx::require_operator().await?;
    let (filter, min_amount_error) = build::filter(&query, PER_PAGE);
    let now = ctx::now();
    let mut conn = ctx::db().await?;
    let rows = approval_queue::list(&mut conn, &operator.scope, &filter, now).await?;
    let counts = approval_queue::counts(&mut conn, &operator.scope, &filter, now).await?;
    let programs = programs::list(&mut conn, &operator.scope)
        .await?
        .into_iter()
        .map(|(p, _)| (p.id, p.name))
        .collect();
    Ok(build::queue(
        rows,
        counts,
        &filter,
        programs,
        min_amount_error,
        operator.actor(),
        now,
    ))
}

#[server(input = GetUrl)]
pub async fn commission_detail(id: i64) -> Result<CommissionDetailDto, AppError> {
    use crate::backend::ctx;
    let operator = ctx::require_operator().await?;
    let mut conn = ctx::db().await?;
    detail::load(&mut conn, &operator, id).await
}

/// One decision: `decision` is approve, reject, hold or release; reject and hold need a reason.
/// `seen_seq` is the decision number the approver was looking at.
#[server]
pub async fn decide_commission(
    csrf_token: String,
    id: i64,
    seen_seq: i32,
    decision: String,
    #[server(default)] reason: String,
) -> Result<DecidedDto, AppError> {
    use crate::backend::commissions::approvals;
    use crate::backend::ctx;
    ctx::verify_csrf(&csrf_token)?;
    let operator = require_decider().await?;
    let action = build::action(id, &decision, &reason)?;
    let mut conn = ctx::db().await?;
    let decided = approvals::decide(
        &mut conn,
        &operator.user,
        &operator.scope,
        id,
        &action,
        Some(seen_seq),
        &ctx::request_meta(),
        ctx::now(),
    )
    .await
    .map_err(|e| build::numbered(id, e))?;
    let message = build::decided_message(id, decided);
    super::flash::after_plain_post(message.clone()).await?;
    Ok(DecidedDto {
        id,
        state_label: decided.state.label().into(),
        message,
    })
}

/// Approves each ticked commission on its own; those that can't be approved are skipped, each
/// with the reason. Each box posts "ID:SEQ", the decision number its row showed, so a
/// commission someone decided in the meantime is skipped rather than moved a stage further.
#[server]
pub async fn approve_selected(csrf_token: String, #[server(default)] ids: Vec<String>) -> Result<BatchDto, AppError> {
    use crate::backend::commissions::approvals;
    use crate::backend::ctx;
    use crate::domain::commission::approval::Action;
    ctx::verify_csrf(&csrf_token)?;
    let operator = require_decider().await?;
    let picked = crate::domain::commission::queue::picked(&ids).map_err(|m| AppError::field("ids", m))?;
    let mut conn = ctx::db().await?;
    let lines = approvals::decide_batch(
        &mut conn,
        &operator.user,
        &operator.scope,
        &picked,
        &Action::Approve,
        &ctx::request_meta(),
        ctx::now(),
    )
    .await;
    let result = build::batch(lines);
    super::flash::after_plain_post(result.summary()).await?;
    Ok(result)
}
