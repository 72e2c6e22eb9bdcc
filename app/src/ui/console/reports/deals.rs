//! `/console/reports/deals`: the deal pipeline for operators. Filters at the top, headline
//! cards, then one section per table (charts above the stage and velocity tables), each with
//! its CSV link; the chosen program's stage probabilities follow the forecast.

use super::deal_filters::{DealFilters, FilterErrors};
use super::probabilities::Probabilities;
use crate::api::deal_reports::{deal_report, DealReportDto, SaveStageProbabilities, SectionDto};
use crate::api::error::AppError;
use crate::ui::console::query_param;
use crate::ui::resource::resource;
use crate::ui::widgets::report_grid::section_anchor;
use crate::ui::widgets::{load, BarChart, EmptyState, ReportGrid};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

type Params = (Option<i64>, Option<String>, Option<String>, Option<String>, String);

/// Each table's sort and page from the URL (`partners_sort=value&partners_page=2`).
fn view_param() -> String {
    use_query_map()
        .get()
        .into_iter()
        .filter(|(k, _)| k.ends_with("_sort") || k.ends_with("_page"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The report for the filters; a refused partner kind or date range comes back as the report
/// without it, plus the messages to show beside those fields.
async fn report_or_default((program, kind, from, to, view): Params) -> Result<(DealReportDto, FilterErrors), AppError> {
    let view = Some(view).filter(|v| !v.is_empty());
    match deal_report(program, kind.clone(), from.clone(), to.clone(), view.clone()).await {
        Err(AppError::Invalid(errors)) => {
            let kind_error = errors.get("kind").map(str::to_owned);
            let date_error = errors.get("dates").map(str::to_owned);
            let kind = kind.filter(|_| kind_error.is_none());
            let (from, to) = if date_error.is_some() { (None, None) } else { (from, to) };
            let report = deal_report(program, kind, from, to, view).await?;
            Ok((report, (kind_error, date_error)))
        }
        other => other.map(|r| (r, (None, None))),
    }
}

#[component]
pub fn DealReport() -> impl IntoView {
    let action = ServerAction::<SaveStageProbabilities>::new();
    let params = move || -> Params {
        (
            query_param("program").and_then(|p| p.parse().ok()),
            query_param("kind"),
            query_param("from"),
            query_param("to"),
            view_param(),
        )
    };
    let report = resource(
        move || (params(), action.version().get()),
        |(p, _)| report_or_default(p),
    );
    view! {
        <Title text="Deal pipeline" />
        <h1>"Deal pipeline"</h1>
        {load(
            report,
            move |(r, errors)| {
                let (_, kind, from, to, _) = params();
                let probabilities = r.probabilities.clone();
                view! {
                    <DealFilters r=r.clone() errors typed=(kind, from, to) />
                    {(!r.has_deals)
                        .then(|| {
                            view! {
                                <EmptyState title="No deals match these filters">
                                    <p>
                                        "Partners register deals from the Deals page of their portal; each registration shows up here at once, pending approval. If you filtered by program, partner kind or dates, clear the filters to see every deal."
                                    </p>
                                </EmptyState>
                            }
                        })}
                    <dl class="cards balances deal-cards">
                        {r
                            .cards
                            .iter()
                            .map(|c| {
                                view! {
                                    <div class="card">
                                        <dt>{c.label.clone()}</dt>
                                        <dd>
                                            {c
                                                .values
                                                .iter()
                                                .map(|v| view! { <span class="card-value">{v.clone()}</span> })
                                                .collect_view()} <span class="card-hint">{c.hint.clone()}</span>
                                        </dd>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </dl>
                    {r
                        .sections
                        .into_iter()
                        .map(|section| {
                            let after = (section.table.id == "forecast")
                                .then(|| view! { <Probabilities p=probabilities.clone() action /> });
                            view! {
                                <Section section />
                                {after}
                            }
                        })
                        .collect_view()}
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn Section(section: SectionDto) -> impl IntoView {
    let SectionDto { table, chart } = section;
    let anchor = section_anchor(&table.id);
    let heading = format!("{anchor}-heading");
    let labelled_by = heading.clone();
    view! {
        <section class="panel report-section" id=anchor aria-labelledby=labelled_by>
            <h2 id=heading>{table.title.clone()}</h2>
            {(!table.intro.is_empty()).then(|| view! { <p class="muted">{table.intro.clone()}</p> })}
            {chart.map(|chart| view! { <BarChart chart /> })}
            <ReportGrid table />
        </section>
    }
}
