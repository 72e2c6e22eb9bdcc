//! The commission engine's server side: accruals from conversions, reversals from refunds,
//! decisions, terms changes, adjustments, SLA reminders and verification.

pub mod accrue;
pub mod adjust;
pub mod approvals;
pub mod facts;
pub mod partners;
pub mod reverse;
pub mod sla;
pub mod terms;
pub mod verify;

#[cfg(test)]
mod tests;
