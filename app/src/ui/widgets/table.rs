//! Sorting and paging links for tables. They are plain links that keep the current filters, so
//! they work without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// The current URL with some query parameters replaced (empty values are dropped). The error
/// a form post without JavaScript left in the URL (`__err`, `__path`) is dropped too, so it
/// shows once rather than on every page the links lead to.
pub fn href_with(changes: &[(&str, String)]) -> String {
    let location = use_location();
    let query = use_query_map().get_untracked();
    let mut pairs: Vec<(String, String)> = query
        .into_iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k) && k != "__err" && k != "__path")
        .map(|(k, v)| (k.into_owned(), v))
        .collect();
    pairs.extend(changes.iter().map(|(k, v)| (k.to_string(), v.clone())));
    pairs.retain(|(_, v)| !v.is_empty());
    let encoded: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    let path = location.pathname.get_untracked();
    if encoded.is_empty() {
        path
    } else {
        format!("{path}?{}", encoded.join("&"))
    }
}

/// Percent-encodes a query string key or value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Previous and next links. `param` names the page parameter ("page" unless told: a page with
/// several tables gives each its own) and `anchor` the element the links return to.
#[component]
pub fn Pager(
    page: i64,
    page_count: i64,
    total: i64,
    #[prop(optional, into)] param: Option<String>,
    #[prop(optional, into)] anchor: Option<String>,
) -> impl IntoView {
    let param = param.unwrap_or_else(|| "page".to_owned());
    let fragment = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    let link = |page: i64| format!("{}{fragment}", href_with(&[(param.as_str(), page.to_string())]));
    let prev = (page > 1).then(|| link(page - 1));
    let next = (page < page_count).then(|| link(page + 1));
    view! {
        <nav class="pager" aria-label="Pages">
            <span>{format!("Page {page} of {page_count} · {total} in all")}</span>
            {prev
                .map(|href| {
                    view! {
                        <a href=href rel="prev">
                            "← Previous"
                        </a>
                    }
                })}
            {next
                .map(|href| {
                    view! {
                        <a href=href rel="next">
                            "Next →"
                        </a>
                    }
                })}
        </nav>
    }
}

/// A column header that sorts by `key`; shows which sort is active.
#[component]
pub fn SortLink(label: &'static str, key: &'static str, current: String) -> impl IntoView {
    let active = current == key;
    let href = href_with(&[("sort", key.to_owned()), ("page", String::new())]);
    view! {
        <a href=href class:active=active aria-current=active.then_some("true")>
            {label}
            {active.then_some(" ▾")}
        </a>
    }
}
