//! Batch approval: the rows' checkboxes belong to this form (through their `form` attribute),
//! so ticking and posting works without JavaScript. The result lists what was approved and
//! each commission that was skipped, with the reason.

use super::decide::error_text;
use crate::api::approvals::{ApproveSelected, BatchDto};
use crate::ui::widgets::CsrfField;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The id of the batch form, named by every row's checkbox.
pub const BATCH_FORM: &str = "batch-approve";

#[component]
pub fn BatchForm(action: ServerAction<ApproveSelected>) -> impl IntoView {
    let error = move || action.value().get().and_then(Result::err).map(|e| error_text(&e));
    view! {
        <ActionForm action attr:id=BATCH_FORM attr:class="batch-form">
            <CsrfField />
            <button type="submit" class="button">
                "Approve selected"
            </button>
            <span class="hint">
                "Tick commissions in the list. Any that can't be approved are skipped and explained."
            </span>
            <Show when=move || error().is_some()>
                <p class="field-error" role="alert">
                    {error}
                </p>
            </Show>
        </ActionForm>
    }
}

#[component]
pub fn BatchResult(action: ServerAction<ApproveSelected>) -> impl IntoView {
    let result = move || action.value().get().and_then(Result::ok);
    view! { <Show when=move || result().is_some()>{move || result().map(|r| view! { <BatchLines result=r /> })}</Show> }
}

#[component]
fn BatchLines(result: BatchDto) -> impl IntoView {
    let total = result.approved.len() + result.skipped.len();
    view! {
        <section class="alert alert-success batch-result" role="status" aria-label="Batch approval result">
            <p>
                <strong>{format!("Approved {} of {total} selected.", result.approved.len())}</strong>
            </p>
            {(!result.approved.is_empty())
                .then(|| {
                    view! {
                        <ul>
                            {result
                                .approved
                                .iter()
                                .map(|l| {
                                    view! {
                                        <li>
                                            <a href=format!("/console/commissions/{}", l.id)>{format!("#{}", l.id)}</a>
                                            {format!(": {}", l.text)}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            {(!result.skipped.is_empty())
                .then(|| {
                    view! {
                        <p>{format!("Skipped {}:", result.skipped.len())}</p>
                        <ul class="skipped">
                            {result
                                .skipped
                                .iter()
                                .map(|l| {
                                    view! {
                                        <li>
                                            <a href=format!("/console/commissions/{}", l.id)>{format!("#{}", l.id)}</a>
                                            {format!(": {}", l.text)}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
        </section>
    }
}
