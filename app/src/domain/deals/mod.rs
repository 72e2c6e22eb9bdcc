//! Deal registration: who owns a prospect (domain and company-name keys for conflicts and near
//! matches) and pipeline arithmetic (stages, probabilities, forecasts).

pub mod forecast;
pub mod probability_form;
pub mod prospect;
pub mod report;
