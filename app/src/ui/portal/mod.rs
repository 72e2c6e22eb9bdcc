//! The partner portal.

mod dashboard;
mod planned;
mod programs;

pub use dashboard::Dashboard;
pub use planned::{Deals, Links, Mdf, Payouts, Training};
pub use programs::Programs;

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Settings() -> impl IntoView {
    view! {
        <Title text="Settings"/>
        <h1>"Settings"</h1>
        <crate::ui::account::ChangePasswordForm/>
    }
}
