//! `/console/mdf`: market development funds waiting for a decision (requests, then claims with
//! their proof files), with the decision forms in each row, and every request; and
//! `/console/mdf/:id`, one request's whole story.

mod decide;
mod detail;

pub use detail::MdfDetail;

use crate::api::mdf::RequestLineDto;
use crate::api::mdf_console::{mdf_queue, DecideMdf, MdfQueueDto};
use crate::ui::mdf::badge;
use crate::ui::params::query_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState, Notice, Pager, SortLink, StatusBadge};
use decide::DecideForms;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MdfQueue() -> impl IntoView {
    let decide = ServerAction::<DecideMdf>::new();
    let params = move || {
        (
            query_param("tab"),
            query_param("sort"),
            query_param("page").and_then(|p| p.parse::<i64>().ok()),
        )
    };
    let data = resource(
        move || (params(), decide.version().get()),
        |((tab, sort, page), _)| mdf_queue(tab, sort, page),
    );
    let decided = move || decide.value().get().and_then(Result::ok).map(|d| d.message);
    view! {
        <Title text="MDF" />
        <h1>"Market development funds"</h1>
        <Show when=move || decided().is_some()>
            <Notice>{decided}</Notice>
        </Show>
        <Show when=move || decide.value().with(|v| matches!(v, Some(Err(_))))>
            <div class="alert alert-error" role="alert">
                {move || decide.value().get().and_then(Result::err).as_ref().map(decide::error_text)}
            </div>
        </Show>
        {load(data, move |d| view! { <Queue d decide /> }.into_any())}
    }
}

#[component]
fn Queue(d: MdfQueueDto, decide: ServerAction<DecideMdf>) -> impl IntoView {
    let tab = d.tab.clone();
    view! {
        <nav aria-label="MDF queue">
            <ul class="tabs">
                {d
                    .tabs
                    .iter()
                    .map(|(key, label, count)| {
                        view! {
                            <li>
                                <a href=format!("/console/mdf?tab={key}") aria-current=(*key == tab).then_some("page")>
                                    {label.clone()}
                                    " "
                                    <span class="count">{format!("({count})")}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <p class="muted">
            "Funds are set up and allocated on each program's MDF tab. Approving a request commits the amount from the partner's balance; the database refuses what isn't available."
        </p>
        <QueueTable rows=d.page.rows.clone() tab=d.tab.clone() sort=d.sort.clone() can_decide=d.can_decide decide />
        {(d.page.total > d.page.per_page)
            .then(|| view! { <Pager page=d.page.page page_count=d.page.page_count() total=d.page.total /> })}
    }
}

#[component]
fn QueueTable(
    rows: Vec<RequestLineDto>,
    tab: String,
    sort: String,
    can_decide: bool,
    decide: ServerAction<DecideMdf>,
) -> impl IntoView {
    if rows.is_empty() {
        let (title, text) = match tab.as_str() {
            "claims" => ("No claims wait for review", "Claims arrive here when partners file them after their activities."),
            "all" => ("No MDF requests yet", "Partners request funds from their portal once a fund is allocated to them. Set funds up on a program's MDF tab."),
            _ => ("No requests wait for a decision", "New requests arrive here; partners' managers and admins are emailed about each one."),
        };
        return view! {
            <EmptyState title=title>
                <p>{text}</p>
            </EmptyState>
        }
        .into_any();
    }
    let claims = tab == "claims";
    // A Decision column only when this person may decide some row of this tab.
    let decides_any = can_decide && tab != "all" && rows.iter().any(|r| open_form(r).is_some());
    view! {
        <div class="table-wrap">
            <table class="queue">
                <caption class="sr-only">"MDF requests"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Request"</th>
                        <th scope="col">"Partner and fund"</th>
                        <th scope="col" class="num">
                            <SortLink label="Requested" key="amount" current=sort.clone() />
                        </th>
                        <th scope="col" class="num">
                            {if claims { "Claimed" } else { "Available" }}
                        </th>
                        <th scope="col">
                            <SortLink label="Waiting" key="oldest" current=sort.clone() />
                            " "
                            <SortLink label="(newest first)" key="newest" current=sort />
                        </th>
                        {if decides_any {
                            view! { <th scope="col">"Decision"</th> }.into_any()
                        } else {
                            view! { <th scope="col">"Status"</th> }.into_any()
                        }}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let id = r.id;
                            let open = open_form(&r);
                            let approve = open.as_ref().is_some_and(|(what, _)| *what == "request" || r.offered.claim_approve);
                            let status = view! {
                                <td>
                                    <StatusBadge status=badge(&r.status) label=r.status_label.clone() />
                                </td>
                            }
                                .into_any();
                            let last = if decides_any {
                                match open {
                                    Some((what, amount)) => {
                                        view! {
                                            <td>
                                                <DecideForms
                                                    id
                                                    what
                                                    amount
                                                    currency=r.currency.clone()
                                                    action=decide
                                                    error=Signal::derive(|| None)
                                                    approve
                                                />
                                            </td>
                                        }
                                            .into_any()
                                    }
                                    None => status,
                                }
                            } else {
                                status
                            };
                            view! {
                                <tr>
                                    <td>
                                        <a href=format!("/console/mdf/{id}")>{format!("#{id} · {}", r.activity)}</a>
                                        <br />
                                        <span class="muted">{format!("{} · {}", r.description, r.dates)}</span>
                                        {(r.files > 0)
                                            .then(|| {
                                                view! {
                                                    <br />
                                                    <a href=format!(
                                                        "/console/mdf/{id}#claims-heading",
                                                    )>
                                                        {format!(
                                                            "Review {} proof file{}",
                                                            r.files,
                                                            if r.files == 1 { "" } else { "s" },
                                                        )}
                                                    </a>
                                                }
                                            })}
                                    </td>
                                    <td>
                                        {r.partner_name} <br />
                                        <span class="muted">{format!("{} · {}", r.fund_name, r.program_name)}</span>
                                    </td>
                                    <td class="num">{r.requested}</td>
                                    <td class="num">{if claims { r.claimed } else { r.available }}</td>
                                    <td>{r.waiting_since}</td>
                                    {last}
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

/// The form a row offers this person, if any: ("request" or "claim", the amount to prefill).
fn open_form(r: &RequestLineDto) -> Option<(&'static str, String)> {
    match r.status.as_str() {
        "claimed" if r.offered.claim() => r.claimed_plain.clone().map(|a| ("claim", a)),
        "pending" if r.offered.request => Some(("request", r.requested_plain.clone())),
        _ => None,
    }
}
