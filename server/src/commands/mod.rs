//! The `trellis` subcommands.

pub mod create_operator;
pub mod local_db;
pub mod seed;
pub mod serve;
