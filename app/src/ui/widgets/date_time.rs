//! A date and time in a table cell.

use leptos::prelude::*;

/// "2026-12-04 06:38 UTC" in two unbreakable parts: a narrow column wraps between the date and
/// the time, never inside either.
pub fn date_and_time(at: &str) -> impl IntoView {
    let (date, time) = at.split_once(' ').unwrap_or((at, ""));
    view! {
        <span class="nowrap">{date.to_owned()}</span>
        " "
        <span class="nowrap">{time.to_owned()}</span>
    }
}
