//! Training's writes: operators building courses and certifications, people taking quizzes
//! and earning certificates, and the daily job that reminds holders before expiry.

pub mod authoring;
pub mod quiz;
pub mod reminders;
