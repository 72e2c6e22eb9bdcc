//! Deal registration: who owns a prospect (domain and company-name keys for conflicts and near
//! matches), what a registration must contain, where a deal stands and may go next, pipeline
//! arithmetic (stages, probabilities, forecasts) and the pipeline report's rules.

pub mod customers;
pub mod emails;
pub mod forecast;
pub mod lifecycle;
pub mod probability_form;
pub mod prospect;
pub mod queue;
pub mod registration;
pub mod report;
