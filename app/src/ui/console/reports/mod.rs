//! Console reports beyond a single program's overview: the deal pipeline.

mod deal_filters;
mod deals;
mod probabilities;

pub use deals::DealReport;
