//! `/console/payouts/:id`: one run: its totals, approval (by someone other than its maker),
//! files, the payments with their settlement forms, the settlement file upload, and every
//! balance the run held back with its reason.

use super::settle::{SettleForms, SettlementUpload};
use crate::api::payout_runs::{
    payout_run, ApprovePayoutRun, DiscardPayoutRun, ItemDto, PayoutRunDto, SettlePayoutItem, SkipDto,
};
use crate::ui::params::{id_param, query_param};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, Pager, SortLink, StatusBadge};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PayoutRun() -> impl IntoView {
    let approve = ServerAction::<ApprovePayoutRun>::new();
    let discard = ServerAction::<DiscardPayoutRun>::new();
    let settle = ServerAction::<SettlePayoutItem>::new();
    let params = move || {
        (
            id_param(),
            query_param("sort"),
            query_param("page").and_then(|p| p.parse::<i64>().ok()),
        )
    };
    let data = resource(
        move || {
            (
                params(),
                approve.version().get(),
                discard.version().get(),
                settle.version().get(),
            )
        },
        |((id, sort, page), ..)| payout_run(id, sort, page),
    );
    view! {
        <Title text="Payout run" />
        <p>
            <a href="/console/payouts">"← Payout runs"</a>
        </p>
        {load(data, move |d: PayoutRunDto| view! { <Run d approve discard settle /> }.into_any())}
    }
}

