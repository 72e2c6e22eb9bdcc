//! Brands: the list with a form for a new brand, and one brand's page.

mod fields;
mod list;
mod page;

pub use fields::BrandFields;
pub use list::Brands;
pub use page::BrandPage;
