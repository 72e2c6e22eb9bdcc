//! Paying partners: their payout details (sealed at rest) and the data key's checks.

pub mod details;
pub mod keys;
#[cfg(test)]
mod tests;
