//! The `trellis` subcommands.

pub mod api_key;
mod archive;
pub mod backup;
pub mod bench_commissions;
pub mod bench_conversions;
pub mod bench_deals;
pub mod bench_payouts;
mod bench_sql;
pub mod bench_tiers;
pub mod create_operator;
pub mod data_key;
pub mod local_db;
pub mod rebuild_stats;
pub mod restore;
pub mod retention;
pub mod seed;
pub mod serve;
pub mod verify_commissions;
