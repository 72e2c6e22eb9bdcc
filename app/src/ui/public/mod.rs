//! Pages anyone can open: the start page, login, password reset and program applications.

mod join;
mod join_questions;
mod landing;
mod login;
mod not_found;
mod password;
mod setup;
mod verify;

pub use join::{Join, JoinThanks};
pub use landing::Landing;
pub use login::{Login, LoginCode};
pub use not_found::NotFound;
pub use password::{ForgotPassword, SetPassword};
pub use setup::Setup;
pub use verify::Verify;
