use crate::api::programs::open_programs;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Landing() -> impl IntoView {
    let programs = resource(|| (), |_| open_programs());
    view! {
        <Title text="" />
        <section class="hero">
            <h1>"One home for every partner"</h1>
            <p class="lead">
                "Affiliates, creators and publishers get tracked links and commission. Resellers, integrators and referral partners register deals, draw market development funds and grow through tiers. One portal, one login."
            </p>
            <p>
                <a class="button" href="/login">
                    "Log in"
                </a>
            </p>
        </section>
        <section class="panel" aria-labelledby="programs-heading">
            <h2 id="programs-heading">"Programs you can join"</h2>
            {load(
                programs,
                move |value| {
                    match value {
                        list if list.is_empty() => {
                            view! {
                                <EmptyState title="No programs are open right now">
                                    <p>
                                        "Operators open a program in the console; it then appears here with its application form."
                                    </p>
                                </EmptyState>
                            }
                                .into_any()
                        }
                        list => {
                            view! {
                                <ul class="cards">
                                    {list
                                        .into_iter()
                                        .map(|p| {
                                            view! {
                                                <li class="card">
                                                    <h3>{p.name.clone()}</h3>
                                                    <p class="muted">
                                                        {format!("{} · paid in {}", p.brand, p.currency)}
                                                    </p>
                                                    <p>{p.description.clone()}</p>
                                                    <a class="button" href=format!("/join/{}", p.slug)>
                                                        {format!("Apply to {}", p.name)}
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                    }
                },
            )}
        </section>
    }
}
