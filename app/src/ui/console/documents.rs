//! `/console/documents`: partners' files waiting for review in the operator's brands, oldest
//! first. An admin or finance operator opens each file, then approves it (with an expiry date
//! when the document has one) or rejects it with a reason the partner reads.

use crate::api::documents_console::{decision_prefix, documents_waiting, DecideDocument, WaitingDocumentDto};
use crate::api::error::AppError;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, NamedText};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DocumentQueue() -> impl IntoView {
    let decide = ServerAction::<DecideDocument>::new();
    let data = resource(move || decide.version().get(), |_| documents_waiting());
    // Field errors show beside their row's fields; anything else (decided meanwhile) shows here.
    let refused = Signal::derive(move || {
        let error = decide.value().get().and_then(Result::err);
        error.filter(|e| e.field_errors().is_none())
    });
    view! {
        <Title text="Documents to review" />
        <h1>"Documents to review"</h1>
        <p class="muted">
            "Files partners gave for their programs' know-your-partner checks. Only admins and finance open them; every opening is in the audit trail."
        </p>
        {move || {
            decide.value().get().and_then(Result::ok).map(|message| view! { <p class="notice" role="status">{message}</p> })
        }}
        <FormError errors=refused />
        {load(
            data,
            move |waiting: Vec<WaitingDocumentDto>| {
                if waiting.is_empty() {
                    return view! {
                        <EmptyState title="Nothing waits for review">
                            <p>"When a partner uploads a document, it shows here and you get an email. Programs list the documents they require on their Application form tab."</p>
                        </EmptyState>
                    }
                        .into_any();
                }
                waiting.into_iter().map(|d| view! { <WaitingItem d decide /> }).collect_view().into_any()
            },
        )}
    }
}

#[component]
fn WaitingItem(d: WaitingDocumentDto, decide: ServerAction<DecideDocument>) -> impl IntoView {
    let errors: Signal<Option<AppError>> = Signal::derive(move || decide.value().get().and_then(Result::err));
    let prefix = decision_prefix(d.id);
    let (expires_key, reason_key) = (format!("{prefix}expires_on"), format!("{prefix}reason"));
    let title = format!("{}: {}", d.partner, d.requirement);
    let (approve_label, reject_label) = (format!("Approve {title}"), format!("Reject {title}"));
    view! {
        <section class="panel document-review">
            <h2>{title}</h2>
            <p class="muted">{format!("{} · {} · uploaded {}", d.program, d.needed, d.uploaded)}</p>
            <p>
                <a href=format!("/documents/{}", d.id)>{format!("Open {}", d.filename)}</a>
                {format!(" ({})", d.size)}
            </p>
            <div class="decide-row">
                <ActionForm action=decide>
                    <div class="stack">
                        <CsrfField />
                        <input type="hidden" name="document_id" value=d.id.to_string() />
                        <input type="hidden" name="decision" value="approve" />
                        <NamedText
                            name="expires_on"
                            key=expires_key
                            label="Valid until"
                            kind="date"
                            errors
                            hint="Optional: the document's own expiry date. The partner is asked for a new one then."
                        />
                        <button type="submit" class="button small" aria-label=approve_label>
                            "Approve"
                        </button>
                    </div>
                </ActionForm>
                <ActionForm action=decide>
                    <div class="stack">
                        <CsrfField />
                        <input type="hidden" name="document_id" value=d.id.to_string() />
                        <input type="hidden" name="decision" value="reject" />
                        <NamedText
                            name="reason"
                            key=reason_key
                            label="Reason to reject"
                            errors
                            hint="The partner reads it, so say what a good file looks like."
                        />
                        <button type="submit" class="button danger small" aria-label=reject_label>
                            "Reject"
                        </button>
                    </div>
                </ActionForm>
            </div>
        </section>
    }
}
