//! The documents a program requires of its partners (on its Application form tab): each with
//! when it is needed, a form to add one and a button to stop asking for one.

use crate::api::documents_console::{program_requirements, AddRequirement, ProgramRequirementsDto, RetireRequirement};
use crate::api::error::AppError;
use crate::domain::documents::{Kind, NeededBefore, HELP_MAX, NAME_MAX};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, NamedSelect, NamedText};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn DocumentRequirements(program_id: i64) -> impl IntoView {
    let add = ServerAction::<AddRequirement>::new();
    let retire = ServerAction::<RetireRequirement>::new();
    let data = resource(
        move || (add.version().get(), retire.version().get()),
        move |_| program_requirements(program_id),
    );
    let saved = move || {
        let added = add.value().get().and_then(Result::ok);
        added.or_else(|| retire.value().get().and_then(Result::ok))
    };
    let refused = Signal::derive(move || {
        let add_error = add
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.field_errors().is_none());
        add_error.or_else(|| retire.value().get().and_then(Result::err))
    });
    view! {
        <section class="panel" aria-labelledby="documents-required">
            <h2 id="documents-required">"Documents partners give"</h2>
            <p class="muted">
                "Ask for an ID, a company registration or proof of address. A document needed before approval holds the application until an admin or finance operator approves it under Documents; one needed before the first payout holds payouts."
            </p>
            {move || saved().map(|message| view! { <p class="notice" role="status">{message}</p> })}
            <FormError errors=refused />
            {load(
                data,
                move |d: ProgramRequirementsDto| view! { <List d program_id retire add /> }.into_any(),
            )}
        </section>
    }
}

#[component]
fn List(
    d: ProgramRequirementsDto,
    program_id: i64,
    retire: ServerAction<RetireRequirement>,
    add: ServerAction<AddRequirement>,
) -> impl IntoView {
    let list = if d.requirements.is_empty() {
        view! {
            <EmptyState title="No documents required">
                <p>"Partners join without giving documents. Add one below to check who they are."</p>
            </EmptyState>
        }
        .into_any()
    } else {
        view! {
            <ul class="document-list">
                {d
                    .requirements
                    .into_iter()
                    .map(|r| {
                        let label = format!("Stop asking for “{}”", r.name);
                        view! {
                            <li class="document">
                                <div class="document-head">
                                    <h3>{r.name.clone()}</h3>
                                    <span class="badge">{r.needed.clone()}</span>
                                </div>
                                {(r.kind != r.name).then(|| view! { <p class="muted">{r.kind.clone()}</p> })}
                                {(!r.help.is_empty()).then(|| view! { <p>{r.help.clone()}</p> })}
                                {d.can_manage
                                    .then(|| {
                                        view! {
                                            <ActionForm action=retire>
                                                <CsrfField />
                                                <input type="hidden" name="program_id" value=program_id.to_string() />
                                                <input type="hidden" name="requirement_id" value=r.id.to_string() />
                                                <button type="submit" class="button danger small" aria-label=label>
                                                    "Stop asking"
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {list}
        {d.can_manage.then(|| view! { <AddForm program_id add /> })}
    }
}

#[component]
fn AddForm(program_id: i64, add: ServerAction<AddRequirement>) -> impl IntoView {
    let errors: Signal<Option<AppError>> = Signal::derive(move || add.value().get().and_then(Result::err));
    let kinds = Kind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect();
    let stages = NeededBefore::ALL
        .iter()
        .map(|n| (n.as_str().to_owned(), n.label().to_owned()))
        .collect();
    view! {
        <h3>"Require a document"</h3>
        <ActionForm action=add>
            <div class="stack">
                <CsrfField />
                <input type="hidden" name="program_id" value=program_id.to_string() />
                <NamedSelect name="kind" key="kind" scope="doc-" label="Kind of document" value=Kind::GovernmentId.as_str() errors options=kinds />
                <NamedText
                    name="name"
                    key="name"
                    scope="doc-"
                    label="Name partners see"
                    errors
                    maxlength=NAME_MAX
                    hint="Optional for the named kinds (it defaults to the kind); required for “Other document”."
                />
                <NamedText name="help" key="help" scope="doc-" label="What to upload" errors maxlength=HELP_MAX hint="Optional, shown to the partner." />
                <NamedSelect
                    name="needed_before"
                    key="needed_before"
                    scope="doc-"
                    label="Needed"
                    value=NeededBefore::Approval.as_str()
                    errors
                    options=stages
                />
                <button type="submit" class="button">"Require it"</button>
            </div>
        </ActionForm>
    }
}
