use crate::api::portal::portal_overview;
use crate::ui::widgets::{load, EmptyState};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Dashboard() -> impl IntoView {
    let overview = Resource::new(|| (), |_| portal_overview());
    // Created here, not inside the content below: see `performance::report_resource`.
    let report = super::performance::report_resource();
    view! {
        <Title text="Dashboard" />
        {load(
            overview,
            move |o| {
                {
                    let count = |status: &str| o.programs.iter().filter(|p| p.status == status).count();
                    let (active, waiting) = (count("active"), count("applied"));
                    view! {
                        <h1>{format!("Welcome, {}", o.partner_name)}</h1>
                        <p class="muted">{format!("{} · {}", o.partner_kind, o.country)}</p>
                        <div class="stats">
                            <div class="stat">
                                <span class="stat-value">{active}</span>
                                <span class="stat-label">
                                    {if active == 1 { "active program" } else { "active programs" }}
                                </span>
                            </div>
                            <div class="stat">
                                <span class="stat-value">{waiting}</span>
                                <span class="stat-label">
                                    {if waiting == 1 { "application in review" } else { "applications in review" }}
                                </span>
                            </div>
                        </div>
                        {if active == 0 {
                            view! {
                                <EmptyState title="Nothing to promote yet">
                                    <p>
                                        "When a program approves you, its links, codes and earnings show up here. "
                                        <a href="/portal/programs">"See your programs"</a>"."
                                    </p>
                                </EmptyState>
                            }
                                .into_any()
                        } else {
                            view! { <super::performance::Performance report /> }.into_any()
                        }}
                    }
                        .into_any()
                }
            },
        )}
    }
}
