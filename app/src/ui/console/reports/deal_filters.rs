//! The deal report's filters: a plain GET form (program, partner kind, registration dates) that
//! works without JavaScript. Refused values are shown beside their field.

use crate::api::deal_reports::DealReportDto;
use leptos::prelude::*;

/// Messages for refused filters: (`kind` message, `dates` message).
pub type FilterErrors = (Option<String>, Option<String>);

#[component]
pub fn DealFilters(
    r: DealReportDto,
    errors: FilterErrors,
    /// The filter values as typed (the report falls back to none when they were refused).
    typed: (Option<String>, Option<String>, Option<String>),
) -> impl IntoView {
    let (kind_error, date_error) = errors;
    let (kind, from, to) = typed;
    let kind = kind.or(r.kind.clone()).unwrap_or_default();
    let has_date_error = date_error.is_some();
    let has_kind_error = kind_error.is_some();
    let described = if has_date_error {
        "deal-dates-hint deal-dates-error"
    } else {
        "deal-dates-hint"
    };
    view! {
        <form method="get" class="filters" role="search" aria-label="Filter the deal report">
            <div class="field">
                <label for="deal-program">"Program"</label>
                <select id="deal-program" name="program">
                    <option value="">"All programs"</option>
                    {r
                        .programs
                        .iter()
                        .map(|p| {
                            view! {
                                <option value=p.id.to_string() selected=r.program == Some(p.id)>
                                    {p.name.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field" class:has-error=has_kind_error>
                <label for="deal-kind">"Partner kind"</label>
                <select
                    id="deal-kind"
                    name="kind"
                    aria-invalid=has_kind_error.to_string()
                    aria-describedby=has_kind_error.then_some("deal-kind-error")
                >
                    <option value="">"All partner kinds"</option>
                    {r
                        .kinds
                        .iter()
                        .map(|(value, label)| {
                            view! {
                                <option value=value.clone() selected=*value == kind>
                                    {label.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                {kind_error
                    .map(|m| {
                        view! {
                            <p class="field-error" id="deal-kind-error" role="alert">
                                {m}
                            </p>
                        }
                    })}
            </div>
            {[
                ("from", "Registered from", from.unwrap_or(r.from.clone())),
                ("to", "Registered to", to.unwrap_or(r.to.clone())),
            ]
                .into_iter()
                .map(|(name, label, value)| {
                    let id = format!("deal-{name}");
                    view! {
                        <div class="field" class:has-error=has_date_error>
                            <label for=id.clone()>{label}</label>
                            <input
                                id=id
                                type="date"
                                name=name
                                value=value
                                aria-invalid=has_date_error.to_string()
                                aria-describedby=described
                            />
                        </div>
                    }
                })
                .collect_view()}
            <button type="submit" class="button secondary">
                "Show"
            </button>
            <a href="/console/reports/deals">"Clear filters"</a>
        </form>
        <p class="hint" id="deal-dates-hint">
            "Dates select deals by the day they were registered (UTC); leave them empty for all time. The forecast always covers this quarter."
        </p>
        {date_error
            .map(|m| {
                view! {
                    <p class="field-error" id="deal-dates-error" role="alert">
                        {format!("{m} Showing all dates instead.")}
                    </p>
                }
            })}
    }
}
