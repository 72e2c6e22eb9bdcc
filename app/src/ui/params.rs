//! Reading the current route: the `:id` segment and query parameters.

use leptos::prelude::Get;

/// The numeric `:id` of the current route (0 when missing, which no record has).
pub(crate) fn id_param() -> i64 {
    leptos_router::hooks::use_params_map()
        .get()
        .get("id")
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or(0)
}

/// A query parameter of the current URL.
pub(crate) fn query_param(name: &str) -> Option<String> {
    leptos_router::hooks::use_query_map()
        .get()
        .get(name)
        .filter(|v| !v.is_empty())
}
