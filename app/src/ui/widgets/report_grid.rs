//! A report table from the server (`TableDto`): column headers that sort, a pager and a CSV
//! link, all plain links that keep the page's filters (each table has its own `{id}_sort` and
//! `{id}_page` parameters, so several tables on one page keep their own order).

use super::table::{href_with, Pager};
use crate::api::deal_reports::TableDto;
use leptos::prelude::*;

/// The anchor of a table's section, so a sort or page link comes back to it.
pub fn section_anchor(id: &str) -> String {
    format!("report-{id}")
}

#[component]
pub fn ReportGrid(table: TableDto) -> impl IntoView {
    let anchor = section_anchor(&table.id);
    let sort_param = format!("{}_sort", table.id);
    let page_param = format!("{}_page", table.id);
    let csv = view! {
        <p class="report-export">
            <a href=table.csv_href.clone() download="">
                {format!("Download “{}” as CSV", table.title)}
            </a>
        </p>
    };
    if table.rows.is_empty() {
        return view! {
            <p class="muted empty-table">{table.empty.clone()}</p>
            {csv}
        }
        .into_any();
    }
    let headers = table
        .columns
        .iter()
        .map(|c| {
            let active = c.key == table.sort;
            let href = format!(
                "{}#{anchor}",
                href_with(&[
                    (sort_param.as_str(), c.key.clone()),
                    (page_param.as_str(), String::new())
                ])
            );
            let order = if c.numeric { "largest first" } else { "A to Z" };
            view! {
                <th
                    scope="col"
                    class:num=c.numeric
                    aria-sort=active.then_some(if c.numeric { "descending" } else { "ascending" })
                >
                    <a href=href class:active=active title=format!("Sort by {}, {order}", c.label.to_lowercase())>
                        {c.label.clone()}
                        {active.then_some(" ▾")}
                    </a>
                </th>
            }
        })
        .collect_view();
    let numeric: Vec<bool> = table.columns.iter().map(|c| c.numeric).collect();
    let body = table
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    if i == 0 {
                        view! { <th scope="row">{cell.clone()}</th> }.into_any()
                    } else {
                        view! { <td class:num=numeric[i]>{cell.clone()}</td> }.into_any()
                    }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="report">
                <caption class="sr-only">{table.title.clone()}</caption>
                <thead>
                    <tr>{headers}</tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {(table.pages > 1)
            .then(|| {
                view! { <Pager page=table.page page_count=table.pages total=table.total param=page_param anchor /> }
            })}
        {csv}
    }
    .into_any()
}
