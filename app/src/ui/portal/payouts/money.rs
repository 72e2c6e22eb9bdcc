//! The partner's money on the Payouts page: the balance by where it stands (pending, payable,
//! in a payout on its way, paid), what the next payout should be, why the latest run held a
//! balance back, and the payouts so far with their statements.

use crate::api::error::AppError;
use crate::api::my_payouts::{BalanceDto, MyPayoutsDto, PayoutLineDto};
use crate::ui::resource::PageData;
use crate::ui::widgets::{load, StatusBadge};
use leptos::prelude::*;

/// `data` is made by the page itself, not here: this component renders inside the page's own
/// loaded data, and a resource made there would be made twice and one copy thrown away.
#[component]
pub fn PayoutMoney(data: PageData<Result<MyPayoutsDto, AppError>>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="payouts-heading">
            <h2 id="payouts-heading">"Your payouts"</h2>
            {load(data, move |d: MyPayoutsDto| view! { <Money d /> }.into_any())}
        </section>
    }
}

#[component]
fn Money(d: MyPayoutsDto) -> impl IntoView {
    if d.balances.is_empty() && d.history.is_empty() {
        return view! {
            <p>
                "Nothing earned yet. Approved commission becomes payable when its program's lock period ends; see "
                <a href="/portal/commissions">"Commissions"</a>
                " for what you have earned so far."
            </p>
        }
        .into_any();
    }
    view! {
        {d.balances.into_iter().map(|b| view! { <Balance b /> }).collect_view()}
        {(!d.next.is_empty()).then(|| view! { <p><strong>"Next payout (estimated): "</strong>{d.next.join("; ")}"."</p> })}
        {(!d.held_back.is_empty())
            .then(|| {
                view! {
                    <div class="alert alert-warning">
                        <p><strong>"Held back in the latest payout run:"</strong></p>
                        <ul>{d.held_back.into_iter().map(|h| view! { <li>{h}</li> }).collect_view()}</ul>
                    </div>
                }
            })}
        <h3>"Payout history"</h3>
        <History rows=d.history />
    }
    .into_any()
}

#[component]
fn Balance(b: BalanceDto) -> impl IntoView {
    view! {
        <dl class="balance-cards" aria-label=format!("{} balance", b.currency)>
            <div><dt>"Pending"</dt><dd>{b.pending}</dd></div>
            <div><dt>"Payable"</dt><dd>{b.payable}</dd></div>
            <div><dt>"In a payout run"</dt><dd>{b.in_run}</dd></div>
            <div><dt>"Paid"</dt><dd>{b.paid}</dd></div>
        </dl>
        {b.clawback.map(|c| view! {
            <p class="alert alert-warning">
                {format!("Refunds after earlier payouts leave {c} to take back: it comes out of your next earnings before anything is paid.")}
            </p>
        })}
    }
}

#[component]
fn History(rows: Vec<PayoutLineDto>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No payouts yet: the first appears here when a program pays you."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Payouts"</caption>
                <thead>
                    <tr>
                        <th scope="col">"From"</th>
                        <th scope="col" class="num">"Amount"</th>
                        <th scope="col">"Paid to"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Statement"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <td>{r.brand}<br /><code class="muted">{r.reference}</code></td>
                                    <td class="num">{r.amount}</td>
                                    <td>{r.method}</td>
                                    <td>
                                        <StatusBadge status=r.status label=r.status_label />
                                        {r.detail.map(|d| view! { <br /><span class="muted">{d}</span> })}
                                    </td>
                                    <td>
                                        {r.has_statement.then(|| view! {
                                            <a href=format!("/portal/payouts/statements/{}", r.item_id)>"Open statement"</a>
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
}
