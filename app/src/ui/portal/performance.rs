//! The partner's numbers on the dashboard: a program and period picker, headline cards, the
//! daily chart, and tables by link and by sub-id.

use crate::api::error::AppError;
use crate::api::reports::{my_report, ReportDto};
use crate::ui::params::query_param;
use crate::ui::resource::{resource, PageData};
use crate::ui::widgets::{load, BreakdownTable, DailyChart, EmptyState, TotalsCards};
use leptos::prelude::*;

/// The report for the program and period in the address. The dashboard creates it together with
/// its own data, at the top of the page: a resource created inside a `Suspense`'s content would be
/// created again each time the server renders that content (and only once in the browser), which
/// sends the browser another resource's answer and breaks hydration.
pub fn report_resource() -> PageData<Result<Option<ReportDto>, AppError>> {
    let params = move || {
        (
            query_param("program").and_then(|p| p.parse::<i64>().ok()),
            query_param("period"),
            query_param("from"),
            query_param("to"),
        )
    };
    resource(params, |(program, period, from, to)| {
        my_report(program, period, from, to)
    })
}

#[component]
pub fn Performance(report: PageData<Result<Option<ReportDto>, AppError>>) -> impl IntoView {
    view! {
        {load(
            report,
            move |report: Option<ReportDto>| match report {
                None => {
                    view! { <p class="muted">"Your numbers appear here once a program approves you."</p> }.into_any()
                }
                Some(r) => view! { <Report r /> }.into_any(),
            },
        )}
    }
}

#[component]
fn Report(r: ReportDto) -> impl IntoView {
    let period = query_param("period").unwrap_or_else(|| "30d".into());
    let no_activity = r.totals.clicks == 0 && r.totals.conversions == 0;
    view! {
        <section class="panel" aria-labelledby="performance-heading">
            <h2 id="performance-heading">{format!("Performance · {} · {}", r.program_name, r.period_label)}</h2>
            <form method="get" class="filters" aria-label="Choose program and period">
                <div class="field">
                    <label for="report-program">"Program"</label>
                    <select id="report-program" name="program">
                        {r
                            .programs
                            .iter()
                            .map(|p| {
                                view! {
                                    <option value=p.id.to_string() selected=p.id == r.program_id>
                                        {p.name.clone()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="report-period">"Period"</label>
                    <select id="report-period" name="period">
                        {crate::domain::period::PRESETS
                            .iter()
                            .map(|(key, label)| {
                                view! {
                                    <option value=*key selected=period == *key>
                                        {*label}
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
            <TotalsCards totals=r.totals.clone() />
            {if no_activity {
                view! {
                    <EmptyState title="No clicks in this period">
                        <p>
                            "Share one of your tracked links to start. " <a href="/portal/links">"Get your links"</a>"."
                        </p>
                    </EmptyState>
                }
                    .into_any()
            } else {
                view! {
                    <DailyChart days=r.daily.clone() title=format!("{} per day", r.program_name) />
                    <h3>"By link"</h3>
                    <BreakdownTable
                        caption="Your numbers by link"
                        first="Link"
                        rows=r.by_link.clone()
                        empty="No link has clicks or conversions in this period."
                    />
                    <h3>"By creative"</h3>
                    <BreakdownTable
                        caption="Your numbers by creative"
                        first="Creative"
                        rows=r.by_creative.clone()
                        empty="No clicks through a creative's code in this period. Get codes in Creatives."
                    />
                    <h3>"By sub-id (sub1)"</h3>
                    <BreakdownTable
                        caption="Your numbers by sub-id"
                        first="sub1"
                        rows=r.by_sub1.clone()
                        empty="No sub-ids in this period."
                    />
                }
                    .into_any()
            }}
        </section>
    }
}
