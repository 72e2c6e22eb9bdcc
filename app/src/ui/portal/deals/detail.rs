//! `/portal/deals/:id`: one of the partner's deals, moving it through stages and asking for
//! more protection. Another partner's deal id shows "not found".

use crate::api::deals::portal::{my_deal, MoveDeal, RequestExtension};
use crate::api::deals::DealDetailDto;
use crate::ui::params::id_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{
    load, CsrfField, DealFacts, DealHistory, FormError, Notice, StageFields, TextAreaField, TextField,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DealPage() -> impl IntoView {
    let moved = ServerAction::<MoveDeal>::new();
    let extend = ServerAction::<RequestExtension>::new();
    let deal = resource(
        move || (id_param(), moved.version().get(), extend.version().get()),
        |(id, ..)| my_deal(id),
    );
    let notice = move || {
        moved
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| extend.value().get().and_then(Result::ok))
    };
    view! {
        <Title text="Deal" />
        <p>
            <a href="/portal/deals">"← Your deals"</a>
        </p>
        <Show when=move || notice().is_some()>
            <Notice>{notice}</Notice>
        </Show>
        {load(deal, move |d| view! { <Deal d moved extend /> }.into_any())}
    }
}

#[component]
fn Deal(d: DealDetailDto, moved: ServerAction<MoveDeal>, extend: ServerAction<RequestExtension>) -> impl IntoView {
    let move_errors = Signal::derive(move || moved.value().get().and_then(Result::err));
    let extend_errors = Signal::derive(move || extend.value().get().and_then(Result::err));
    let id = d.row.id;
    let stage_deal = d.clone();
    view! {
        <DealFacts d=d.clone() />
        {(!d.next_stages.is_empty())
            .then(move || {
                view! {
                    <section class="panel" aria-labelledby="stage-heading">
                        <h2 id="stage-heading">"Update the deal"</h2>
                        <p class="muted">
                            "Marking it won books your commission under your terms; won or lost closes the deal and releases its protection."
                        </p>
                        <FormError errors=move_errors />
                        <ActionForm action=moved>
                            <div class="stack">
                                <CsrfField />
                                <StageFields d=stage_deal.clone() errors=move_errors />
                                <button type="submit" class="button">
                                    "Save the stage"
                                </button>
                            </div>
                        </ActionForm>
                    </section>
                }
            })}
        {d
            .can_extend
            .then(|| {
                view! {
                    <section class="panel" aria-labelledby="extend-heading">
                        <h2 id="extend-heading">"Need more time?"</h2>
                        <FormError errors=extend_errors />
                        <ActionForm action=extend>
                            <div class="stack">
                                <CsrfField />
                                <input type="hidden" name="id" value=id.to_string() />
                                <TextField
                                    label="Extra days of protection"
                                    name="days"
                                    kind="number"
                                    errors=extend_errors
                                    required=true
                                    value="30"
                                />
                                <TextAreaField
                                    label="Why"
                                    name="reason"
                                    errors=extend_errors
                                    required=true
                                    maxlength=1000
                                    rows=2
                                />
                                <button type="submit" class="button secondary">
                                    "Ask for an extension"
                                </button>
                            </div>
                        </ActionForm>
                    </section>
                }
            })}
        {d
            .extension_waiting
            .then(|| view! { <p class="muted">"Your extension request waits for the program team's decision."</p> })}
        <DealHistory d />
    }
}
