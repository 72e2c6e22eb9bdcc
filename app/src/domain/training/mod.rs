//! Training: quizzes scored on the server, the rules for attempts, certifications and their
//! validity, the video hosts a lesson may embed, and the forms operators fill in.

pub mod attempts;
pub mod certification;
pub mod emails;
pub mod form;
pub mod quiz;
pub mod video;
