//! The commission benchmarks' commands (hidden from `--help`; `make bench` and
//! `make bench-commissions` run them): the engine alone over synthetic conversions, and seeding
//! a database with engine-computed commissions for timing `trellis verify-commissions`.

pub mod engine;
pub mod seed;
pub mod workload;
