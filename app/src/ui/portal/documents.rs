//! `/portal/documents`: the documents each of the partner's programs requires, where each
//! stands (with the reason of a rejection or the date of an expiry), and a plain multipart form
//! per document, the same with or without JavaScript.

use crate::api::documents::{my_documents, MyDocumentsDto, ProgramDocumentsDto, RequirementStandingDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState};
use leptos::prelude::*;
use leptos_meta::Title;

/// What the browser's file picker offers: the kinds the server accepts.
const ACCEPT: &str = "application/pdf,image/png,image/jpeg,image/webp";

#[component]
pub fn Documents() -> impl IntoView {
    let data = resource(|| (), |_| my_documents());
    view! {
        <Title text="Documents" />
        <h1>"Documents"</h1>
        {load(data, |d: MyDocumentsDto| view! { <Programs d /> }.into_any())}
    }
}

#[component]
fn Programs(d: MyDocumentsDto) -> impl IntoView {
    if !d.is_owner {
        return view! {
            <EmptyState title="Your account's owner gives the documents">
                <p>"Identity and company documents hold personal data, so only the owner of your partner account sees and uploads them."</p>
            </EmptyState>
        }
        .into_any();
    }
    if d.programs.is_empty() {
        return view! {
            <EmptyState title="No documents needed">
                <p>"None of your programs asks for documents. If one does later, it shows here and we'll email you."</p>
            </EmptyState>
        }
        .into_any();
    }
    let refusal = (d.error_requirement, d.error.clone());
    view! {
        <p class="muted">
            "Your programs check who their partners are. Files are stored encrypted and only the program's admins and finance team can open them. "
            {d.limits.clone()}
        </p>
        {d
            .programs
            .into_iter()
            .map(|program| view! { <ProgramSection program refusal=refusal.clone() /> })
            .collect_view()}
    }
    .into_any()
}

#[component]
fn ProgramSection(program: ProgramDocumentsDto, refusal: (Option<i64>, Option<String>)) -> impl IntoView {
    let done = program.items.iter().filter(|i| i.tone == "ok").count();
    view! {
        <section class="panel">
            <h2>{program.program.clone()}</h2>
            <p class="muted">{format!("{done} of {} approved", program.items.len())}</p>
            <ul class="document-list">
                {program
                    .items
                    .into_iter()
                    .map(|item| {
                        let error = (refusal.0 == Some(item.id)).then(|| refusal.1.clone()).flatten();
                        view! { <RequirementItem item error /> }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn RequirementItem(item: RequirementStandingDto, error: Option<String>) -> impl IntoView {
    let input_id = format!("document-{}", item.id);
    let has_error = error.is_some();
    let error_id = format!("document-{}-error", item.id);
    let label = if item.latest.is_some() {
        format!("Upload a new {}", item.name)
    } else {
        format!("Upload your {}", item.name)
    };
    view! {
        <li class="document">
            <div class="document-head">
                <h3>{item.name.clone()}</h3>
                <span class=format!("badge badge-doc-{}", item.tone)>{item.status.clone()}</span>
            </div>
            <p class="muted">{item.needed.clone()}</p>
            {(!item.help.is_empty()).then(|| view! { <p>{item.help.clone()}</p> })}
            <p>{item.detail.clone()}</p>
            {item
                .latest
                .clone()
                .map(|file| {
                    view! {
                        <p class="muted">
                            "Latest file: "
                            <a href=format!("/documents/{}", file.id)>{file.filename.clone()}</a>
                            {format!(" · {} · uploaded {}", file.size, file.uploaded)}
                        </p>
                    }
                })}
            <form method="post" action=format!("/portal/documents/{}", item.id) enctype="multipart/form-data" class="upload-row">
                <CsrfField />
                <div class="field" class:has-error=has_error>
                    <label for=input_id.clone()>{label}</label>
                    <input
                        id=input_id
                        type="file"
                        name="file"
                        accept=ACCEPT
                        required=true
                        aria-invalid=has_error.to_string()
                        aria-describedby=error.as_ref().map(|_| error_id.clone())
                    />
                    {error.map(|message| view! { <p class="field-error" id=error_id>{message}</p> })}
                </div>
                <button type="submit" class="button small">"Upload"</button>
            </form>
        </li>
    }
}
