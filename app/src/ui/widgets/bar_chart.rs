//! A server-rendered SVG bar chart: one bar per category, stacked from one value per series
//! (a plain bar chart has one series). Same house style as `chart.rs`; no JavaScript needed.

use super::chart::{nice_max, tick};
use crate::api::deal_reports::ChartDto;
use leptos::prelude::*;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 12.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 12.0;

/// A plain-words summary for screen readers: "Open deals by stage: Registered 2 (Pending
/// approval 2, Approved 0), …".
fn summary(chart: &ChartDto) -> String {
    let bars: Vec<String> = chart
        .bars
        .iter()
        .map(|(label, values)| {
            let total: i64 = values.iter().sum();
            if chart.series.len() > 1 {
                let parts: Vec<String> = chart
                    .series
                    .iter()
                    .zip(values)
                    .map(|(series, v)| format!("{series} {v}"))
                    .collect();
                format!("{label} {total} ({})", parts.join(", "))
            } else {
                format!("{label} {total}")
            }
        })
        .collect();
    format!("{}: {}.", chart.title, bars.join(", "))
}

#[component]
pub fn BarChart(chart: ChartDto) -> impl IntoView {
    let n = chart.bars.len().max(1) as f64;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - BOTTOM - TOP;
    let max = nice_max(
        chart
            .bars
            .iter()
            .map(|(_, values)| values.iter().sum::<i64>())
            .max()
            .unwrap_or(0) as f64,
    );
    let slot = plot_w / n;
    let bar_w = (slot * 0.6).max(1.0);
    let height_of = |value: f64| plot_h * value / max;
    let label = summary(&chart);
    let series = chart.series.clone();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label width="100%">
                {[0.0, 0.5, 1.0]
                    .into_iter()
                    .map(|f| {
                        let y = TOP + plot_h - height_of(max * f);
                        view! {
                            <g>
                                <line x1=LEFT x2=WIDTH - RIGHT y1=y y2=y class="grid" />
                                <text x=LEFT - 6.0 y=y + 4.0 class="axis" text-anchor="end">
                                    {tick(max * f)}
                                </text>
                            </g>
                        }
                    })
                    .collect_view()}
                {chart
                    .bars
                    .iter()
                    .enumerate()
                    .map(|(i, (category, values))| {
                        let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
                        let mut base = TOP + plot_h;
                        let segments = values
                            .iter()
                            .enumerate()
                            .map(|(s, value)| {
                                let h = height_of(*value as f64);
                                base -= h;
                                let name = series.get(s).cloned().unwrap_or_default();
                                view! {
                                    <rect x=x y=base width=bar_w height=h class=format!("bar-series-{s}")>
                                        <title>{format!("{category}: {value} {}", name.to_lowercase())}</title>
                                    </rect>
                                }
                            })
                            .collect_view();
                        view! {
                            <g>
                                {segments} <text x=x + bar_w / 2.0 y=HEIGHT - 6.0 class="axis" text-anchor="middle">
                                    {category.clone()}
                                </text>
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            <figcaption>
                {chart
                    .series
                    .iter()
                    .enumerate()
                    .map(|(s, name)| view! { <span class=format!("key key-series-{s}")>{name.clone()}</span> })
                    .collect_view()}
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_reads_every_bar() {
        let chart = ChartDto {
            title: "Open deals by stage".into(),
            series: vec!["Pending".into(), "Approved".into()],
            bars: vec![("Registered".into(), vec![2, 0]), ("Qualified".into(), vec![0, 1])],
        };
        assert_eq!(
            summary(&chart),
            "Open deals by stage: Registered 2 (Pending 2, Approved 0), Qualified 1 (Pending 0, Approved 1)."
        );
        let weekly = ChartDto {
            title: "Registrations per week".into(),
            series: vec!["Registrations".into()],
            bars: vec![("11-16".into(), vec![3])],
        };
        assert_eq!(summary(&weekly), "Registrations per week: 11-16 3.");
    }
}
