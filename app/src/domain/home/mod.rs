//! The operator's home page: which queues a person sees and when their items are late, how the
//! last 30 days compare with the 30 before, and which partners lead or fell behind. The page's
//! queries live in `backend/repos/home_*`, its DTOs in `api/dashboard.rs`.

pub mod change;
pub mod partners;
pub mod queues;
pub mod window;
