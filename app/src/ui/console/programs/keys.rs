//! API keys.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramKeys() -> impl IntoView {
    view! {
        <Title text="API keys" />
        <h1>"API keys"</h1>
    }
}
