//! The queue's table: one row per waiting commission or manual adjustment (marked, with its
//! reason and author), sortable by waiting time and amount, with a checkbox for batch approval
//! and the row's own decision forms.

use super::batch::BATCH_FORM;
use super::decide::{DecisionForms, Target};
use crate::api::approvals::{DecideCommission, QueueRowDto};
use crate::api::error::AppError;
use crate::ui::widgets::date_time::date_and_time;
use crate::ui::widgets::{EmptyState, SortLink, StatusBadge};
use leptos::prelude::*;

#[component]
pub fn QueueTable(
    rows: Vec<QueueRowDto>,
    sort: String,
    filtered: bool,
    decide: ServerAction<DecideCommission>,
    last_id: RwSignal<Option<i64>>,
) -> impl IntoView {
    if rows.is_empty() {
        return if filtered {
            view! {
                <EmptyState title="Nothing here matches these filters">
                    <p>
                        "Try another stage tab, lower the minimum amount or "
                        <a href="/console/commissions">"clear the filters"</a>"."
                    </p>
                </EmptyState>
            }
            .into_any()
        } else {
            view! {
                <EmptyState title="Nothing waits at this stage">
                    <p>
                        "New commissions arrive here when a conversion earns more than the program approves automatically. Check the other stage tabs, or set the thresholds in each program's settings."
                    </p>
                </EmptyState>
            }
            .into_any()
        };
    }
    let selectable = rows.iter().any(|r| r.offered.approve);
    view! {
        <div class="table-wrap">
            <table class="queue fold">
                <caption class="sr-only">"Commissions waiting for a decision"</caption>
                <thead>
                    <tr>
                        {selectable
                            .then(|| {
                                view! {
                                    <th scope="col">
                                        <span class="sr-only">"Select"</span>
                                    </th>
                                }
                            })} <th scope="col">"Commission"</th> <th scope="col">"Partner"</th>
                        <th scope="col">"Order"</th> <th scope="col" class="num">
                            <SortLink label="Amount" key="amount" current=sort.clone() />
                        </th> <th scope="col">
                            <SortLink label="Waiting" key="waiting" current=sort.clone() />
                            " "
                            <SortLink label="(newest first)" key="newest" current=sort />
                        </th> <th scope="col">"Why it is here"</th> <th scope="col">"Decision"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let id = row.id;
                            let error = Signal::derive(move || {
                                if last_id.get() == Some(id) {
                                    decide.value().get().and_then(Result::err)
                                } else {
                                    None
                                }
                            });
                            view! { <QueueRow row decide error selectable /> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn QueueRow(
    row: QueueRowDto,
    decide: ServerAction<DecideCommission>,
    error: Signal<Option<AppError>>,
    selectable: bool,
) -> impl IntoView {
    let id = row.id;
    let select_id = format!("select-{id}");
    let target = Target {
        id,
        seq: row.seq,
        offered: row.offered,
    };
    view! {
        <tr>
            {selectable
                .then(|| {
                    view! {
                        <td>
                            {row
                                .offered
                                .approve
                                .then(|| {
                                    view! {
                                        <label class="sr-only" for=select_id.clone()>
                                            {format!("Select commission #{id}")}
                                        </label>
                                        <input
                                            id=select_id.clone()
                                            type="checkbox"
                                            name="ids[]"
                                            value=format!("{id}:{}", row.seq)
                                            form=BATCH_FORM
                                        />
                                    }
                                })}
                        </td>
                    }
                })} <td data-label="Commission">
                <a href=format!("/console/commissions/{id}") class="nowrap">
                    {format!("#{id}")}
                </a>
                <br />
                <span class="muted">{row.program_name.clone()}</span>
            </td> <td data-label="Partner">{row.partner_name.clone()}</td> <td data-label="Order">
                {match row.adjustment.clone() {
                    Some(a) => {
                        view! {
                            <StatusBadge status="adjustment".to_owned() label="Adjustment".to_owned() />
                            <br />
                            <span class="muted">{format!("by {}", a.author)}</span>
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <code class="wrap-anywhere">{row.order_id.clone()}</code>
                            <br />
                            <span class="muted wrap-anywhere">{row.event.clone()}</span>
                        }
                            .into_any()
                    }
                }}
            </td> <td class="num" data-label="Amount">{row.amount.clone()}</td> <td data-label="Waiting">
                <span class="nowrap">{row.waited.clone()}</span>
                <br />
                <small class="muted">"since " {date_and_time(&row.waiting_since)}</small>
                <br />
                {(!row.sla.is_empty())
                    .then(|| {
                        view! { <StatusBadge status=format!("sla-{}", row.sla) label=row.sla_label.clone() /> }
                    })}
            </td>
            <td data-label="Why it is here">
                {row
                    .adjustment
                    .as_ref()
                    .map(|a| {
                        view! {
                            <strong>"Reason: "</strong>
                            {a.reason.clone()}
                            <br />
                        }
                    })}
                {row.routing_reason.clone()}
                {row
                    .hold_reason
                    .clone()
                    .map(|reason| {
                        view! {
                            <br />
                            <strong>"Held: "</strong>
                            {reason}
                        }
                    })}
            </td>
            <td data-label="Decision">
                {if row.offered.any() {
                    view! { <DecisionForms target action=decide error /> }.into_any()
                } else {
                    view! { <span class="muted">"Not yours to decide"</span> }.into_any()
                }}
                {row
                    .adjustment
                    .as_ref()
                    .filter(|a| a.yours)
                    .map(|_| view! { <p class="hint">"You wrote it: someone else with finance rights approves it."</p> })}
            </td>
        </tr>
    }
}
