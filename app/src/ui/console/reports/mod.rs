//! Console reports beyond a single program's overview: the deal pipeline and onboarding.

mod deal_filters;
mod deals;
mod onboarding;
mod probabilities;

pub use deals::DealReport;
pub use onboarding::OnboardingReport;
