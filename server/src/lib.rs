//! The `trellis` server: configuration, the router and its middleware, the handlers that don't
//! go through Leptos, background workers, the local PostgreSQL and the command-line tools.

pub mod assets;
pub mod cache_listener;
pub mod commands;
pub mod config;
pub mod handlers;
pub mod local_pg;
pub mod middleware;
pub mod pages;
pub mod replica;
pub mod router;
pub mod soak;
pub mod startup;
pub mod static_files;
pub mod telemetry;
pub mod tracking;
pub mod workers;
