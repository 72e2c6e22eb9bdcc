//! The queue's stage tabs (with counts) and its filter form, a plain GET form that works
//! without JavaScript.

use crate::api::approvals::{QueueDto, QueueQuery};
use crate::ui::widgets::table::href_with;
use leptos::prelude::*;

#[component]
pub fn StageTabs(queue: QueueDto) -> impl IntoView {
    view! {
        <nav aria-label="Approval stages">
            <ul class="tabs">
                {queue
                    .tabs
                    .into_iter()
                    .map(|tab| {
                        let current = tab.key == queue.tab;
                        let href = href_with(&[("tab", tab.key.clone()), ("page", String::new())]);
                        view! {
                            <li>
                                <a href=href aria-current=current.then_some("page")>
                                    {tab.label}
                                    " "
                                    <span class="count">{tab.count}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
pub fn QueueFilters(queue: QueueDto, query: QueueQuery) -> impl IntoView {
    let error = queue.min_amount_error.clone();
    let has_error = error.is_some();
    view! {
        <form method="get" class="filters" role="search" aria-label="Filter the queue">
            <input type="hidden" name="tab" value=queue.tab.clone() />
            {query.sort.clone().map(|s| view! { <input type="hidden" name="sort" value=s /> })}
            <div class="field">
                <label for="filter-program">"Program"</label>
                <select id="filter-program" name="program">
                    <option value="">"All programs"</option>
                    {queue
                        .programs
                        .iter()
                        .map(|(id, name)| {
                            view! {
                                <option value=id.to_string() selected=query.program == Some(*id)>
                                    {name.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-partner">"Partner name"</label>
                <input
                    id="filter-partner"
                    type="search"
                    name="partner"
                    maxlength="100"
                    value=query.partner.clone().unwrap_or_default()
                />
            </div>
            <div class="field" class:has-error=has_error>
                <label for="filter-min">"Minimum amount"</label>
                <input
                    id="filter-min"
                    type="text"
                    inputmode="decimal"
                    name="min_amount"
                    maxlength="20"
                    placeholder="e.g. 100"
                    value=query.min_amount.clone().unwrap_or_default()
                    aria-invalid=has_error.to_string()
                    aria-describedby=has_error.then_some("filter-min-error")
                />
                {error
                    .map(|message| {
                        view! {
                            <p class="field-error" id="filter-min-error" role="alert">
                                {message}
                            </p>
                        }
                    })}
            </div>
            <div class="field checkbox">
                <input
                    id="filter-overdue"
                    type="checkbox"
                    name="overdue"
                    value="yes"
                    checked=query.overdue.as_deref() == Some("yes")
                />
                <label for="filter-overdue">"Only waiting longer than the SLA"</label>
            </div>
            <button type="submit" class="button secondary">
                "Filter"
            </button>
            <a href=format!("/console/commissions?tab={}", queue.tab)>"Clear filters"</a>
        </form>
        {has_error
            .then(|| view! { <p class="muted">"The list below ignores the minimum amount until it is corrected."</p> })}
    }
}
