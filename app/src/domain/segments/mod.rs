//! Dynamic segments: a program's saved filters over its active partners. A segment keeps only
//! its filter, and its members are worked out each time it is used (a bulk terms amendment, an
//! MDF allocation, a CSV export), so it is always current.

pub mod filter;
pub mod tags;

pub use filter::{Activation, Facts, Filter};
