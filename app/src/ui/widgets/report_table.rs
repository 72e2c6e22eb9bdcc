//! A report breakdown: one row per link, sub-id or partner with its totals.

use crate::api::reports::RowDto;
use leptos::prelude::*;

#[component]
pub fn BreakdownTable(
    caption: &'static str,
    /// The heading of the first column: "Link", "sub1", "Partner".
    first: &'static str,
    rows: Vec<RowDto>,
    /// What to say when there are no rows.
    empty: &'static str,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="report">
                <caption class="sr-only">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{first}</th>
                        <th scope="col" class="num">
                            "Clicks"
                        </th>
                        <th scope="col" class="num">
                            "Unique"
                        </th>
                        <th scope="col" class="num">
                            "Conversions"
                        </th>
                        <th scope="col" class="num">
                            "Conv. rate"
                        </th>
                        <th scope="col" class="num">
                            "Revenue"
                        </th>
                        <th scope="col" class="num">
                            "Commission"
                        </th>
                        <th scope="col" class="num">
                            "EPC"
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let t = row.totals;
                            view! {
                                <tr>
                                    <th scope="row">
                                        {row.label}
                                        {(!row.detail.is_empty())
                                            .then(|| {
                                                view! { <span class="muted">{format!(" · {}", row.detail)}</span> }
                                            })}
                                    </th>
                                    <td class="num">{t.clicks}</td>
                                    <td class="num">{t.unique_clicks}</td>
                                    <td class="num">{t.conversions}</td>
                                    <td class="num">{t.conversion_rate}</td>
                                    <td class="num">{t.revenue}</td>
                                    <td class="num">{t.commission}</td>
                                    <td class="num">{t.epc}</td>
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
