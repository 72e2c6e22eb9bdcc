//! The commission engine: plans, partner terms, the pure computation, multi-level overrides,
//! refunds, the approval workflow and the ledger's standing of each entry.

pub mod adjustment;
pub mod approval;
pub mod carryover;
mod describe;
pub mod engine;
pub mod inputs;
pub mod ledger;
pub mod overrides;
pub mod periods;
pub mod plan;
pub mod plan_form;
pub mod queue;
pub mod refunds;
pub mod settings_form;
pub mod sla;
pub mod terms;
pub mod terms_form;
mod tiers;
pub mod validate;

pub use engine::{compute, Outcome};
pub use inputs::Inputs;
pub use plan::Plan;
pub use refunds::reversal_for_refund;
pub use terms::TermOverrides;

#[cfg(test)]
mod properties;
