//! `/console/deals/:id`: one registration with the reviewer's warnings (recorded at
//! registration, and near matches among today's open registrations), its history and the forms
//! to decide, extend or correct it.

use super::decide::{CorrectionForm, ExtensionForm, ReviewForm};
use crate::api::deals::console::{deal_detail, CorrectDeal, DecideDeal, DecideExtension};
use crate::api::deals::DealDetailDto;
use crate::ui::params::id_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, DealFacts, DealHistory, Notice};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DealReview() -> impl IntoView {
    let decide = ServerAction::<DecideDeal>::new();
    let extension = ServerAction::<DecideExtension>::new();
    let correct = ServerAction::<CorrectDeal>::new();
    let deal = resource(
        move || {
            (
                id_param(),
                decide.version().get(),
                extension.version().get(),
                correct.version().get(),
            )
        },
        |(id, ..)| deal_detail(id),
    );
    let notice = move || {
        decide
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| extension.value().get().and_then(Result::ok))
            .or_else(|| correct.value().get().and_then(Result::ok))
    };
    view! {
        <Title text="Deal" />
        <p>
            <a href="/console/deals">"← Deal registrations"</a>
        </p>
        <Show when=move || notice().is_some()>
            <Notice>{notice}</Notice>
        </Show>
        {load(deal, move |d| view! { <Review d decide extension correct /> }.into_any())}
    }
}

#[component]
fn Review(
    d: DealDetailDto,
    decide: ServerAction<DecideDeal>,
    extension: ServerAction<DecideExtension>,
    correct: ServerAction<CorrectDeal>,
) -> impl IntoView {
    let mut warnings = d.row.warnings.clone();
    for near in &d.near_matches {
        let line = format!("Near match now: {near}.");
        if !warnings.iter().any(|w| w.contains(near.as_str())) {
            warnings.push(line);
        }
    }
    let pending = d.row.status == "pending";
    view! {
        <DealFacts d=d.clone() />
        {(!warnings.is_empty())
            .then(|| {
                view! {
                    <section class="alert alert-warning" aria-labelledby="warnings-heading">
                        <h2 id="warnings-heading">"Check before deciding"</h2>
                        <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                    </section>
                }
            })}
        {(d.can_decide && pending).then(|| view! { <ReviewForm d=d.clone() action=decide /> })}
        {(d.can_decide && d.extension_waiting).then(|| view! { <ExtensionForm d=d.clone() action=extension /> })}
        {(d.can_decide && !d.next_stages.is_empty()).then(|| view! { <CorrectionForm d=d.clone() action=correct /> })}
        {(!d.can_decide)
            .then(|| view! { <p class="muted">"Decisions on deals need the Admin or Partner manager role."</p> })}
        <DealHistory d />
    }
}
