//! The partner's deals: the list by stage, the registration form and one deal's page.

mod detail;
mod list;
mod new;

pub use detail::DealPage;
pub use list::Deals;
pub use new::NewDeal;
