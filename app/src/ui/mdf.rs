//! Market development funds views shared by the portal and the console: a fund's balance, a
//! request's facts, its claims with their proof files, and its history.

use crate::api::mdf::{ClaimDto, EventDto, FundBalanceDto, RequestDetailDto};
use crate::ui::widgets::{BudgetBar, EmptyState, StatusBadge};
use leptos::prelude::*;

/// The badge colour of a request's status.
pub fn badge(status: &str) -> String {
    match status {
        "pending" | "claimed" => "pending",
        "approved" | "payable" | "paid" => "approved",
        "declined" | "lapsed" => "rejected",
        other => other,
    }
    .to_owned()
}

/// A fund's balance as a definition list and a bar.
#[component]
pub fn BalancePanel(b: FundBalanceDto) -> impl IntoView {
    let heading = format!("{} · {}", b.fund_name, b.program_name);
    view! {
        <section class="panel mdf-fund" aria-label=heading.clone()>
            <h3>
                {heading.clone()}
                {b
                    .expired
                    .then(|| {
                        view! {
                            " "
                            <StatusBadge status="rejected".into() label="Expired".into() />
                        }
                    })}
            </h3>
            <p class="muted">
                {format!("Period {} · claims due {} days after an activity ends", b.period, b.claim_days)}
            </p>
            <dl class="cards mdf-cards">
                <div class="card">
                    <dt>"Allocated"</dt>
                    <dd class="card-value">{b.allocated}</dd>
                </div>
                <div class="card">
                    <dt>"Requested"</dt>
                    <dd class="card-value">{b.requested}</dd>
                </div>
                <div class="card">
                    <dt>"Approved"</dt>
                    <dd class="card-value">{b.approved}</dd>
                </div>
                <div class="card">
                    <dt>"Claimed"</dt>
                    <dd class="card-value">{b.claimed}</dd>
                </div>
                <div class="card">
                    <dt>"Paid"</dt>
                    <dd class="card-value">{b.paid}</dd>
                </div>
                <div class="card">
                    <dt>{if b.expired { "Expired" } else { "Available" }}</dt>
                    <dd class="card-value">{if b.expired { b.expired_amount } else { b.available }}</dd>
                </div>
            </dl>
            <BudgetBar parts=b.bar label=format!("Use of {heading}") />
        </section>
    }
}

