//! The commission engine's server side: accruals from conversions, reversals from refunds,
//! decisions, plans, commission settings, terms changes, adjustments (four eyes above a threshold),
//! SLA reminders and verification.

pub mod accrue;
pub mod adjust;
pub mod approvals;
pub mod facts;
pub mod partners;
pub mod plans;
pub mod reverse;
pub mod settings;
pub mod sla;
pub mod terms;
pub mod verify;

#[cfg(test)]
mod adjust_tests;
#[cfg(test)]
mod facts_tests;
#[cfg(test)]
pub(crate) mod tests;
