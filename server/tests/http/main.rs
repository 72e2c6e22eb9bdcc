//! HTTP tests: the real router in process over private databases, one test binary sharing one
//! harness (`support`).

mod approvals;
mod commission_console;
mod deal_reports;
mod deals;
mod foundation;
mod home;
mod hydration;
mod mdf;
mod parallel_routers;
mod support;
mod tracking;
mod tracking_console;
