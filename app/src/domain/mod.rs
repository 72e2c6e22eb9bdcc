//! Business rules with no IO: no clock reads, no database, no framework types.
//! Everything here compiles for the browser too and is tested beside the code.

pub mod access;
pub mod country;
pub mod emails;
pub mod format;
pub mod html;
pub mod join;
pub mod membership;
pub mod partner_kind;
pub mod password;
pub mod redirect;
pub mod validate;
