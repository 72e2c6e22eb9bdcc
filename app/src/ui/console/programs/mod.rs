//! A program in the console: its list, overview report, tracking settings, links, coupons, API
//! keys, integration snippets and conversions, one file per tab.

mod conversions;
mod coupons;
mod integration;
mod keys;
mod links;
mod list;
mod overview;
mod settings;
mod tabs;

pub use conversions::ProgramConversions;
pub use coupons::ProgramCoupons;
pub use integration::ProgramIntegration;
pub use keys::ProgramKeys;
pub use links::ProgramLinks;
pub use list::Programs;
pub use overview::ProgramOverview;
pub use settings::ProgramSettings;