/// What was asked for, and the decision on it.
#[component]
pub fn RequestFacts(d: RequestDetailDto) -> impl IntoView {
    view! {
        <p>
            <StatusBadge status=badge(&d.status) label=d.status_label.clone() />
        </p>
        <dl class="facts">
            <dt>"Partner"</dt>
            <dd>{d.partner_name.clone()}</dd>
            <dt>"Fund"</dt>
            <dd>{format!("{} · {}", d.fund_name, d.program_name)}</dd>
            <dt>"Activity"</dt>
            <dd>{d.activity.clone()}</dd>
            <dt>"Description"</dt>
            <dd class="prewrap">{d.description.clone()}</dd>
            <dt>"Dates"</dt>
            <dd>{d.dates.clone()}</dd>
            <dt>"Requested"</dt>
            <dd>{d.requested.clone()}</dd>
            <dt>"Approved"</dt>
            <dd>{d.approved.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"Expected outcome"</dt>
            <dd class="prewrap">{d.expected_outcome.clone()}</dd>
            <dt>"Sent"</dt>
            <dd>{d.submitted_at.clone()}</dd>
            <dt>"Decided"</dt>
            <dd>{d.decision.clone().unwrap_or_else(|| "Not yet".into())}</dd>
            {d
                .decision_reason
                .clone()
                .map(|reason| {
                    view! {
                        <dt>"Reason"</dt>
                        <dd class="prewrap">{reason}</dd>
                    }
                })}
            <dt>"Claim deadline"</dt>
            <dd>{format!("File the claim by {}", d.claim_by)}</dd>
        </dl>
    }
}

#[component]
pub fn ClaimsList(claims: Vec<ClaimDto>) -> impl IntoView {
    if claims.is_empty() {
        return view! { <p class="muted">"No claim has been filed yet."</p> }.into_any();
    }
    view! {
        <div class="stack">
            {claims
                .into_iter()
                .map(|c| {
                    let title = format!("Claim of {} · {}", c.amount, c.submitted_at);
                    let label = title.clone();
                    view! {
                        <article class="mdf-claim" aria-label=label>
                            <h4>
                                {title} " "
                                <StatusBadge
                                    status=match c.status.as_str() {
                                        "submitted" => "pending".to_owned(),
                                        other => other.to_owned(),
                                    }
                                    label=c.status_label.clone()
                                />
                            </h4>
                            <dl class="facts">
                                <dt>"Amount claimed"</dt>
                                <dd>{c.amount.clone()}</dd>
                                <dt>"Actual cost"</dt>
                                <dd>{c.actual_cost.clone()}</dd>
                                <dt>"Results"</dt>
                                <dd>{format!("{} leads · {} attendees", c.leads, c.attendees)}</dd>
                                {c
                                    .notes
                                    .clone()
                                    .map(|n| {
                                        view! {
                                            <dt>"Notes"</dt>
                                            <dd class="prewrap">{n}</dd>
                                        }
                                    })}
                                {c
                                    .approved_amount
                                    .clone()
                                    .map(|a| {
                                        view! {
                                            <dt>"Approved for"</dt>
                                            <dd>{a}</dd>
                                        }
                                    })}
                                {c
                                    .reason
                                    .clone()
                                    .map(|r| {
                                        view! {
                                            <dt>"Reason"</dt>
                                            <dd class="prewrap">{r}</dd>
                                        }
                                    })}
                                <dt>"Proof of performance"</dt>
                                <dd>
                                    <ul class="plain">
                                        {c
                                            .files
                                            .into_iter()
                                            .map(|f| {
                                                view! {
                                                    <li>
                                                        <a href=f.href download=f.filename.clone()>
                                                            {format!("Download {}", f.filename)}
                                                        </a>
                                                        <span class="muted">
                                                            {format!(
                                                                " · {} · {} · sha256 {}…",
                                                                f.kind,
                                                                f.size,
                                                                f.digest,
                                                            )}
                                                        </span>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </dd>
                            </dl>
                        </article>
                    }
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

/// History lines; `with_request` adds a column linking each to its request (`base` + id).
#[component]
pub fn HistoryTable(events: Vec<EventDto>, #[prop(optional)] base: Option<&'static str>) -> impl IntoView {
    if events.is_empty() {
        return view! {
            <EmptyState title="No history yet">
                <p>"Allocations, requests, decisions and claims will be listed here as they happen."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Market development funds history"</caption>
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"What"</th>
                        <th scope="col">"Fund"</th>
                        {base.map(|_| view! { <th scope="col">"Request"</th> })}
                        <th scope="col" class="num">
                            "Amount"
                        </th>
                        <th scope="col">"By"</th>
                        <th scope="col">"Note"</th>
                    </tr>
                </thead>
                <tbody>
                    {events
                        .into_iter()
                        .map(|e| {
                            view! {
                                <tr>
                                    <td class="nowrap">{e.at}</td>
                                    <td>{e.label}</td>
                                    <td>{e.fund_name}</td>
                                    {base
                                        .map(|base| {
                                            view! {
                                                <td>
                                                    {e
                                                        .request_id
                                                        .map(|id| {
                                                            view! {
                                                                <a href=format!("{base}{id}")>{format!("#{id}")}</a>
                                                            }
                                                        })}
                                                </td>
                                            }
                                        })}
                                    <td class="num">{e.amount.unwrap_or_else(|| "—".into())}</td>
                                    <td>{e.by}</td>
                                    <td>{e.note.unwrap_or_default()}</td>
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
