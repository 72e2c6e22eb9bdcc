//! Coupons.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramCoupons() -> impl IntoView {
    view! {
        <Title text="Coupons" />
        <h1>"Coupons"</h1>
    }
}
