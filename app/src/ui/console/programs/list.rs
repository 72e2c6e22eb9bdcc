//! Programs.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Programs() -> impl IntoView {
    view! {
        <Title text="Programs" />
        <h1>"Programs"</h1>
    }
}
