//! Deal registration over the wire: the partner's deals (portal) and the program team's review
//! (console), with their DTOs. Every partner-facing function finds deals through the session's
//! partner id, so another partner's deal id finds nothing.

#[cfg(feature = "ssr")]
mod build;
pub mod console;
pub mod portal;
pub mod program;

use serde::{Deserialize, Serialize};

/// One deal as a row of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealRowDto {
    pub id: i64,
    pub company: String,
    pub domain: String,
    pub program_name: String,
    /// Empty in the portal (it is always the partner's own).
    pub partner_name: String,
    pub partner_kind: String,
    pub stage: String,
    pub stage_label: String,
    /// pending, approved, rejected, expired, won, lost (for the badge).
    pub status: String,
    pub status_label: String,
    /// "EUR 20,000.00"
    pub value: String,
    pub expected_close: String,
    /// When protection ends (approved deals) or ended.
    pub protected_until: Option<String>,
    pub submitted_at: String,
    /// For pending registrations: "on_time", "overdue", "escalated", and how long they waited.
    pub sla: String,
    pub sla_label: String,
    pub waited: String,
    /// Warnings for the reviewer (console only).
    pub warnings: Vec<String>,
}

/// Deals at one stage: how many and what they are worth.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageTotalDto {
    pub stage: String,
    pub label: String,
    pub count: i64,
    /// Per currency: "EUR 40,000.00".
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryLineDto {
    pub at: String,
    pub who: String,
    pub what: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtensionDto {
    pub requested_at: String,
    pub days: i32,
    pub reason: String,
    pub status: String,
    pub decision: Option<String>,
}

/// One deal's whole page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealDetailDto {
    pub row: DealRowDto,
    pub country: String,
    pub contact: String,
    pub contact_email: String,
    pub products: Vec<String>,
    pub notes: Option<String>,
    pub decision_reason: Option<String>,
    /// The raw value for the stage form.
    pub value_input: String,
    pub currency: String,
    pub expected_close_input: String,
    pub history: Vec<HistoryLineDto>,
    pub extensions: Vec<ExtensionDto>,
    /// The stages the deal can move to now; empty when it can't move.
    pub next_stages: Vec<(String, String)>,
    pub can_extend: bool,
    pub extension_waiting: bool,
    pub max_extension_days: i32,
    /// The won deal's commission, when there is one.
    pub commission: Option<String>,
    /// The MDF request whose activity sourced the deal.
    pub mdf_request_id: Option<i64>,
    /// Console only: open registrations that look like the same account now.
    pub near_matches: Vec<String>,
    /// Console only: whether this operator may decide and correct.
    pub can_decide: bool,
}

/// Stages a partner can move a deal to.
pub fn movable_stages() -> Vec<(String, String)> {
    use crate::domain::deals::forecast::Stage;
    use crate::domain::deals::lifecycle::stage_label;
    Stage::ALL
        .into_iter()
        .filter(|s| *s != Stage::Registered)
        .map(|s| (s.as_str().to_owned(), stage_label(s).to_owned()))
        .collect()
}
