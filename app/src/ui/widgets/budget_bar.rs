//! A server-rendered SVG bar of how an allocation is used (paid, claims approved, approved,
//! available, expired), with a legend that says the same in words.

use crate::api::mdf::BarPart;
use leptos::prelude::*;

#[component]
pub fn BudgetBar(parts: Vec<BarPart>, #[prop(into)] label: String) -> impl IntoView {
    let words = parts
        .iter()
        .map(|p| format!("{} {:.0}%", p.label, p.percent))
        .collect::<Vec<_>>()
        .join(", ");
    let summary = if words.is_empty() {
        format!("{label}: nothing allocated")
    } else {
        format!("{label}: {words}")
    };
    let mut x = 0.0;
    let rects = parts
        .iter()
        .map(|p| {
            let start = x;
            x += p.percent;
            view! {
                <rect
                    x=format!("{start:.2}")
                    y="0"
                    width=format!("{:.2}", p.percent)
                    height="12"
                    class=format!("seg seg-{}", p.class)
                />
            }
        })
        .collect_view();
    view! {
        <figure class="budget">
            <svg class="budget-bar" viewBox="0 0 100 12" preserveAspectRatio="none" role="img" aria-label=summary>
                <rect x="0" y="0" width="100" height="12" class="seg seg-empty" />
                {rects}
            </svg>
            <figcaption>
                <ul class="budget-legend">
                    {parts
                        .into_iter()
                        .map(|p| {
                            view! {
                                <li>
                                    <span class=format!("swatch seg-{}", p.class) aria-hidden="true"></span>
                                    {format!("{} {:.0}%", p.label, p.percent)}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </figcaption>
        </figure>
    }
}
