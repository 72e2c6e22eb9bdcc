//! Commission approvals in the console: the queue by stage with filters, row decisions and
//! batch approval, and the page of one commission.

mod batch;
mod decide;
mod detail;
mod filters;
mod queue;
mod table;

pub use detail::CommissionDetail;
pub use queue::CommissionQueue;
