//! `/console/deals`: registrations by status with counts, each waiting one's SLA clock, a filter
//! form (a plain GET form) and a sortable, paged table.

use crate::api::deals::console::{deal_queue, DealQuery, DealQueueDto};
use crate::ui::params::query_param;
use crate::ui::resource::resource;
use crate::ui::widgets::table::href_with;
use crate::ui::widgets::{load, DealTable, EmptyState, Pager, ProgramFilter};
use leptos::prelude::*;
use leptos_meta::Title;

fn query_from_url() -> DealQuery {
    DealQuery {
        tab: query_param("tab"),
        program: query_param("program").and_then(|p| p.parse().ok()),
        q: query_param("q"),
        sort: query_param("sort"),
        page: query_param("page").and_then(|p| p.parse().ok()),
    }
}

#[component]
pub fn DealQueue() -> impl IntoView {
    let queue = resource(query_from_url, deal_queue);
    view! {
        <Title text="Deals" />
        <h1>"Deal registrations"</h1>
        {load(queue, |q| view! { <QueuePage q /> }.into_any())}
    }
}

#[component]
fn QueuePage(q: DealQueueDto) -> impl IntoView {
    let query = query_from_url();
    view! {
        <nav aria-label="Deal statuses">
            <ul class="tabs">
                {q
                    .tabs
                    .iter()
                    .map(|tab| {
                        let current = tab.key == q.tab;
                        let href = href_with(
                            &[("tab", tab.key.clone()), ("page", String::new()), ("sort", String::new())],
                        );
                        view! {
                            <li>
                                <a href=href aria-current=current.then_some("page")>
                                    {tab.label.clone()}
                                    " "
                                    <span class="count">{tab.count}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        {(q.extensions_waiting > 0)
            .then(|| {
                view! {
                    <p class="alert alert-info">
                        {format!(
                            "{} protection extension request(s) wait for a decision; they show on their deal's page (Protected tab).",
                            q.extensions_waiting,
                        )}
                    </p>
                }
            })}
        <form method="get" class="filters" role="search" aria-label="Filter the deals">
            <input type="hidden" name="tab" value=q.tab.clone() />
            <ProgramFilter id="filter-program" programs=q.programs.clone() selected=query.program />
            <div class="field">
                <label for="filter-q">"Company, domain or partner"</label>
                <input id="filter-q" name="q" type="search" value=query.q.clone().unwrap_or_default() />
            </div>
            <button type="submit" class="button secondary">
                "Filter"
            </button>
        </form>
        {if q.page.rows.is_empty() {
            view! {
                <EmptyState title="Nothing here">
                    <p>
                        {if q.tab == "pending" {
                            "No registration waits for review. New ones appear here, oldest first, with their SLA clock."
                        } else {
                            "No deals match. Try another tab or clear the filters."
                        }}
                    </p>
                </EmptyState>
            }
                .into_any()
        } else {
            view! {
                <DealTable rows=q.page.rows.clone() link="/console/deals" console=true sort=q.sort.clone() />
                <Pager page=q.page.page page_count=q.page.page_count() total=q.page.total />
            }
                .into_any()
        }}
    }
}
