//! Tracking settings.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramSettings() -> impl IntoView {
    view! {
        <Title text="Tracking settings" />
        <h1>"Tracking settings"</h1>
    }
}
