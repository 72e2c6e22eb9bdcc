//! Reading the current route: the `:id` segment and query parameters.

use leptos::prelude::Get;

/// The numeric `:id` of the current route (0 when missing, which no record has).
pub(crate) fn id_param() -> i64 {
    number_param("id")
}

/// A numeric segment of the current route, such as `:partner_id` (0 when missing).
pub(crate) fn number_param(name: &str) -> i64 {
    leptos_router::hooks::use_params_map()
        .get()
        .get(name)
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