#[component]
fn Run(
    d: PayoutRunDto,
    approve: ServerAction<ApprovePayoutRun>,
    discard: ServerAction<DiscardPayoutRun>,
    settle: ServerAction<SettlePayoutItem>,
) -> impl IntoView {
    let id = d.id;
    let run_errors = Signal::derive(move || {
        approve
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| discard.value().get().and_then(Result::err))
    });
    let draft = d.status == "draft";
    let approved = d.status == "approved";
    let settled_files = matches!(d.status.as_str(), "approved" | "complete");
    view! {
        <h1>{format!("Payout run #{id}")}</h1>
        <dl class="facts">
            <dt>"Status"</dt>
            <dd><StatusBadge status=d.status.clone() label=d.status_label.clone() /></dd>
            <dt>"Brands"</dt>
            <dd>{d.brands.clone()}</dd>
            <dt>"Payable as of"</dt>
            <dd>{d.as_of.clone()}</dd>
            <dt>"Made"</dt>
            <dd>{d.created.clone()}</dd>
            <dt>"Approved"</dt>
            <dd>{d.approved.clone().unwrap_or_else(|| "Not yet".into())}</dd>
            <dt>"To pay"</dt>
            <dd>{d.totals.clone()}</dd>
        </dl>
        <FormError errors=run_errors />
        {(draft && d.can_act)
            .then(|| {
                view! {
                    <section class="panel" aria-labelledby="approve-heading">
                        <h2 id="approve-heading">"Approve"</h2>
                        <p>"Check the payments and what was held back below. Approval locks the run: nothing can be added or removed after it."</p>
                        {match d.approve_blocker.clone() {
                            Some(why) => view! { <p class="alert alert-warning">{why}</p> }.into_any(),
                            None => view! {
                                <ActionForm action=approve attr:class="inline-form">
                                    <CsrfField />
                                    <input type="hidden" name="id" value=id.to_string() />
                                    <button type="submit" class="button">{format!("Approve run #{id}")}</button>
                                </ActionForm>
                            }.into_any(),
                        }}
                        " "
                        <ActionForm action=discard attr:class="inline-form">
                            <CsrfField />
                            <input type="hidden" name="id" value=id.to_string() />
                            <button type="submit" class="button secondary">"Discard the draft"</button>
                        </ActionForm>
                    </section>
                }
            })}
        {(settled_files && d.can_act)
            .then(|| {
                let run = id;
                view! {
                    <section class="panel" aria-labelledby="files-heading">
                        <h2 id="files-heading">"Files"</h2>
                        <ul class="plain-list">
                            {d.sepa_brands
                                .iter()
                                .map(|(brand, name)| {
                                    view! {
                                        <li>
                                            <a href=format!("/console/payouts/{run}/sepa/{brand}") rel="external" download="">
                                                {format!("SEPA credit transfer file for {name} (pain.001.001.03)")}
                                            </a>
                                            " "
                                            <span class="muted">"holds the full account numbers; each download is in the audit trail"</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                            {[("paypal", "PayPal Payouts batch (CSV)"), ("wise", "Wise batch payment (CSV)"), ("generic", "Every payment (CSV, accounts masked)")]
                                .into_iter()
                                .map(|(format, label)| {
                                    view! {
                                        <li>
                                            <a href=format!("/console/payouts/{run}/export/{format}") rel="external" download="">{label}</a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
        {(approved && d.can_act).then(|| view! { <SettlementUpload run_id=id error=d.settlement_error.clone() /> })}
        <section aria-labelledby="items-heading">
            <h2 id="items-heading">"Payments"</h2>
            <ItemTable items=d.items.rows.clone() sort=d.sort.clone() run_id=id settle can_settle=approved && d.can_act today=d.today.clone() />
            {(d.items.total > d.items.per_page)
                .then(|| view! { <Pager page=d.items.page page_count=d.items.page_count() total=d.items.total /> })}
        </section>
        <section aria-labelledby="skips-heading">
            <h2 id="skips-heading">"Held back"</h2>
            <SkipTable skips=d.skips.clone() />
        </section>
    }
}

#[component]
fn ItemTable(
    items: Vec<ItemDto>,
    sort: String,
    run_id: i64,
    settle: ServerAction<SettlePayoutItem>,
    can_settle: bool,
    today: String,
) -> impl IntoView {
    if items.is_empty() {
        return view! {
            <EmptyState title="No payments in this run">
                <p>"Nobody was ready to be paid: see what was held back, and why, below."</p>
            </EmptyState>
        }
        .into_any();
    }
    let errors = Signal::derive(move || settle.value().get().and_then(Result::err));
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Payments of this run"</caption>
                <thead>
                    <tr>
                        <th scope="col"><SortLink label="Partner" key="partner" current=sort.clone() /></th>
                        <th scope="col">"Brand"</th>
                        <th scope="col" class="num"><SortLink label="Amount" key="amount" current=sort.clone() /></th>
                        <th scope="col">"Paid to"</th>
                        <th scope="col">"Reference"</th>
                        <th scope="col"><SortLink label="Status" key="status" current=sort.clone() /></th>
                        {can_settle.then(|| view! { <th scope="col">"Settle"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {items
                        .into_iter()
                        .map(|i| {
                            let open = i.status == "open";
                            let item_id = i.id;
                            let today = today.clone();
                            view! {
                                <tr>
                                    <td>{i.partner}</td>
                                    <td>{i.brand}</td>
                                    <td class="num">{i.amount}<br /><span class="muted">{if i.entries == 1 { "1 entry".to_owned() } else { format!("{} entries", i.entries) }}</span></td>
                                    <td>{i.method}</td>
                                    <td><code>{i.reference}</code></td>
                                    <td>
                                        <StatusBadge status=i.status.clone() label=i.status_label.clone() />
                                        {i.settled.map(|s| view! { <br /><span class="muted">{s}</span> })}
                                        {(i.status == "paid").then(|| view! { <br /><a href=format!("/console/payouts/statements/{item_id}")>"Statement"</a> })}
                                    </td>
                                    {can_settle
                                        .then(|| view! {
                                            <td>{open.then(|| view! { <SettleForms run_id item_id action=settle errors today /> })}</td>
                                        })}
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

#[component]
fn SkipTable(skips: Vec<SkipDto>) -> impl IntoView {
    if skips.is_empty() {
        return view! { <p class="muted">"Nothing was held back: every balance in this run is paid."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Balances held back for a later run"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Brand"</th>
                        <th scope="col" class="num">"Balance"</th>
                        <th scope="col">"Why"</th>
                    </tr>
                </thead>
                <tbody>
                    {skips
                        .into_iter()
                        .map(|s| {
                            view! {
                                <tr>
                                    <td>{s.partner}</td>
                                    <td>{s.brand}</td>
                                    <td class="num">{s.amount}</td>
                                    <td><strong>{s.reason}</strong>": "{s.detail}</td>
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
