//! The decision forms of one request or its claim: approve an amount (prefilled with what was
//! asked; a smaller amount is fine), or decline / reject with a reason the partner reads. Which
//! of them a person sees comes from `domain::mdf::decider`.

use crate::api::error::AppError;
use crate::api::mdf_console::DecideMdf;
use crate::ui::widgets::CsrfField;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The message of a refused decision: the field's own message when there is one.
pub fn error_text(error: &AppError) -> String {
    error
        .field_errors()
        .and_then(|f| f.errors.first())
        .map_or_else(|| error.to_string(), |e| e.message.clone())
}

/// Why an admin who approved the request sees no approve form on its claim.
pub const SECOND_PERSON: &str = "You approved this request, so someone else with finance rights approves its claim.";

#[component]
fn Hidden(id: i64, what: &'static str) -> impl IntoView {
    view! {
        <CsrfField />
        <input type="hidden" name="id" value=id.to_string() />
        <input type="hidden" name="what" value=what />
    }
}

/// `what` is "request" or "claim"; `amount` prefills the approval. Without `approve` only the
/// refusal is offered (the claim of a request this person approved).
#[component]
pub fn DecideForms(
    id: i64,
    what: &'static str,
    amount: String,
    currency: String,
    action: ServerAction<DecideMdf>,
    error: Signal<Option<AppError>>,
    #[prop(default = true)] approve: bool,
) -> impl IntoView {
    let (approve_label, refuse, refuse_label) = match what {
        "claim" => (
            format!("Approve claim for #{id}"),
            "reject",
            format!("Reject claim for #{id}"),
        ),
        _ => (
            format!("Approve request #{id}"),
            "decline",
            format!("Decline request #{id}"),
        ),
    };
    let amount_id = format!("{what}-amount-{id}");
    let reason_id = format!("{what}-reason-{id}");
    let open = move || {
        error.with(|e| {
            e.as_ref()
                .and_then(|e| e.field_errors())
                .is_some_and(|f| f.get("reason").is_some())
        })
    };
    view! {
        <div class="decide">
            {if approve {
                view! {
                    <ActionForm action attr:class="inline-form mdf-approve">
                        <Hidden id what />
                        <input type="hidden" name="decision" value="approve" />
                        <label for=amount_id.clone()>{format!("Amount ({currency}) for #{id}")}</label>
                        <input id=amount_id type="text" name="amount" inputmode="decimal" value=amount size="10" required />
                        <button type="submit" class="button small">
                            {approve_label}
                        </button>
                    </ActionForm>
                }
                    .into_any()
            } else {
                view! { <p class="muted">{SECOND_PERSON}</p> }.into_any()
            }}
            <details class="reason-form" open=open>
                <summary>{if what == "claim" { "Reject…" } else { "Decline…" }}</summary>
                <ActionForm action>
                    <Hidden id what />
                    <input type="hidden" name="decision" value=refuse />
                    <div class="field">
                        <label for=reason_id.clone()>{format!("Reason for #{id}")}</label>
                        <textarea id=reason_id name="reason" rows="2" required maxlength="1000"></textarea>
                        <p class="hint">"Emailed to the partner."</p>
                    </div>
                    <button type="submit" class="button danger small">
                        {refuse_label}
                    </button>
                </ActionForm>
            </details>
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error" role="alert">
                    {move || error.get().as_ref().map(error_text)}
                </p>
            </Show>
        </div>
    }
}
