//! Conversions.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramConversions() -> impl IntoView {
    view! {
        <Title text="Conversions" />
        <h1>"Conversions"</h1>
    }
}
