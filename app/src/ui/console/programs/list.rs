//! Every program, with its public join page and the way into its reports and settings.

use super::tabs::Tab;
use crate::api::program_admin::console_programs;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Programs() -> impl IntoView {
    let programs = resource(|| (), |_| console_programs());
    view! {
        <Title text="Programs" />
        <h1>"Programs"</h1>
        <p class="lead">
            "Each program has its own tracking settings, commission rule, links, coupons and API keys. Open one to see its numbers."
        </p>
        <p>
            <a class="button" href="/console/programs/new">
                "New program"
            </a>
        </p>
        {load(
            programs,
            |programs| {
                if programs.is_empty() {
                    return view! {
                        <EmptyState title="No programs yet">
                            <p>
                                "Create your first program with the button above: it takes a minute, and every setting starts with a sensible default."
                            </p>
                        </EmptyState>
                    }
                        .into_any();
                }
                view! {
                    <div class="table-wrap">
                        <table class="fold">
                            <caption class="sr-only">"Programs"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Program"</th>
                                    <th scope="col">"Currency"</th>
                                    <th scope="col">"Public join page"</th>
                                    <th scope="col" class="num">
                                        "Cookie window"
                                    </th>
                                    <th scope="col">"Open"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {programs
                                    .into_iter()
                                    .map(|p| {
                                        let join = format!("/join/{}", p.slug);
                                        view! {
                                            <tr>
                                                <td>
                                                    <a class="row-link" href=Tab::Overview.href(p.id)>
                                                        <strong>{p.name.clone()}</strong>
                                                    </a>
                                                    {(!p.allowed_domains.is_empty())
                                                        .then(|| {
                                                            view! {
                                                                <br />
                                                                <span class="muted">{p.allowed_domains.join(", ")}</span>
                                                            }
                                                        })}
                                                </td>
                                                <td data-label="Currency">{p.currency.clone()}</td>
                                                <td data-label="Public join page">
                                                    <a href=join.clone() class="code">
                                                        {join.clone()}
                                                    </a>
                                                </td>
                                                <td class="num" data-label="Cookie window">
                                                    {format!(
                                                        "{} day{}",
                                                        p.cookie_days,
                                                        if p.cookie_days == 1 { "" } else { "s" },
                                                    )}
                                                </td>
                                                <td data-label="Open">
                                                    <a
                                                        href=Tab::Overview.href(p.id)
                                                        aria-label=format!("{} overview", p.name)
                                                    >
                                                        "Overview"
                                                    </a>
                                                    " · "
                                                    <a
                                                        href=Tab::Settings.href(p.id)
                                                        aria-label=format!("{} settings", p.name)
                                                    >
                                                        "Settings"
                                                    </a>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            },
        )}
    }
}
