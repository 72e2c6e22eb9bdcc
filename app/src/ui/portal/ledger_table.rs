//! The partner's ledger as a table: date, program, order, kind, amount (negative entries marked
//! as deductions), standing, when it becomes payable, the terms and why.

use crate::api::my_commissions::LedgerLineDto;
use crate::ui::widgets::{EmptyState, StatusBadge};
use leptos::prelude::*;

#[component]
pub fn LedgerTable(rows: Vec<LedgerLineDto>, filtered: bool) -> impl IntoView {
    if rows.is_empty() {
        return if filtered {
            view! {
                <EmptyState title="No entries match these filters">
                    <p>
                        "Choose another standing or program, or " <a href="/portal/commissions">"clear the filters"</a>
                        "."
                    </p>
                </EmptyState>
            }
            .into_any()
        } else {
            view! {
                <EmptyState title="No commission entries yet">
                    <p>
                        "Each sale you bring adds an entry here. Share your "
                        <a href="/portal/links">"tracked links"</a> " to start earning."
                    </p>
                </EmptyState>
            }
            .into_any()
        };
    }
    view! {
        <div class="table-wrap">
            <table class="ledger">
                <caption class="sr-only">"Your commission entries, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Entry"</th>
                        <th scope="col" class="num">
                            "Amount"
                        </th>
                        <th scope="col">"Standing"</th>
                        <th scope="col">"Terms"</th>
                        <th scope="col">"Why"</th>
                    </tr>
                </thead>
                <tbody>{rows.into_iter().map(|line| view! { <LedgerRow line /> }).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn LedgerRow(line: LedgerLineDto) -> impl IntoView {
    view! {
        <tr class:negative-row=line.negative>
            <td class="nowrap">{line.date.clone()}</td>
            <td>
                <strong>{line.kind_label.clone()}</strong>
                {line
                    .order_id
                    .clone()
                    .map(|o| {
                        view! {
                            " "
                            <code>{o}</code>
                        }
                    })}
                <br />
                <small class="muted">{line.program_name.clone()}</small>
            </td>
            <td class="num" class:negative=line.negative>
                {line.amount.clone()}
                {line.negative.then(|| view! { <span class="sr-only">" (deducted)"</span> })}
            </td>
            <td>
                <StatusBadge status=line.standing.clone() label=line.standing_label.clone() />
                <br />
                <small class="muted">{line.payable_from.clone()}</small>
            </td>
            <td class="nowrap">{line.terms.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="why">
                {line.explanation.clone()}
                {line
                    .reason
                    .clone()
                    .map(|r| {
                        view! {
                            <br />
                            <small class="muted">{format!("Reason: {r}")}</small>
                        }
                    })}
            </td>
        </tr>
    }
}
