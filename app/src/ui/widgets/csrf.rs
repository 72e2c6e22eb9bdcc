//! The CSRF token in every form. The server renders it into a `<meta>` tag and into forms; in
//! the browser, forms rendered later read it from the meta tag. Each time the server writes the
//! token out it is masked afresh (see `backend::csrf`), because pages are sent compressed.

use leptos::prelude::*;

pub fn csrf_token() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| {
                p.extensions
                    .get::<crate::backend::csrf::CsrfToken>()
                    .map(|t| crate::backend::csrf::masked(&t.0))
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        document()
            .query_selector("meta[name=csrf-token]")
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        String::new()
    }
}

#[component]
pub fn CsrfField() -> impl IntoView {
    view! { <input type="hidden" name="csrf_token" value=csrf_token() /> }
}
