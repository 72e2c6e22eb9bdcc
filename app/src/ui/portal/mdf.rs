//! `/portal/mdf`: the partner's market development funds. Balances per fund with a bar, the
//! request form, its requests (sortable, paged) and its history.

use crate::api::mdf::{my_mdf, MyMdfDto, RequestLineDto, SubmitMdfRequest};
use crate::domain::mdf::activity::{Activity, DESCRIPTION_MAX, OUTCOME_MAX};
use crate::ui::mdf::{badge, BalancePanel, HistoryTable};
use crate::ui::params::query_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{
    load, CsrfField, EmptyState, FormError, NamedSelect, NamedText, Notice, Pager, SortLink, StatusBadge,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Mdf() -> impl IntoView {
    let submit = ServerAction::<SubmitMdfRequest>::new();
    let params = move || {
        (
            query_param("page").and_then(|p| p.parse::<i64>().ok()),
            query_param("sort"),
            query_param("history_page").and_then(|p| p.parse::<i64>().ok()),
        )
    };
    let data = resource(
        move || (params(), submit.version().get()),
        |((page, sort, history_page), _)| my_mdf(page, sort, history_page),
    );
    let sent = move || submit.value().get().and_then(Result::ok);
    view! {
        <Title text="MDF" />
        <h1>"Market development funds"</h1>
        <Show when=move || sent().is_some()>
            <Notice>
                {move || sent().map(|s| s.message)} " "
                <a href=move || sent().map(|s| format!("/portal/mdf/{}", s.id))>"Open the request"</a>
            </Notice>
        </Show>
        {load(data, move |d| view! { <Page d submit /> }.into_any())}
    }
}

#[component]
fn Page(d: MyMdfDto, submit: ServerAction<SubmitMdfRequest>) -> impl IntoView {
    if d.funds.is_empty() {
        return view! {
            <EmptyState title="No funds allocated to you yet">
                <p>
                    "When a program allocates market development funds to you, they appear here and you can request them for events, advertising, content or webinars. Ask your partner manager about your program's MDF."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <section aria-labelledby="balances-heading">
            <h2 id="balances-heading">"Your balances"</h2>
            {d.funds.clone().into_iter().map(|b| view! { <BalancePanel b /> }).collect_view()}
        </section>
        <RequestForm open=d.open_funds.clone() submit />
        <section class="report-section" aria-labelledby="requests-heading">
            <h2 id="requests-heading">"Your requests"</h2>
            <RequestsTable rows=d.requests.rows.clone() sort=d.sort.clone() />
            {(d.requests.total > d.requests.per_page)
                .then(|| {
                    view! { <Pager page=d.requests.page page_count=d.requests.page_count() total=d.requests.total /> }
                })}
        </section>
        <section class="report-section" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <HistoryTable events=d.history.rows.clone() base="/portal/mdf/" />
            {(d.history.total > d.history.per_page)
                .then(|| {
                    let page = d.history.page;
                    let count = d.history.page_count();
                    let prev = (page > 1)
                        .then(|| crate::ui::widgets::table::href_with(&[("history_page", (page - 1).to_string())]));
                    let next = (page < count)
                        .then(|| crate::ui::widgets::table::href_with(&[("history_page", (page + 1).to_string())]));
                    view! {
                        <nav class="pager" aria-label="History pages">
                            <span>{format!("Page {page} of {count}")}</span>
                            {prev.map(|href| view! { <a href=href>"← Newer"</a> })}
                            {next.map(|href| view! { <a href=href>"Older →"</a> })}
                        </nav>
                    }
                })}
        </section>
    }
    .into_any()
}

#[component]
fn RequestForm(open: Vec<(String, String)>, submit: ServerAction<SubmitMdfRequest>) -> impl IntoView {
    let errors = Signal::derive(move || submit.value().get().and_then(Result::err));
    if open.is_empty() {
        return view! {
            <section class="panel">
                <h2>"Request funds"</h2>
                <p class="muted">"None of your funds is open for requests now: their periods have ended."</p>
            </section>
        }
        .into_any();
    }
    let activities = Activity::ALL
        .iter()
        .map(|a| (a.as_str().to_owned(), a.label().to_owned()))
        .collect::<Vec<_>>();
    view! {
        <section class="panel" aria-labelledby="request-heading">
            <h2 id="request-heading">"Request funds"</h2>
            <p class="muted">
                "Tell the program team what you plan. They may approve a smaller amount. After the activity, file a claim with proof of performance before the claim deadline."
            </p>
            <FormError errors />
            <ActionForm action=submit>
                <div class="stack">
                    <CsrfField />
                    <div class="field-row">
                        <NamedSelect name="fund_id" key="fund_id" label="Fund" options=open errors />
                        <NamedSelect name="activity" key="activity" label="Activity type" options=activities errors />
                    </div>
                    <NamedText
                        name="description"
                        key="description"
                        label="Description"
                        required=true
                        rows=3
                        maxlength=DESCRIPTION_MAX
                        hint="What you will run, for whom, and where."
                        errors
                    />
                    <div class="field-row">
                        <NamedText
                            name="starts_on"
                            key="starts_on"
                            label="Start date"
                            kind="date"
                            required=true
                            errors
                        />
                        <NamedText name="ends_on" key="ends_on" label="End date" kind="date" required=true errors />
                        <NamedText
                            name="amount"
                            key="amount"
                            label="Amount requested"
                            required=true
                            inputmode="decimal"
                            hint="In the fund's currency, like 2500 or 2500.00."
                            errors
                        />
                    </div>
                    <NamedText
                        name="expected_outcome"
                        key="expected_outcome"
                        label="Expected outcome"
                        required=true
                        rows=2
                        maxlength=OUTCOME_MAX
                        hint="Leads, attendees or pipeline you expect."
                        errors
                    />
                    <button type="submit" class="button">
                        "Send request"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn RequestsTable(rows: Vec<RequestLineDto>, sort: String) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <EmptyState title="No requests yet">
                <p>"Use the form above to request funds for your next activity."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Your MDF requests"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Request"</th>
                        <th scope="col">"Fund"</th>
                        <th scope="col">"Dates"</th>
                        <th scope="col" class="num">
                            <SortLink label="Requested" key="amount" current=sort.clone() />
                        </th>
                        <th scope="col" class="num">
                            "Approved"
                        </th>
                        <th scope="col" class="num">
                            "Claimed"
                        </th>
                        <th scope="col">"Status"</th>
                        <th scope="col">
                            <SortLink label="Latest" key="newest" current=sort.clone() />
                            " "
                            <SortLink label="(oldest first)" key="oldest" current=sort />
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <td>
                                        <a href=format!(
                                            "/portal/mdf/{}",
                                            r.id,
                                        )>{format!("#{} · {}", r.id, r.activity)}</a>
                                        <br />
                                        <span class="muted">{r.description}</span>
                                    </td>
                                    <td>{r.fund_name}</td>
                                    <td class="nowrap">{r.dates}</td>
                                    <td class="num">{r.requested}</td>
                                    <td class="num">{r.approved}</td>
                                    <td class="num">{r.claimed}</td>
                                    <td>
                                        <StatusBadge status=badge(&r.status) label=r.status_label />
                                        {(r.status == "approved")
                                            .then(|| {
                                                view! {
                                                    <br />
                                                    <span class="muted">{format!("Claim by {}", r.claim_by)}</span>
                                                }
                                            })}
                                    </td>
                                    <td class="nowrap">{r.waiting_since}</td>
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
