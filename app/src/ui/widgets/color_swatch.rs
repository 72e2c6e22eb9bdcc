//! A small square of a colour (a brand's). Drawn as SVG with a `fill` attribute: the CSP allows
//! no inline `style`, and a presentation attribute isn't one.

use leptos::prelude::*;

#[component]
pub fn ColorSwatch(color: String, #[prop(default = 12)] size: u32) -> impl IntoView {
    view! {
        <svg
            class="color-swatch"
            width=size
            height=size
            viewBox="0 0 12 12"
            aria-hidden="true"
            focusable="false"
        >
            <rect width="12" height="12" rx="2" fill=color />
        </svg>
    }
}
