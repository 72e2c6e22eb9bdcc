//! `/console/commissions/:id`: one commission's whole story. The entry and its conversion, the
//! terms version it was computed under (in plain words, with the partner's overrides), the
//! recorded inputs, why it came to this amount, every decision, and the overrides and reversals
//! that follow it. The decision forms are here too.

use super::decide::{error_text, DecisionForms, Target};
use crate::api::approvals::{commission_detail, CommissionDetailDto, DecideCommission};
use crate::api::my_terms::TermsVersionDto;
use crate::ui::params::id_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState, Notice, StatusBadge};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CommissionDetail() -> impl IntoView {
    let decide = ServerAction::<DecideCommission>::new();
    let detail = resource(
        move || (id_param(), decide.version().get()),
        |(id, _)| commission_detail(id),
    );
    let decided = move || decide.value().get().and_then(Result::ok).map(|d| d.message);
    view! {
        <Title text="Commission" />
        <p>
            <a href="/console/commissions">"← Approval queue"</a>
        </p>
        <Show when=move || decided().is_some()>
            <Notice>{decided}</Notice>
        </Show>
        {load(detail, move |d| view! { <Detail d decide /> }.into_any())}
    }
}

#[component]
fn Detail(d: CommissionDetailDto, decide: ServerAction<DecideCommission>) -> impl IntoView {
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    let target = Target {
        id: d.id,
        seq: d.seq,
        offered: d.offered,
    };
    let what = if d.adjustment.is_some() {
        "Adjustment"
    } else {
        "Commission"
    };
    let adjustment = d.adjustment.clone().map(|a| {
        view! {
            <dt>"Adjustment by"</dt>
            <dd>{a.author}</dd>
            <dt>"Reason"</dt>
            <dd>{a.reason}</dd>
        }
    });
    view! {
        <h1>{format!("{what} #{} · {}", d.id, d.amount)}</h1>
        <p>
            <StatusBadge status=d.state.clone() label=d.state_label.clone() />
        </p>
        <section class="panel" aria-labelledby="entry-heading">
            <h2 id="entry-heading">"The entry"</h2>
            <dl class="facts">
                <dt>"Partner"</dt>
                <dd>{d.partner_name.clone()}</dd>
                <dt>"Program"</dt>
                <dd>{d.program_name.clone()}</dd>
                <dt>"Amount"</dt>
                <dd>{d.amount.clone()}</dd>
                <dt>"Recorded"</dt>
                <dd>{d.created_at.clone()}</dd>
                <dt>"Payable from"</dt>
                <dd>{format!("{} (once approved)", d.payable_at)}</dd>
                <dt>"Why this amount"</dt>
                <dd>{d.explanation.clone()}</dd>
                {adjustment}
            </dl>
            {if d.offered.any() {
                view! {
                    <h3>"Decide"</h3>
                    <DecisionForms target action=decide error />
                }
                    .into_any()
            } else {
                view! {
                    <Show when=move || error.with(Option::is_some)>
                        <div class="alert alert-error" role="alert">
                            {move || error.get().as_ref().map(error_text)}
                        </div>
                    </Show>
                    <p class="muted">"No decision on this commission is open to you."</p>
                }
                    .into_any()
            }}
        </section>
        {d
            .conversion
            .clone()
            .map(|c| {
                view! {
                    <section class="panel" aria-labelledby="conversion-heading">
                        <h2 id="conversion-heading">"The conversion"</h2>
                        <dl class="facts">
                            <dt>"Order"</dt>
                            <dd>
                                <code>{c.order_id}</code>
                            </dd>
                            <dt>"Event"</dt>
                            <dd>{c.event}</dd>
                            <dt>"Sale amount"</dt>
                            <dd>{c.amount}</dd>
                            <dt>"Occurred"</dt>
                            <dd>{c.occurred_at}</dd>
                            <dt>"Attributed by"</dt>
                            <dd>{c.attribution}</dd>
                            <dt>"Country"</dt>
                            <dd>{c.country}</dd>
                        </dl>
                    </section>
                }
            })}
        {d.adjustment.is_none().then(|| view! { <Computation d=d.clone() /> })}
        <History d=d.clone() />
        <Derived d />
    }
}

/// What an accrual was computed from (an adjustment was typed, so it has none of this).
#[component]
fn Computation(d: CommissionDetailDto) -> impl IntoView {
    view! {
        <TermsPanel terms=d.terms.clone() />
        <section class="panel" aria-labelledby="inputs-heading">
            <h2 id="inputs-heading">"Recorded inputs"</h2>
            {if d.inputs.is_empty() {
                view! {
                    <p class="muted">"No inputs were recorded for this entry (it predates the commission engine)."</p>
                }
                    .into_any()
            } else {
                view! {
                    <dl class="facts">
                        {d
                            .inputs
                            .iter()
                            .map(|(label, value)| {
                                view! {
                                    <dt>{label.clone()}</dt>
                                    <dd>{value.clone()}</dd>
                                }
                            })
                            .collect_view()}
                    </dl>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn TermsPanel(terms: Option<TermsVersionDto>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="terms-heading">
            <h2 id="terms-heading">"Terms used"</h2>
            {match terms {
                None => view! { <p class="muted">"This entry has no terms version on record."</p> }.into_any(),
                Some(t) => {
                    view! {
                        <p>
                            <strong>{format!("Version {} · {}", t.version, t.plan_name)}</strong>
                            <span class="muted">
                                {format!(" · in force from {} · {}", t.effective_from, t.reason)}
                            </span>
                        </p>
                        <ul>{t.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                        {(!t.overrides.is_empty())
                            .then(|| {
                                view! { <p>{format!("This partner's overrides: {}.", t.overrides.join(", "))}</p> }
                            })}
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn History(d: CommissionDetailDto) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="history-heading">
            <h2 id="history-heading">"Decisions"</h2>
            <div class="table-wrap">
                <table>
                    <caption class="sr-only">"Every decision on this commission, oldest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="num">
                                "#"
                            </th>
                            <th scope="col">"When"</th>
                            <th scope="col">"Who"</th>
                            <th scope="col">"State after"</th>
                            <th scope="col">"Reason"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d
                            .history
                            .into_iter()
                            .map(|h| {
                                view! {
                                    <tr>
                                        <td class="num">{h.seq}</td>
                                        <td class="nowrap">{h.at}</td>
                                        <td>{h.by}</td>
                                        <td>{h.state_label}</td>
                                        <td>{h.reason}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Derived(d: CommissionDetailDto) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="derived-heading">
            <h2 id="derived-heading">"Overrides and reversals"</h2>
            {if d.derived.is_empty() {
                view! {
                    <EmptyState title="Nothing follows this commission yet">
                        <p>"Masters' overrides and refund reversals of this commission will be listed here."</p>
                    </EmptyState>
                }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="sr-only">"Entries that follow this commission"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Recorded"</th>
                                    <th scope="col">"Kind"</th>
                                    <th scope="col">"Partner"</th>
                                    <th scope="col" class="num">
                                        "Amount"
                                    </th>
                                    <th scope="col">"Why"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {d
                                    .derived
                                    .into_iter()
                                    .map(|e| {
                                        view! {
                                            <tr>
                                                <td class="nowrap">{e.created_at}</td>
                                                <td>{e.kind_label}</td>
                                                <td>{e.partner_name}</td>
                                                <td class="num" class:negative=e.negative>
                                                    {e.amount}
                                                </td>
                                                <td>{e.explanation}</td>
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
        </section>
    }
}
