//! `/console/payouts`: payout runs, newest first, and the form that makes one (finance and
//! admins); `/console/payouts/:id`, one run; `/console/payouts/settings`, what brands pay from
//! and each program's minimum payout and review days.

mod run;
mod settings;
mod settle;

pub use run::PayoutRun;
pub use settings::PayoutSettings;

use crate::api::payout_runs::{payout_runs, CreatePayoutRun, PayoutRunsDto, RunLineDto};
use crate::ui::params::query_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, Pager, SelectField, StatusBadge, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PayoutRuns() -> impl IntoView {
    let create = ServerAction::<CreatePayoutRun>::new();
    let page = move || query_param("page").and_then(|p| p.parse::<i64>().ok());
    let data = resource(move || (page(), create.version().get()), |(page, _)| payout_runs(page));
    view! {
        <Title text="Payouts" />
        <h1>"Payouts"</h1>
        <p class="lead">
            "A run gathers what each partner is owed (payable commissions, adjustments and approved MDF claims, less refunds after earlier payouts), one payment per partner, brand and currency. Someone other than its maker approves it; then download the bank file, pay, and mark each payment paid."
        </p>
        <p>
            <a href="/console/payouts/settings">"Payout settings: accounts, invoices, minimums"</a>
            " · "
            <a href="/console/payouts/1099.csv" rel="external" download="">"1099-NEC year-end file (US persons paid USD 600 or more this year, CSV)"</a>
        </p>
        {load(data, move |d: PayoutRunsDto| view! { <Runs d create /> }.into_any())}
    }
}

#[component]
fn Runs(d: PayoutRunsDto, create: ServerAction<CreatePayoutRun>) -> impl IntoView {
    let errors = Signal::derive(move || create.value().get().and_then(Result::err));
    let mut brands = vec![("all".to_owned(), "All my brands".to_owned())];
    brands.extend(d.brands.clone());
    view! {
        {d.can_run
            .then(|| {
                view! {
                    <section class="panel" aria-labelledby="new-run">
                        <h2 id="new-run">"Make a payout run"</h2>
                        <FormError errors />
                        <ActionForm action=create attr:class="filters">
                            <CsrfField />
                            <SelectField label="Brand" name="brand_id" errors options=brands selected="all" />
                            <TextField
                                label="Payable as of"
                                name="as_of"
                                kind="date"
                                errors
                                required=true
                                value=d.today.clone()
                                hint="Entries payable by the end of this day are gathered."
                            />
                            <button type="submit" class="button">"Make the run"</button>
                        </ActionForm>
                    </section>
                }
            })}
        <RunTable rows=d.page.rows.clone() />
        {(d.page.total > d.page.per_page)
            .then(|| view! { <Pager page=d.page.page page_count=d.page.page_count() total=d.page.total /> })}
    }
}

#[component]
fn RunTable(rows: Vec<RunLineDto>) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <EmptyState title="No payout runs yet">
                <p>"Make the first run above once commissions are payable (approved, and their lock period over)."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Payout runs"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Run"</th>
                        <th scope="col">"Brands"</th>
                        <th scope="col">"As of"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Payments"</th>
                        <th scope="col" class="num">"Held back"</th>
                        <th scope="col" class="num">"Total"</th>
                        <th scope="col">"Made"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <td><a href=format!("/console/payouts/{}", r.id)>{format!("Run #{}", r.id)}</a></td>
                                    <td>{r.brands}</td>
                                    <td>{r.as_of}</td>
                                    <td><StatusBadge status=r.status label=r.status_label /></td>
                                    <td class="num">{r.items}</td>
                                    <td class="num">{r.skips}</td>
                                    <td class="num">{r.totals}</td>
                                    <td>
                                        {format!("{} by {}", r.created_at, r.created_by)}
                                        {r.approved_by.map(|a| view! { <br /><span class="muted">{format!("approved by {a}")}</span> })}
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
