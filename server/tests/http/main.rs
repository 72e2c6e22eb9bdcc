//! HTTP tests: the real router in process over private databases, one test binary sharing one
//! harness (`support`).

mod approvals;
mod commission_console;
mod deals;
mod foundation;
mod mdf;
mod hydration;
mod parallel_routers;
mod support;
mod tracking;
mod tracking_console;
