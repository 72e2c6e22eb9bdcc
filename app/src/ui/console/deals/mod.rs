//! Deal registrations in the console: the review queue and one deal's page.

mod decide;
mod detail;
mod queue;

pub use detail::DealReview;
pub use queue::DealQueue;
