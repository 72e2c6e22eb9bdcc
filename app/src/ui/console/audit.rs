//! The audit trail, newest first, with filters.

use super::query_param;
use crate::api::audit::list_audit;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState, Pager};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Audit() -> impl IntoView {
    let filters = move || {
        (
            query_param("action"),
            query_param("actor"),
            query_param("subject"),
            query_param("page").and_then(|p| p.parse().ok()),
        )
    };
    let events = resource(filters, |(action, actor, subject, page)| {
        list_audit(action, actor, subject, page)
    });
    view! {
        <Title text="Audit trail" />
        <h1>"Audit trail"</h1>
        <p class="muted">
            "Every change made by an operator or a partner. Entries can't be edited or deleted, not even in the database."
        </p>
        {load(
            events,
            move |list| {
                let (action, actor, subject, _) = filters();
                view! {
                    <form method="get" class="filters" role="search" aria-label="Filter the audit trail">
                        <div class="field">
                            <label for="filter-action">"Action"</label>
                            <select id="filter-action" name="action">
                                <option value="">"Any action"</option>
                                {list
                                    .actions
                                    .iter()
                                    .map(|a| {
                                        view! {
                                            <option value=a.clone() selected=action.as_deref() == Some(a.as_str())>
                                                {a.clone()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="filter-actor">"Actor"</label>
                            <input id="filter-actor" type="search" name="actor" value=actor.unwrap_or_default() />
                        </div>
                        <div class="field">
                            <label for="filter-subject">"Subject"</label>
                            <input
                                id="filter-subject"
                                type="search"
                                name="subject"
                                placeholder="membership:12"
                                value=subject.unwrap_or_default()
                            />
                        </div>
                        <button type="submit" class="button secondary">
                            "Filter"
                        </button>
                    </form>
                    {if list.page.rows.is_empty() {
                        view! {
                            <EmptyState title="No events match">
                                <p>"Clear the filters to see the whole trail."</p>
                            </EmptyState>
                        }
                            .into_any()
                    } else {
                        view! {
                            <div class="table-wrap">
                                <table class="audit">
                                    <caption class="sr-only">"Audit events"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"When"</th>
                                            <th scope="col">"Actor"</th>
                                            <th scope="col">"Action"</th>
                                            <th scope="col">"Subject"</th>
                                            <th scope="col">"Change"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .page
                                            .rows
                                            .clone()
                                            .into_iter()
                                            .map(|e| {
                                                view! {
                                                    <tr>
                                                        <td>{e.occurred_at}</td>
                                                        <td>
                                                            {e.actor}
                                                            {e
                                                                .ip
                                                                .map(|ip| {
                                                                    view! {
                                                                        <span class="muted block">{format!("from {ip}")}</span>
                                                                    }
                                                                })}
                                                        </td>
                                                        <td>
                                                            <code>{e.action}</code>
                                                        </td>
                                                        <td>
                                                            <a href=format!(
                                                                "/console/audit?subject={}",
                                                                e.subject,
                                                            )>{e.subject.clone()}</a>
                                                        </td>
                                                        <td class="change">
                                                            {e
                                                                .before
                                                                .map(|b| {
                                                                    view! {
                                                                        <div>
                                                                            <span class="muted">"before "</span>
                                                                            <code>{b}</code>
                                                                        </div>
                                                                    }
                                                                })}
                                                            {e
                                                                .after
                                                                .map(|a| {
                                                                    view! {
                                                                        <div>
                                                                            <span class="muted">"after "</span>
                                                                            <code>{a}</code>
                                                                        </div>
                                                                    }
                                                                })}
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                            .into_any()
                    }}
                    <Pager page=list.page.page page_count=list.page.page_count() total=list.page.total />
                }
                    .into_any()
            },
        )}
    }
}
