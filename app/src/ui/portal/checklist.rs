//! The onboarding checklist on the dashboard: what is left between approval and earning, each
//! step a link to the page where it is done. It goes away once every step is done.

use crate::api::onboarding::StepDto;
use leptos::prelude::*;

#[component]
pub fn Checklist(steps: Vec<StepDto>) -> impl IntoView {
    let done = steps.iter().filter(|s| s.done).count();
    let total = steps.len();
    (done < total).then(|| {
        view! {
            <section class="panel checklist" aria-labelledby="checklist-heading">
                <h2 id="checklist-heading">"Get set up"</h2>
                <p class="checklist-count">
                    <progress max=total.to_string() value=done.to_string() aria-label="Steps done">
                        {format!("{done} of {total}")}
                    </progress>
                    {format!("{done} of {total} steps done")}
                </p>
                <ol class="checklist-steps">
                    {steps
                        .into_iter()
                        .map(|s| {
                            view! {
                                <li class:done=s.done>
                                    <span class="checklist-mark" aria-hidden="true">
                                        {if s.done { "✓" } else { "" }}
                                    </span>
                                    <span>
                                        <a href=s.href>{s.title}</a>
                                        {s.done.then_some(view! { <span class="sr-only">" (done)"</span> })}
                                        <br />
                                        <span class="muted">{s.detail}</span>
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
        }
    })
}
