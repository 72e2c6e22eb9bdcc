//! Deal registration: who owns a prospect (domain and company-name keys for conflicts and near
//! matches), what a registration must contain, where a deal stands and may go next, and
//! pipeline arithmetic (stages, probabilities, forecasts).

pub mod customers;
pub mod emails;
pub mod forecast;
pub mod lifecycle;
pub mod prospect;
pub mod registration;
