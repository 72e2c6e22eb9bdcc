//! Deals as a table (the partner's list and the console queue) and the pipeline by stage as
//! server-rendered SVG bars.

use crate::api::deals::{DealRowDto, StageTotalDto};
use leptos::prelude::*;

/// `link` is where a deal's row leads: "/portal/deals" or "/console/deals".
#[component]
pub fn DealTable(
    rows: Vec<DealRowDto>,
    link: &'static str,
    console: bool,
    #[prop(optional)] sort: Option<String>,
) -> impl IntoView {
    let header = move |label: &'static str, key: &'static str| match &sort {
        Some(current) => view! { <super::SortLink label key current=current.clone() /> }.into_any(),
        None => label.into_any(),
    };
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Deals"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Account"</th>
                        {console.then(|| view! { <th scope="col">"Partner"</th> })}
                        <th scope="col">"Program"</th>
                        <th scope="col">"Stage"</th>
                        <th scope="col" class="num">
                            {header("Value", "value")}
                        </th>
                        <th scope="col">{header("Expected close", "close")}</th>
                        <th scope="col">"Protected until"</th>
                        <th scope="col">{header("Registered", "newest")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|d| {
                            view! {
                                <tr>
                                    <td>
                                        <a href=format!("{link}/{}", d.id)>{d.company.clone()}</a>
                                        <div class="muted code">{d.domain.clone()}</div>
                                        {(!d.warnings.is_empty())
                                            .then(|| {
                                                view! {
                                                    <span class="badge badge-on_hold" title=d.warnings.join("\n")>
                                                        {format!("{} warning(s)", d.warnings.len())}
                                                    </span>
                                                }
                                            })}
                                    </td>
                                    {console
                                        .then(|| {
                                            view! {
                                                <td>
                                                    {d.partner_name.clone()}
                                                    <div class="muted">{d.partner_kind.clone()}</div>
                                                </td>
                                            }
                                        })}
                                    <td>{d.program_name.clone()}</td>
                                    <td>
                                        <span class=format!("badge badge-{}", d.status)>{d.status_label.clone()}</span>
                                        <div class="muted">{d.stage_label.clone()}</div>
                                        {(!d.sla.is_empty())
                                            .then(|| {
                                                view! {
                                                    <div class=format!(
                                                        "sla sla-{}",
                                                        d.sla,
                                                    )>{format!("{} · waiting {}", d.sla_label, d.waited)}</div>
                                                }
                                            })}
                                    </td>
                                    <td class="num">{d.value.clone()}</td>
                                    <td>{d.expected_close.clone()}</td>
                                    <td>{d.protected_until.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td>{d.submitted_at.clone()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

const BAR_WIDTH: f64 = 520.0;
const ROW: f64 = 30.0;
const LABEL: f64 = 110.0;

/// One bar per stage, as long as its number of deals, labelled with count and value.
#[component]
pub fn StageBars(stages: Vec<StageTotalDto>) -> impl IntoView {
    let most = stages.iter().map(|s| s.count).max().unwrap_or(0).max(1) as f64;
    let height = ROW * stages.len() as f64;
    let summary = stages
        .iter()
        .map(|s| format!("{}: {} ({})", s.label, s.count, s.value))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {} {height}", LABEL + BAR_WIDTH + 200.0)
                role="img"
                aria-label=format!("Deals by stage: {summary}")
            >
                {stages
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let y = i as f64 * ROW;
                        let width = (s.count as f64 / most * BAR_WIDTH).max(if s.count > 0 { 2.0 } else { 0.0 });
                        view! {
                            <g>
                                <text x="0" y=y + 19.0 class="bar-label">
                                    {s.label.clone()}
                                </text>
                                <rect
                                    x=LABEL
                                    y=y + 6.0
                                    width=width
                                    height=ROW - 12.0
                                    class=format!("bar bar-{}", s.stage)
                                    rx="3"
                                ></rect>
                                <text x=LABEL + width + 8.0 y=y + 19.0 class="bar-value">
                                    {format!("{} · {}", s.count, s.value)}
                                </text>
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
        </figure>
    }
}
