//! The decision forms of one commission: approve, release, and reject or hold with a reason.
//! Each form carries the decision number the approver saw, so a decision made meanwhile by
//! someone else turns this one into a clear conflict instead of a second decision.

use crate::api::approvals::{DecideCommission, REASON_MAX};
use crate::api::error::AppError;
use crate::domain::commission::approval::Offered;
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

/// What a form needs to know about the commission it decides.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    pub id: i64,
    pub seq: i32,
    pub offered: Offered,
}

#[component]
fn Hidden(target: Target) -> impl IntoView {
    view! {
        <CsrfField />
        <input type="hidden" name="id" value=target.id.to_string() />
        <input type="hidden" name="seen_seq" value=target.seq.to_string() />
    }
}

/// The forms, and the refusal of this commission's last decision (if there was one).
#[component]
pub fn DecisionForms(
    target: Target,
    action: ServerAction<DecideCommission>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let Target { id, offered, .. } = target;
    let reason_id = format!("reason-{id}");
    let hint_id = format!("reason-{id}-hint");
    let error_id = format!("decision-{id}-error");
    let summary = match (offered.reject, offered.hold) {
        (true, true) => "Reject or hold…",
        (true, false) => "Reject…",
        _ => "Hold…",
    };
    let reason_error = move || error.with(|e| e.as_ref().and_then(|e| e.field_errors()).is_some());
    view! {
        <div class="decide">
            {offered
                .approve
                .then(|| {
                    view! {
                        <ActionForm action attr:class="inline-form">
                            <Hidden target />
                            <input type="hidden" name="decision" value="approve" />
                            <button type="submit" class="button small" aria-label=format!("Approve commission #{id}")>
                                "Approve"
                            </button>
                        </ActionForm>
                    }
                })}
            {offered
                .release
                .then(|| {
                    view! {
                        <ActionForm action attr:class="inline-form">
                            <Hidden target />
                            <input type="hidden" name="decision" value="release" />
                            <button
                                type="submit"
                                class="button secondary small"
                                aria-label=format!("Release commission #{id}")
                            >
                                "Release"
                            </button>
                        </ActionForm>
                    }
                })}
            {(offered.reject || offered.hold)
                .then(|| {
                    view! {
                        <details class="reason-form" open=reason_error>
                            <summary>{summary}</summary>
                            <ActionForm action>
                                <Hidden target />
                                <div class="field">
                                    <label for=reason_id.clone()>{format!("Reason for #{id}")}</label>
                                    <textarea
                                        id=reason_id.clone()
                                        name="reason"
                                        rows="2"
                                        required
                                        maxlength=REASON_MAX
                                        aria-describedby=hint_id.clone()
                                        aria-invalid=move || reason_error().to_string()
                                    ></textarea>
                                    <p class="hint" id=hint_id.clone()>
                                        "A rejection's reason is emailed to the partner."
                                    </p>
                                </div>
                                <div class="button-row">
                                    {offered
                                        .reject
                                        .then(|| {
                                            view! {
                                                <button
                                                    type="submit"
                                                    name="decision"
                                                    value="reject"
                                                    class="button danger small"
                                                >
                                                    "Reject"
                                                </button>
                                            }
                                        })}
                                    {offered
                                        .hold
                                        .then(|| {
                                            view! {
                                                <button
                                                    type="submit"
                                                    name="decision"
                                                    value="hold"
                                                    class="button secondary small"
                                                >
                                                    "Hold"
                                                </button>
                                            }
                                        })}
                                </div>
                            </ActionForm>
                        </details>
                    }
                })} <Show when=move || error.with(Option::is_some)>
                <p class="field-error" id=error_id.clone() role="alert">
                    {move || error.get().as_ref().map(error_text)}
                </p>
            </Show>
        </div>
    }
}
