//! Training and certification: the console's courses, certifications and reports, the course
//! editor, the partner's courses and quizzes, and the public verification page.

mod console;
mod editor;
mod portal;
pub mod reports;
mod verify;

pub use console::*;
pub use editor::*;
pub use portal::*;
pub use verify::*;

/// "67%", or "—" when there is nothing to divide.
pub fn percent(part: i64, whole: i64) -> String {
    if whole == 0 {
        "—".into()
    } else {
        format!("{}%", part * 100 / whole)
    }
}
