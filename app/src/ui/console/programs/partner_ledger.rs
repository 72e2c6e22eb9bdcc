//! A partner's money in one program: balance cards by standing and the ledger, newest first,
//! each entry with the terms version it was computed under and its explanation.

use crate::api::program_partner::{BalanceDto, LedgerLineDto};
use crate::ui::widgets::{EmptyState, StatusBadge};
use leptos::prelude::*;

#[component]
pub fn BalanceCards(balances: Vec<BalanceDto>) -> impl IntoView {
    view! {
        <dl class="cards" aria-label="Balances in this program">
            {balances
                .into_iter()
                .map(|b| {
                    let entries = match b.entries {
                        1 => "1 entry".to_owned(),
                        n => format!("{n} entries"),
                    };
                    view! {
                        <div class="card">
                            <dt>{b.label}</dt>
                            <dd>
                                <span class="card-value">{b.amount}</span>
                                <span class="card-hint">{entries}</span>
                            </dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
    }
}

#[component]
pub fn LedgerTable(lines: Vec<LedgerLineDto>) -> impl IntoView {
    if lines.is_empty() {
        return view! {
            <EmptyState title="No ledger entries yet">
                <p>
                    "Commissions appear here when this partner's conversions arrive; adjustments appear when someone records one."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="ledger">
                <caption class="sr-only">"Ledger entries, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Recorded"</th>
                        <th scope="col">"Entry"</th>
                        <th scope="col" class="num">
                            "Amount"
                        </th>
                        <th scope="col">"Standing"</th>
                        <th scope="col">"How it was computed"</th>
                    </tr>
                </thead>
                <tbody>
                    {lines
                        .into_iter()
                        .map(|l| {
                            let order = match (&l.order_id, &l.event, &l.sale_amount) {
                                (Some(order), Some(event), Some(amount)) => format!("{event} {order} · {amount}"),
                                (Some(order), _, _) => order.clone(),
                                _ => String::new(),
                            };
                            view! {
                                <tr>
                                    <td class="nowrap">{l.created_at}</td>
                                    <td>
                                        {l.kind}
                                        {(!order.is_empty())
                                            .then(|| {
                                                view! {
                                                    <br />
                                                    <span class="muted">{order}</span>
                                                }
                                            })}
                                    </td>
                                    <td class="num">{l.amount}</td>
                                    <td>
                                        <StatusBadge status=l.standing label=l.standing_label />
                                        <br />
                                        <span class="muted nowrap">{format!("payable from {}", l.payable_at)}</span>
                                    </td>
                                    <td class="explain">
                                        {l
                                            .terms
                                            .map(|t| {
                                                view! {
                                                    <span class="muted">{format!("Terms {t}")}</span>
                                                    <br />
                                                }
                                            })} {l.explanation}
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
}
