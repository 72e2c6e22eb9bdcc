//! Tiers that move by themselves: saving a program's ladder (after its impact preview), the
//! evaluation that moves partners (daily, or on demand), operators' locks, and the moves they
//! share, which write the tier, the terms its plan pays, the history, the audit and the email.

pub mod evaluate;
pub mod ladder;
pub mod lock;
pub mod moves;
pub mod terms;
#[cfg(test)]
mod tests;
