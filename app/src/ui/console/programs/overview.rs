//! A program's numbers: a period picker (a plain GET form), the headline totals, the daily chart,
//! top partners and the numbers by link.

use super::super::{id_param, query_param};
use super::tabs::{BackLink, ProgramHeader, Tab};
use crate::api::error::AppError;
use crate::api::reports::{program_report, ReportDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, BreakdownTable, DailyChart, EmptyState, TotalsCards};
use leptos::prelude::*;
use leptos_meta::Title;

/// The report for the chosen period. A date range the server refuses comes back as the default
/// period's report plus the message to show beside the date fields, so the page stays usable.
async fn report_or_default(
    id: i64,
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<(ReportDto, Option<String>), AppError> {
    match program_report(id, period.clone(), from, to).await {
        Err(AppError::Invalid(errors)) => {
            let message = errors.get("from").map_or_else(
                || "Check the dates: they must look like 2026-11-21.".to_owned(),
                str::to_owned,
            );
            program_report(id, period, None, None).await.map(|r| (r, Some(message)))
        }
        other => other.map(|r| (r, None)),
    }
}

#[component]
pub fn ProgramOverview() -> impl IntoView {
    let params = move || {
        (
            id_param(),
            query_param("period"),
            query_param("from"),
            query_param("to"),
        )
    };
    let report = resource(params, |(id, period, from, to)| report_or_default(id, period, from, to));
    view! {
        <Title text="Program overview" />
        <BackLink />
        {load(
            report,
            move |(r, date_error)| {
                let (_, period, from, to) = params();
                view! {
                    <ProgramHeader program_id=r.program_id name=r.program_name.clone() current=Tab::Overview />
                    <PeriodForm period from to date_error fallback=r.period_label.to_lowercase() />
                    <h2>{format!("{} · {} to {}", r.period_label, r.from, r.to)}</h2>
                    <TotalsCards totals=r.totals.clone() />
                    <Report r=r.clone() />
                    <super::lifecycle::Lifecycle program_id=r.program_id />
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn PeriodForm(
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
    date_error: Option<String>,
    /// The period shown instead when the dates were refused, "last 30 days".
    fallback: String,
) -> impl IntoView {
    let chosen = period.unwrap_or_else(|| "30d".into());
    let has_error = date_error.is_some();
    let described = if has_error {
        "period-dates-hint period-dates-error"
    } else {
        "period-dates-hint"
    };
    view! {
        <form method="get" class="filters" aria-label="Report dates">
            <div class="field">
                <label for="period-preset">"Period"</label>
                <select id="period-preset" name="period">
                    {[("7d", "Last 7 days"), ("30d", "Last 30 days"), ("90d", "Last 90 days")]
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <option value=value selected=chosen == value>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field" class:has-error=has_error>
                <label for="period-from">"From"</label>
                <input
                    id="period-from"
                    type="date"
                    name="from"
                    value=from.unwrap_or_default()
                    aria-invalid=has_error.to_string()
                    aria-describedby=described
                />
            </div>
            <div class="field" class:has-error=has_error>
                <label for="period-to">"To"</label>
                <input id="period-to" type="date" name="to" value=to.unwrap_or_default() aria-describedby=described />
            </div>
            <button type="submit" class="button secondary">
                "Show"
            </button>
        </form>
        <p class="hint" id="period-dates-hint">
            "Fill in both dates for a custom range (up to 366 days); they take the place of the period."
        </p>
        {date_error
            .map(|message| {
                view! {
                    <p class="field-error" id="period-dates-error" role="alert">
                        {format!("{message} Showing the {fallback} instead.")}
                    </p>
                }
            })}
    }
}

#[component]
fn Report(r: ReportDto) -> impl IntoView {
    if r.totals.clicks == 0 && r.totals.conversions == 0 {
        return view! {
            <EmptyState title="No clicks or conversions in this period">
                <p>
                    "Partners get their tracked links once their application is approved, and clicks show up here as soon as people follow them. "
                    "To record sales, put the tracking script and the conversion call on your site: see the "
                    <a href=Tab::Integration.href(r.program_id)>"Integration"</a>" tab."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <section class="panel" aria-labelledby="daily-heading">
            <h2 id="daily-heading">"Day by day"</h2>
            <DailyChart days=r.daily.clone() title="Daily clicks and conversions" />
        </section>
        <section class="report-section" aria-labelledby="partners-heading">
            <h2 id="partners-heading">"Top partners"</h2>
            <BreakdownTable
                caption="Top partners by commission"
                first="Partner"
                rows=r.top_partners.clone()
                empty="No partner has clicks or conversions in this period."
            />
        </section>
        <section class="report-section" aria-labelledby="links-heading">
            <h2 id="links-heading">"By link"</h2>
            <BreakdownTable
                caption="Numbers by tracked link"
                first="Link"
                rows=r.by_link.clone()
                empty="No link has clicks or conversions in this period."
            />
        </section>
        <section class="report-section" aria-labelledby="creatives-heading">
            <h2 id="creatives-heading">"By creative"</h2>
            <BreakdownTable
                caption="Numbers by creative"
                first="Creative"
                rows=r.by_creative.clone()
                empty="No clicks through a creative's code in this period."
            />
        </section>
    }
    .into_any()
}
