//! Links.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramLinks() -> impl IntoView {
    view! {
        <Title text="Links" />
        <h1>"Links"</h1>
    }
}
