//! The Approvals tab's panel on manual adjustments: which of them wait for a second person
//! with finance rights. Finance (and admins) set the amount; everyone else reads it, managers
//! included, since it is the control on their own adjustments.

use crate::api::approval_settings::{ApprovalSettingsDto, SaveAdjustmentReview};
use crate::ui::widgets::{CsrfField, FormError, NamedText, Notice};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn AdjustmentReview(s: ApprovalSettingsDto, action: ServerAction<SaveAdjustmentReview>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    let form = s.can_set_adjustment_review.then(|| {
        view! {
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=s.program_id.to_string() />
                    <NamedText
                        name="adjustment_review_above"
                        key="adjustment_review_above"
                        label=format!("Finance reviews adjustments above ({})", s.currency)
                        value=s.adjustment_review_above.clone()
                        inputmode="decimal"
                        required=true
                        hint="Compared with the amount of either sign. 0: every adjustment waits for finance."
                        errors
                    />
                    <button type="submit" class="button">
                        "Save adjustment review"
                    </button>
                </div>
            </ActionForm>
        }
    });
    view! {
        <section class="panel" aria-labelledby="adjustment-review-heading">
            <h3 id="adjustment-review-heading">"Manual adjustments"</h3>
            <Show when=saved>
                <Notice>"Adjustment review saved. It applies to adjustments from now on."</Notice>
            </Show>
            <p>{s.adjustment_review_text.clone()}</p>
            {if s.can_set_adjustment_review {
                form.into_any()
            } else {
                view! { <p class="muted">"Finance sets this amount."</p> }.into_any()
            }}
        </section>
    }
}
