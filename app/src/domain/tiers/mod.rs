//! Tiers that move by themselves: a program's ladder of ranked tiers with criteria over a
//! trailing window, the evaluation that promotes at once and demotes after a grace period, and
//! the progress a partner sees towards the next tier.

pub mod emails;
mod evaluate;
mod form;
mod ladder;
mod progress;

pub use evaluate::{after, decide, qualified, Decision, Standing};
pub use form::{fields_of, parse, tier_key, Fields, MAX_TIERS, TIER_FIELDS};
pub use ladder::{Criteria, Criterion, Ladder, Measures, TermsMove, Tier};
pub use progress::{progress, Progress, Step};
