//! Under a program's overview: who may apply (with the invitation link of an invite-only
//! program) and, for admins, archiving the program with the last day its links redirect.

use crate::api::program_create::{program_lifecycle, ArchiveProgram, ProgramLifecycleDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn Lifecycle(program_id: i64) -> impl IntoView {
    let archive = ServerAction::<ArchiveProgram>::new();
    let data = resource(move || archive.version().get(), move |_| program_lifecycle(program_id));
    let errors = Signal::derive(move || archive.value().get().and_then(Result::err));
    view! {
        {load(
            data,
            move |d: ProgramLifecycleDto| {
                view! {
                    <section class="panel" aria-labelledby="lifecycle-heading">
                        <h2 id="lifecycle-heading">"Applications and lifetime"</h2>
                        <Access d=d.clone() />
                        {d.can_archive.then(|| view! { <ArchiveForm d=d.clone() archive errors /> })}
                    </section>
                }
            },
        )}
    }
}

#[component]
fn Access(d: ProgramLifecycleDto) -> impl IntoView {
    match (d.archived_on, d.links_end_on, d.invitation_link) {
        (Some(archived), Some(end), _) => view! {
            <p class="alert alert-error" role="status">
                {format!(
                    "Archived on {archived}: no applications and no new links. Existing links redirect until {end}, then show a \"program ended\" page. Balances still settle.",
                )}
            </p>
        }
            .into_any(),
        (_, _, Some(link)) => view! {
            <p>"Invite-only: people apply with this link (it carries the program's invitation code)."</p>
            <p>
                <code class="copyable">{link}</code>
            </p>
        }
            .into_any(),
        _ => view! { <p>"Public: listed on the start page, and anyone may apply."</p> }.into_any(),
    }
}

#[component]
fn ArchiveForm(
    d: ProgramLifecycleDto,
    archive: ServerAction<ArchiveProgram>,
    errors: Signal<Option<crate::api::error::AppError>>,
) -> impl IntoView {
    view! {
        <details class="danger-zone">
            <summary>"Archive this program"</summary>
            <p>
                "Archiving stops applications and new links at once. Existing links keep redirecting until the day you choose; after it they show a friendly \"program ended\" page. Commissions and balances still settle, and nothing is deleted. This can't be undone."
            </p>
            <FormError errors />
            <ActionForm action=archive>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="id" value=d.id.to_string() />
                    <TextField
                        label="Links stop redirecting on"
                        name="links_end"
                        kind="date"
                        required=true
                        hint="From the start of this day (UTC), links answer \"program ended\"."
                        errors
                    />
                    <button type="submit" class="button danger">
                        {format!("Archive {}", d.name)}
                    </button>
                </div>
            </ActionForm>
        </details>
    }
}
