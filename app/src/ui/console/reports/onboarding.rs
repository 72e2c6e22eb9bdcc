//! `/console/reports/onboarding`: how long partners take from approval to their first click,
//! first conversion and first won deal, per month of approval, per program and per partner.

use crate::api::onboarding::{time_to_first, TimeToFirstDto, TimeToFirstRowDto};
use crate::ui::console::query_param;
use crate::ui::resource::resource;
use crate::ui::widgets::table::Pager;
use crate::ui::widgets::{load, BarChart, EmptyState, ProgramFilter};
use leptos::prelude::*;
use leptos_meta::Title;

const MILESTONE_COLUMNS: [&str; 6] = [
    "First click",
    "Median days",
    "First conversion",
    "Median days",
    "First won deal",
    "Median days",
];

#[component]
pub fn OnboardingReport() -> impl IntoView {
    let params = move || {
        (
            query_param("program").and_then(|p| p.parse().ok()),
            query_param("months").and_then(|m| m.parse().ok()),
            query_param("page").and_then(|p| p.parse().ok()),
        )
    };
    let data = resource(params, |(program, months, page)| time_to_first(program, months, page));
    view! {
        <Title text="Onboarding" />
        <h1>"Onboarding: time to first"</h1>
        <p class="lead">
            "How long approved partners take to send their first click, their first conversion and their first won deal. Days count from approval."
        </p>
        {load(data, |d| view! { <Report d /> })}
    }
}

#[component]
fn Report(d: TimeToFirstDto) -> impl IntoView {
    let months = d.months.to_string();
    view! {
        <form method="get" class="filters" aria-label="Report filters">
            <ProgramFilter id="filter-program" programs=d.programs.clone() selected=d.program />
            <div class="field">
                <label for="filter-months">"Approved in the last"</label>
                <select id="filter-months" name="months">
                    {[3, 6, 12, 24, 36]
                        .into_iter()
                        .map(|m| {
                            let value = m.to_string();
                            view! {
                                <option value=value.clone() selected=value == months>
                                    {format!("{m} months")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button secondary">
                "Show"
            </button>
        </form>
        {if d.total == 0 {
            view! {
                <EmptyState title="No partners approved in this period">
                    <p>"Approve applications under Applications, or choose a longer period above."</p>
                </EmptyState>
            }
                .into_any()
        } else {
            view! {
                <p class="muted">{format!("{} partners approved since {}.", d.total, d.since)}</p>
                <section class="panel" aria-labelledby="cohorts-heading">
                    <h2 id="cohorts-heading">"By month of approval"</h2>
                    <BarChart chart=d.chart />
                    <GroupTable first="Month" rows=d.cohorts />
                </section>
                <section class="panel" aria-labelledby="programs-heading">
                    <h2 id="programs-heading">"By program"</h2>
                    <GroupTable first="Program" rows=d.per_program />
                </section>
                <section class="panel" id="partners" aria-labelledby="partners-heading">
                    <h2 id="partners-heading">"By partner"</h2>
                    <PartnerTable rows=d.partners />
                    <Pager page=i64::from(d.page) page_count=i64::from(d.pages) total=i64::from(d.total) anchor="partners" />
                </section>
            }
                .into_any()
        }}
    }
}

/// A table of rows whose first cell labels the row; `headers` name every cell, and cells from
/// `numbers_from` on are figures (aligned right).
fn table(
    caption: &'static str,
    headers: Vec<&'static str>,
    numbers_from: usize,
    rows: Vec<TimeToFirstRowDto>,
) -> impl IntoView {
    let labels = headers.clone();
    view! {
        <div class="table-wrap">
            <table class="fold">
                <caption class="sr-only">{caption}</caption>
                <thead>
                    <tr>{headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let labels = labels.clone();
                            view! {
                                <tr>
                                    {row
                                        .cells
                                        .into_iter()
                                        .zip(labels)
                                        .enumerate()
                                        .map(|(i, (cell, label))| {
                                            if i == 0 {
                                                view! { <th scope="row">{cell}</th> }.into_any()
                                            } else {
                                                view! { <td data-label=label class:num={i >= numbers_from}>{cell}</td> }.into_any()
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn GroupTable(first: &'static str, rows: Vec<TimeToFirstRowDto>) -> impl IntoView {
    let mut headers = vec![first, "Partners"];
    headers.extend(MILESTONE_COLUMNS);
    table("Time to first, grouped", headers, 1, rows)
}

#[component]
fn PartnerTable(rows: Vec<TimeToFirstRowDto>) -> impl IntoView {
    let headers = vec![
        "Partner",
        "Program",
        "Approved",
        "First click",
        "First conversion",
        "First won deal",
    ];
    table("Time to first, per partner", headers, 3, rows)
}
