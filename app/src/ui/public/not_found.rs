use crate::ui::http_status;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    http_status::set(404);
    view! {
        <Title text="Page not found" />
        <main id="main" class="public-main">
            <section class="panel narrow">
                <h1>"Page not found"</h1>
                <p>"There is nothing at this address. Check the link, or start again from the front page."</p>
                <p>
                    <a class="button" href="/">
                        "Go to the start page"
                    </a>
                </p>
            </section>
        </main>
    }
}
