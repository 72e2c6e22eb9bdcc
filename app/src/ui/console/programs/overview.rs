//! Program overview.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramOverview() -> impl IntoView {
    view! {
        <Title text="Program overview" />
        <h1>"Program overview"</h1>
    }
}
