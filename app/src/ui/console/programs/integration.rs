//! Integration.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramIntegration() -> impl IntoView {
    view! {
        <Title text="Integration" />
        <h1>"Integration"</h1>
    }
}
