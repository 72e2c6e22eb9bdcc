use crate::api::portal::portal_overview;
use crate::api::tiers::MyTierDto;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState, TierProgress};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Dashboard() -> impl IntoView {
    let overview = resource(|| (), |_| portal_overview());
    // Created here, not inside the content below: see `performance::report_resource`.
    let report = super::performance::report_resource();
    let together = super::across_programs::together_resource();
    let tiers = resource(|| (), |_| crate::api::tiers::my_tiers());
    let checklist = resource(|| (), |_| crate::api::onboarding::my_checklist());
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
                        {load(checklist, |steps| view! { <super::checklist::Checklist steps /> })}
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
                            view! {
                                {load(tiers, |tiers| view! { <MyTiers tiers /> })}
                                <super::across_programs::AcrossPrograms together />
                                <super::performance::Performance report />
                            }
                                .into_any()
                        }}
                    }
                        .into_any()
                }
            },
        )}
    }
}

/// The partner's tier in each program with tiers, and how far the next one is.
#[component]
fn MyTiers(tiers: Vec<MyTierDto>) -> impl IntoView {
    tiers
        .into_iter()
        .map(|t| {
            let held = t.tier.clone().unwrap_or_else(|| "No tier yet".to_owned());
            view! {
                <section class="panel tier-card" aria-label=format!("Your tier in {}", t.program_name)>
                    <h2>{format!("{held} · {}", t.program_name)}</h2>
                    {t.locked.then(|| view! { <p class="muted">"Your tier is set by the program for now."</p> })}
                    {t.demotion_due
                        .clone()
                        .map(|due| {
                            view! {
                                <p class="notice-inline">
                                    {format!("Your figures are below {held}. You keep it until {due}; meet the criteria again to stay.")}
                                </p>
                            }
                        })}
                    <TierProgress progress=t.progress.clone() />
                </section>
            }
        })
        .collect_view()
}
