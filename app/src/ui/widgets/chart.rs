//! Server-rendered SVG charts: daily clicks as bars with conversions as a line, and the totals
//! row of report cards. No JavaScript needed to see them.

use crate::api::reports::{DayDto, TotalsDto};
use leptos::prelude::*;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 12.0;
/// Room on the right for the conversions axis.
const RIGHT: f64 = 36.0;

/// A round axis maximum at or above `value`: 1, 2, 5, 10, 20, 50…
pub(super) fn nice_max(value: f64) -> f64 {
    if value <= 1.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|step| step * magnitude)
        .find(|candidate| *candidate >= value)
        .unwrap_or(10.0 * magnitude)
}

/// An axis label: whole numbers plainly, halves with one decimal.
pub(super) fn tick(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

#[component]
pub fn DailyChart(days: Vec<DayDto>, #[prop(into)] title: String) -> impl IntoView {
    let n = days.len().max(1) as f64;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - BOTTOM - TOP;
    let max_clicks = nice_max(days.iter().map(|d| d.clicks).max().unwrap_or(0) as f64);
    let max_conv = nice_max(days.iter().map(|d| d.conversions).max().unwrap_or(0) as f64);
    let slot = plot_w / n;
    let bar_w = (slot * 0.7).max(1.0);
    let y_of = |value: f64, max: f64| TOP + plot_h - plot_h * value / max;
    let line: String = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            format!(
                "{:.1},{:.1}",
                LEFT + slot * (i as f64 + 0.5),
                y_of(d.conversions as f64, max_conv)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let label_every = (days.len() / 6).max(1);
    let summary = format!(
        "{title}: {} clicks and {} conversions over {} days.",
        days.iter().map(|d| d.clicks).sum::<i64>(),
        days.iter().map(|d| d.conversions).sum::<i64>(),
        days.len()
    );
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=summary.clone() width="100%">
                {[0.0, 0.5, 1.0]
                    .into_iter()
                    .map(|f| {
                        let y = y_of(max_clicks * f, max_clicks);
                        view! {
                            <g>
                                <line x1=LEFT x2=WIDTH - RIGHT y1=y y2=y class="grid" />
                                <text x=LEFT - 6.0 y=y + 4.0 class="axis" text-anchor="end">
                                    {tick(max_clicks * f)}
                                </text>
                                <text x=WIDTH - RIGHT + 6.0 y=y + 4.0 class="axis axis-conversions">
                                    {tick(max_conv * f)}
                                </text>
                            </g>
                        }
                    })
                    .collect_view()}
                {days
                    .iter()
                    .enumerate()
                    .map(|(i, d)| {
                        let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
                        let y = y_of(d.clicks as f64, max_clicks);
                        let label = (i % label_every == 0).then(|| d.day[5..].to_owned());
                        view! {
                            <g>
                                <rect x=x y=y width=bar_w height=(TOP + plot_h - y).max(0.0) class="bar-clicks">
                                    <title>
                                        {format!("{}: {} clicks, {} conversions", d.day, d.clicks, d.conversions)}
                                    </title>
                                </rect>
                                {label
                                    .map(|l| {
                                        view! {
                                            <text x=x + bar_w / 2.0 y=HEIGHT - 6.0 class="axis" text-anchor="middle">
                                                {l}
                                            </text>
                                        }
                                    })}
                            </g>
                        }
                    })
                    .collect_view()}
                <polyline points=line class="line-conversions" fill="none" />
            </svg>
            <figcaption>
                <span class="key key-clicks">"Clicks (bars)"</span>
                <span class="key key-conversions">"Conversions (line, right-hand scale)"</span>
            </figcaption>
        </figure>
    }
}

/// The headline numbers of a report.
#[component]
pub fn TotalsCards(totals: TotalsDto) -> impl IntoView {
    let cards = [
        (
            "Clicks",
            totals.clicks.to_string(),
            format!("{} unique", totals.unique_clicks),
        ),
        (
            "Conversions",
            totals.conversions.to_string(),
            format!("{} of unique clicks", totals.conversion_rate),
        ),
        ("Revenue", totals.revenue.clone(), "net of refunds".to_owned()),
        ("Commission", totals.commission.clone(), "pending approval".to_owned()),
        ("EPC", totals.epc.clone(), "commission per click".to_owned()),
    ];
    view! {
        <dl class="cards">
            {cards
                .into_iter()
                .map(|(label, value, hint)| {
                    view! {
                        <div class="card">
                            <dt>{label}</dt>
                            <dd>
                                <span class="card-value">{value}</span>
                                <span class="card-hint">{hint}</span>
                            </dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn axis_maximums_are_round() {
        assert_eq!(super::nice_max(0.0), 1.0);
        assert_eq!(super::nice_max(7.0), 10.0);
        assert_eq!(super::nice_max(12.0), 20.0);
        assert_eq!(super::nice_max(480.0), 500.0);
    }
}
