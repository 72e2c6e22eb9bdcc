//! The content library's use cases: publishing a document, adding a version, withdrawing one,
//! and storing an upload as it streams in.

pub mod flows;
pub mod upload;

#[cfg(test)]
mod tests;
