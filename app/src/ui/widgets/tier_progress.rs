//! Progress to the next tier: one bar per criterion with where the partner is, what the tier
//! needs and what is missing, in words beside each bar (the bar is a `<progress>`, so screen
//! readers hear it too).

use crate::domain::tiers::Progress;
use leptos::prelude::*;

#[component]
pub fn TierProgress(progress: Progress) -> impl IntoView {
    let Some(next) = progress.next.clone() else {
        return view! { <p class="muted">"The top tier: there is no higher one to reach."</p> }.into_any();
    };
    if progress.steps.is_empty() {
        return view! { <p class="muted">{format!("Everything {next} asks for is met: the next evaluation moves up to it.")}</p> }
            .into_any();
    }
    view! {
        <div class="tier-progress">
            <p>
                <strong>{if progress.keeping { format!("To keep {next}") } else { format!("Next: {next}") }}</strong>
            </p>
            <ul class="plain">
                {progress
                    .steps
                    .into_iter()
                    .map(|s| {
                        let words = s.missing.clone().unwrap_or_else(|| "Met".to_owned());
                        view! {
                            <li class="tier-step" class:met=s.missing.is_none()>
                                <span class="tier-step-label">{s.label.clone()}</span>
                                <progress max="100" value=s.percent.to_string() aria-label=format!("{}: {} of {}", s.label, s.have, s.need)>
                                    {format!("{}%", s.percent)}
                                </progress>
                                <span class="tier-step-figures">{format!("{} of {}", s.have, s.need)}</span>
                                <span class="tier-step-missing">{words}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
    .into_any()
}
