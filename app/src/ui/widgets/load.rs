//! The one way pages wait for server data: a loading line, then the page, or an error panel
//! with the right HTTP status.

use super::feedback::{ErrorPanel, Loading};
use crate::api::error::AppError;
use crate::ui::resource::PageData;
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// Waits for `resource`, then shows `render(value)`.
///
/// Create every resource at the top of the page component, never inside `render`: the server
/// runs `render` more than once (Leptos' `Suspense` renders its content again to look for more
/// resources) and the browser once, so a resource created there exists twice on the server, and
/// the browser hydrates with the answer of the copy that was thrown away.
pub fn load<T, V>(
    resource: PageData<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| {
            view! { <Loading /> }
        }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => render(value).into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
