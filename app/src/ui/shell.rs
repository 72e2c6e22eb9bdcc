//! The HTML document around the app (server only).

use super::{widgets, App};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags};

/// The HTML document around the app. Its inline scripts (from `HydrationScripts`
/// and `AutoReload`) carry the render's nonce, which the Content-Security-Policy names.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let csrf = widgets::csrf::csrf_token();
    crate::backend::csp::for_this_page(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="csrf-token" content=csrf />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // The stylesheet's name carries its content hash, which only the server knows.
                <HashedStylesheet options=options.clone() id="trellis" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <script src="/copy.js" defer></script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}
