//! A program's conversions: filters in a GET form, a sortable and paged table, and the same
//! filters as a CSV download.

use super::super::{id_param, query_param};
use super::tabs::{BackLink, ProgramHeader, Tab};
use crate::api::conversions::{list_conversions, ConversionDto, ConversionListDto, ConversionQuery};
use crate::api::error::AppError;
use crate::ui::resource::resource;
use crate::ui::widgets::date_time::date_and_time;
use crate::ui::widgets::{load, EmptyState, Pager, SortLink, StatusBadge};
use leptos::prelude::*;
use leptos_meta::Title;

/// Date errors found by the server, per field.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct DateErrors {
    from: Option<String>,
    to: Option<String>,
}

impl DateErrors {
    fn any(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }
}

/// The list for the filters in the URL. Dates the server refuses come back as the list without
/// the date filters plus the messages to show beside the date fields.
async fn list_or_without_dates(
    program_id: i64,
    query: ConversionQuery,
) -> Result<(ConversionListDto, DateErrors), AppError> {
    match list_conversions(program_id, query.clone()).await {
        Err(AppError::Invalid(errors)) => {
            let dates = DateErrors {
                from: errors.get("from").map(str::to_owned),
                to: errors.get("to").map(str::to_owned),
            };
            let without = ConversionQuery {
                from: None,
                to: None,
                ..query
            };
            list_conversions(program_id, without).await.map(|list| (list, dates))
        }
        other => other.map(|list| (list, DateErrors::default())),
    }
}

fn query_from_url() -> ConversionQuery {
    ConversionQuery {
        partner: query_param("partner").and_then(|p| p.parse().ok()),
        status: query_param("status"),
        attributed: query_param("attributed"),
        from: query_param("from"),
        to: query_param("to"),
        sort: query_param("sort"),
        page: query_param("page").and_then(|p| p.parse().ok()),
    }
}

