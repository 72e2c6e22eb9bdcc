//! Trellis as a Leptos library: pure rules in `domain`, server functions and their DTOs in `api`,
//! components in `ui`, and (server builds only) database, sessions and mail in `backend`.
#![recursion_limit = "256"]

pub mod api;
pub mod domain;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod backend;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(ui::App);
}
