//! Market development funds: balances per partner and period.

pub mod balance;