#[component]
pub fn ProgramConversions() -> impl IntoView {
    let id = id_param;
    let params = move || (id(), query_from_url());
    let list = resource(params, |(id, query)| list_or_without_dates(id, query));
    view! {
        <Title text="Conversions" />
        <BackLink />
        {load(
            list,
            move |(list, date_errors)| {
                let (program_id, query) = params();
                let filtered = query.partner.is_some() || query.status.is_some() || query.attributed.is_some()
                    || query.from.is_some() || query.to.is_some();
                let csv = if list.export_query.is_empty() {
                    format!("/console/programs/{program_id}/conversions.csv")
                } else {
                    format!("/console/programs/{program_id}/conversions.csv?{}", list.export_query)
                };
                let sort = query.sort.clone().unwrap_or_else(|| "newest".into());
                view! {
                    <ProgramHeader program_id name=list.program_name.clone() current=Tab::Conversions />
                    <h2>"Conversions"</h2>
                    <Filters list=list.clone() query date_errors program_id />
                    <p>
                        <a class="button secondary" href=csv download="">
                            "Download CSV"
                        </a>
                        <span class="muted">" The download has every conversion that matches these filters."</span>
                    </p>
                    <ConversionTable rows=list.page.rows.clone() sort filtered program_id />
                    {(list.page.total > 0 || list.page.page > 1)
                        .then(|| {
                            view! {
                                <Pager page=list.page.page page_count=list.page.page_count() total=list.page.total />
                            }
                        })}
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn Filters(list: ConversionListDto, query: ConversionQuery, date_errors: DateErrors, program_id: i64) -> impl IntoView {
    let status_options = [
        ("", "Any"),
        ("open", "Not refunded"),
        ("partially_refunded", "Partly refunded"),
        ("refunded", "Refunded"),
    ];
    let attributed_options = [("", "Any"), ("yes", "Attributed"), ("no", "Unattributed")];
    let status = query.status.clone().unwrap_or_default();
    let attributed = query.attributed.clone().unwrap_or_default();
    view! {
        <form method="get" class="filters" role="search" aria-label="Filter conversions">
            <div class="field">
                <label for="filter-partner">"Partner"</label>
                <select id="filter-partner" name="partner">
                    <option value="">"All partners"</option>
                    {list
                        .partners
                        .iter()
                        .map(|p| {
                            view! {
                                <option value=p.id.to_string() selected=query.partner == Some(p.id)>
                                    {p.name.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-status">"Refund status"</label>
                <select id="filter-status" name="status">
                    {status_options
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <option value=value selected=status == value>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-attributed">"Attributed"</label>
                <select id="filter-attributed" name="attributed">
                    {attributed_options
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <option value=value selected=attributed == value>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <DateField label="From" name="from" value=query.from.clone() error=date_errors.from.clone() />
            <DateField label="To" name="to" value=query.to.clone() error=date_errors.to.clone() />
            {query.sort.clone().map(|s| view! { <input type="hidden" name="sort" value=s /> })}
            <button type="submit" class="button secondary">
                "Filter"
            </button>
            <a href=Tab::Conversions.href(program_id)>"Clear filters"</a>
        </form>
        {date_errors
            .any()
            .then(|| {
                view! { <p class="muted">"The list below ignores the dates until they are corrected."</p> }
            })}
    }
}

#[component]
fn DateField(label: &'static str, name: &'static str, value: Option<String>, error: Option<String>) -> impl IntoView {
    let id = format!("filter-{name}");
    let error_id = format!("filter-{name}-error");
    let has_error = error.is_some();
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="date"
                name=name
                value=value.unwrap_or_default()
                aria-invalid=has_error.to_string()
                aria-describedby=has_error.then(|| error_id.clone())
            />
            {error
                .map(|message| {
                    view! {
                        <p class="field-error" id=error_id role="alert">
                            {message}
                        </p>
                    }
                })}
        </div>
    }
}

#[component]
fn ConversionTable(rows: Vec<ConversionDto>, sort: String, filtered: bool, program_id: i64) -> impl IntoView {
    if rows.is_empty() {
        return if filtered {
            view! {
                <EmptyState title="No conversions match these filters">
                    <p>
                        "Widen the dates or " <a href=Tab::Conversions.href(program_id)>"clear the filters"</a>
                        " to see every conversion."
                    </p>
                </EmptyState>
            }
            .into_any()
        } else {
            view! {
                <EmptyState title="No conversions yet">
                    <p>
                        "Conversions arrive when your shop reports a sale. The "
                        <a href=Tab::Integration.href(program_id)>"Integration"</a>
                        " tab has the conversion call and the postback URL, filled in for this program."
                    </p>
                </EmptyState>
            }
            .into_any()
        };
    }
    view! {
        <div class="table-wrap">
            <table class="conversions">
                <caption class="sr-only">"Conversions"</caption>
                <thead>
                    <tr>
                        <th scope="col">
                            <SortLink label="Date" key="newest" current=sort.clone() />
                            " "
                            <SortLink label="(oldest first)" key="oldest" current=sort.clone() />
                        </th>
                        <th scope="col">"Order"</th>
                        <th scope="col">"Event"</th>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Attribution"</th>
                        <th scope="col" class="num">
                            <SortLink label="Amount" key="amount" current=sort />
                        </th>
                        <th scope="col" class="num">
                            "Refunded"
                        </th>
                        <th scope="col" class="num">
                            "Commission (net)"
                        </th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|c| {
                            view! {
                                <tr>
                                    <td>{date_and_time(&c.occurred_at)}</td>
                                    <td>
                                        <code class="wrap-anywhere">{c.order_id.clone()}</code>
                                    </td>
                                    <td>{c.event.clone()}</td>
                                    <td>{c.partner.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td>
                                        {c.attribution.clone()}
                                        {c
                                            .note
                                            .clone()
                                            .map(|note| {
                                                view! {
                                                    <br />
                                                    <small class="muted">{note}</small>
                                                }
                                            })}
                                    </td>
                                    <td class="num">{c.amount.clone()}</td>
                                    <td class="num">{c.refunded.clone()}</td>
                                    <td class="num">{c.commission.clone()}</td>
                                    <td>
                                        <StatusBadge status=c.refund_status.clone() label=c.refund_label.clone() />
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
