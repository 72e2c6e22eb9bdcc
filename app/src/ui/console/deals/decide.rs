//! The program team's forms on one deal: approve or reject a registration, decide an extension
//! request, correct an open deal.

use crate::api::deals::console::{CorrectDeal, DecideDeal, DecideExtension};
use crate::api::deals::DealDetailDto;
use crate::ui::widgets::{CsrfField, FormError, StageFields, TextAreaField};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn ReviewForm(d: DealDetailDto, action: ServerAction<DecideDeal>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="review-heading">
            <h2 id="review-heading">"Decide"</h2>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="id" value=d.row.id.to_string() />
                    <TextAreaField
                        label="Reason"
                        name="reason"
                        errors
                        maxlength=1000
                        rows=2
                        hint="Required to reject; the partner gets it by email."
                    />
                    <div class="button-row">
                        <button type="submit" name="decision" value="approve" class="button">
                            "Approve and protect"
                        </button>
                        <button type="submit" name="decision" value="reject" class="button danger">
                            "Reject"
                        </button>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ExtensionForm(d: DealDetailDto, action: ServerAction<DecideExtension>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let waiting = d.extensions.iter().find(|e| e.status == "pending").cloned();
    view! {
        <section class="panel" aria-labelledby="extension-heading">
            <h2 id="extension-heading">"Extension request"</h2>
            {waiting
                .map(|e| view! { <p>{format!("The partner asks for {} more days: “{}”", e.days, e.reason)}</p> })}
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="id" value=d.row.id.to_string() />
                    <TextAreaField
                        label="Note to the partner"
                        name="reason"
                        errors
                        maxlength=1000
                        rows=2
                        hint="Required to deny."
                    />
                    <div class="button-row">
                        <button type="submit" name="decision" value="approve" class="button">
                            "Approve the extension"
                        </button>
                        <button type="submit" name="decision" value="deny" class="button secondary">
                            "Deny"
                        </button>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn CorrectionForm(d: DealDetailDto, action: ServerAction<CorrectDeal>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <details class="panel">
            <summary>"Correct this deal"</summary>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <StageFields d=d.clone() errors />
                    <TextAreaField
                        label="Why"
                        name="note"
                        errors
                        required=true
                        maxlength=1000
                        rows=2
                        hint="Kept in the deal's history."
                    />
                    <button type="submit" class="button secondary">
                        "Save the correction"
                    </button>
                </div>
            </ActionForm>
        </details>
    }
}
