//! `/console`: the operator's home page. What waits for this person first, then how the last
//! 30 days went in their brands against the 30 before, per currency. Rendered on the server;
//! the charts are SVG, so nothing here needs JavaScript.

mod figures;
mod waiting;

use crate::api::dashboard::console_home;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Dashboard() -> impl IntoView {
    let home = resource(|| (), |_| console_home());
    view! {
        <Title text="Overview" />
        {load(
            home,
            move |h| {
                let no_programs = h.currencies.is_empty();
                view! {
                    <h1>{format!("Hello, {}", h.operator_name)}</h1>
                    <p class="muted home-who">{format!("{} · {}", h.role_label, h.brands_label)}</p>
                    <waiting::Waiting w=h.waiting.clone() />
                    <section class="home-figures" aria-labelledby="figures-heading">
                        <h2 id="figures-heading">"The last 30 days"</h2>
                        <p class="muted">{format!("{}, against {}.", h.period_label, h.previous_label)}</p>
                        {no_programs
                            .then(|| {
                                view! {
                                    <EmptyState title="No programs to show yet">
                                        <p>"Figures appear here once your brands have a program with partners."</p>
                                    </EmptyState>
                                }
                            })}
                        {h
                            .currencies
                            .into_iter()
                            .map(|c| view! { <figures::CurrencyFigures c /> })
                            .collect_view()}
                    </section>
                }
            },
        )}
    }
}
