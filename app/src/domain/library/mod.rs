//! The content library: which files a document may be, what operators fill in, and who may see
//! a document.

pub mod file_type;
pub mod form;
pub mod visibility;

pub use file_type::DocumentType;
pub use visibility::DocumentVisibility;
