//! One currency's figures on the home page: the totals with their change, the daily trend of
//! both periods, the top partners and the partners that fell most.

use crate::api::dashboard::{CurrencyDto, MetricDto, PartnerLineDto};
use crate::ui::widgets::DailyChart;
use leptos::prelude::*;

/// "▲ 12%" for the eye, "up 12% on the 30 days before" for screen readers.
#[component]
fn Change(trend: String, change: String, words: String) -> impl IntoView {
    let title = words.clone();
    view! {
        <span class=format!("change change-{trend}") title=title>
            <span aria-hidden="true">{change}</span>
            <span class="sr-only">{words}</span>
        </span>
    }
}

#[component]
pub fn CurrencyFigures(c: CurrencyDto) -> impl IntoView {
    let id = format!("figures-{}", c.currency.to_lowercase());
    let labelled_by = id.clone();
    let title = format!("Daily clicks and conversions in {}, last 60 days", c.currency);
    // A currency without traffic (a reseller program, say) gets a sentence, not an empty chart.
    let quiet = c.daily.iter().all(|d| d.clicks == 0 && d.conversions == 0);
    view! {
        <section class="panel home-currency" aria-labelledby=labelled_by>
            <h3 id=id>{format!("Programs in {}", c.currency)}</h3>
            <dl class="cards home-metrics">{c.metrics.into_iter().map(|m| view! { <Metric m /> }).collect_view()}</dl>
            {if quiet {
                view! { <p class="muted">"No clicks or conversions in these 60 days, so no partner to list yet."</p> }
                    .into_any()
            } else {
                view! {
                    <DailyChart days=c.daily title=title />
                    <p class="muted chart-note">
                        "The right half of the chart is the last 30 days; the left half, the 30 before."
                    </p>
                    <div class="home-partners">
                        <PartnerTable title="Top partners" rows=c.top empty="No partner had clicks or sales in the last 30 days." />
                        <PartnerTable title="Fell most" rows=c.fell empty="No partner's numbers fell against the 30 days before." />
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn Metric(m: MetricDto) -> impl IntoView {
    view! {
        <div class=format!("card metric metric-{}", m.key)>
            <dt>{m.label}</dt>
            <dd>
                <span class="card-value">{m.value}</span>
                <Change trend=m.trend change=m.change words=m.change_words />
                <span class="card-hint">{m.previous}</span>
                {m.hint.map(|h| view! { <span class="card-hint">{h}</span> })}
            </dd>
        </div>
    }
}

#[component]
fn PartnerTable(title: &'static str, rows: Vec<PartnerLineDto>, empty: &'static str) -> impl IntoView {
    view! {
        <div class="home-partner-list">
            <h4>{title}</h4>
            {if rows.is_empty() {
                view! { <p class="muted">{empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">"Partner"</th>
                                    <th scope="col" class="num">"Revenue"</th>
                                    <th scope="col">"Change"</th>
                                    <th scope="col" class="num">"Clicks"</th>
                                    <th scope="col" class="num">"Conversions"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|p| {
                                        view! {
                                            <tr>
                                                <td>{p.name}</td>
                                                <td class="num nowrap">{p.revenue}</td>
                                                <td class="nowrap">
                                                    <Change trend=p.trend change=p.change words=p.change_words />
                                                    <span class="card-hint">{format!("was {}", p.previous_revenue)}</span>
                                                </td>
                                                <td class="num">{p.clicks}</td>
                                                <td class="num">{p.conversions}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </div>
    }
}
