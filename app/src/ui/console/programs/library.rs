//! A program's content library: its documents in folders, each with its versions (partners get
//! the newest) and downloads, downloads per partner, and the forms that publish a document and
//! store a new version (plain multipart forms, so a file streams in with or without JavaScript).

use super::super::id_param;
use super::tabs::{with_program_name, BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::error::AppError;
use crate::api::library::{program_library, ArchiveDocument, DocumentRowDto, DownloadRowDto, ProgramLibraryDto};
use crate::domain::library::file_type::RULES;
use crate::ui::resource::resource;
use crate::ui::widgets::{
    load, CsrfField, EmptyState, FileField, FormError, SelectField, StatusBadge, TextAreaField, TextField,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

const ACCEPT: &str = ".pdf,.pptx,.docx,.xlsx,.png,.jpg,.jpeg,.zip";

#[component]
pub fn ProgramLibrary() -> impl IntoView {
    let id = id_param;
    let archive = ServerAction::<ArchiveDocument>::new();
    let data = resource(
        move || (id(), archive.version().get()),
        |(id, _)| with_program_name(id, program_library(id)),
    );
    view! {
        <Title text="Library" />
        <BackLink />
        {load(
            data,
            move |(name, d): (String, ProgramLibraryDto)| {
                let program_id = id();
                view! {
                    <ProgramHeader program_id name current=Tab::Library />
                    <h2>"Library"</h2>
                    <p class="muted">
                        "Sales decks, price lists, battle cards, case studies and brand kits. Partners find them in their portal by folder or by searching, and always download the newest version."
                    </p>
                    <Documents d=d.clone() archive />
                    {if d.can_manage {
                        view! { <PublishForm d=d.clone() /> }.into_any()
                    } else {
                        view! { <p class="muted">{READ_ONLY}</p> }.into_any()
                    }}
                    <Downloads rows=d.downloads.clone() />
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn Documents(d: ProgramLibraryDto, archive: ServerAction<ArchiveDocument>) -> impl IntoView {
    if d.documents.is_empty() {
        return view! {
            <EmptyState title="No documents yet">
                <p>"Publish the first one with the form below: name a folder for it, and partners who may see it find it at once."</p>
            </EmptyState>
        }
        .into_any();
    }
    let (program_id, can_manage, refused) = (d.program_id, d.can_manage, d.version_refused.clone());
    view! {
        <div class="table-wrap">
            <table class="fold">
                <caption class="sr-only">"Documents"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Document"</th>
                        <th scope="col">"Folder"</th>
                        <th scope="col">"Shown to"</th>
                        <th scope="col">"Versions"</th>
                        <th scope="col" class="num">"Downloads"</th>
                        {can_manage.then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {d
                        .documents
                        .into_iter()
                        .map(|doc| {
                            let refused = refused
                                .as_ref()
                                .filter(|r| r.document_id == doc.id)
                                .map(|r| r.error.clone());
                            view! { <DocumentRow doc program_id can_manage archive refused /> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn DocumentRow(
    doc: DocumentRowDto,
    program_id: i64,
    can_manage: bool,
    archive: ServerAction<ArchiveDocument>,
    refused: Option<AppError>,
) -> impl IntoView {
    let latest = doc.versions.first().cloned();
    let older: Vec<_> = doc.versions.iter().skip(1).cloned().collect();
    let (status, label) = if doc.archived {
        ("rejected", "Withdrawn")
    } else {
        ("approved", "Live")
    };
    let open_form = refused.is_some();
    view! {
        <tr>
            <td data-label="Document">
                <strong>{doc.title.clone()}</strong>
                " "
                <StatusBadge status=status.into() label=label.into() />
                {(!doc.description.is_empty()).then(|| view! { <div class="muted">{doc.description.clone()}</div> })}
                {(!doc.tags.is_empty()).then(|| view! { <div class="tags">{doc.tags.join(", ")}</div> })}
            </td>
            <td data-label="Folder">{doc.folder.clone()}</td>
            <td data-label="Shown to">{doc.visibility.clone()}</td>
            <td data-label="Versions">
                {latest
                    .map(|v| {
                        view! {
                            <a href=v.download_path.clone() rel="external">
                                {format!("Version {}: {}", v.number, v.file_name)}
                            </a>
                            <div class="muted">{format!("{} · {}", v.file, v.stored)}</div>
                            {(!v.note.is_empty()).then(|| view! { <div class="muted">{v.note.clone()}</div> })}
                        }
                    })}
                {(!older.is_empty())
                    .then(|| {
                        view! {
                            <details>
                                <summary>{format!("Earlier versions ({})", older.len())}</summary>
                                <ul class="plain">
                                    {older
                                        .into_iter()
                                        .map(|v| {
                                            view! {
                                                <li>
                                                    <a href=v.download_path.clone() rel="external">
                                                        {format!("Version {}: {}", v.number, v.file_name)}
                                                    </a>
                                                    {format!(" · {} · {}", v.file, v.stored)}
                                                    {(!v.note.is_empty()).then(|| format!(" · {}", v.note))}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </details>
                        }
                    })}
            </td>
            <td data-label="Downloads" class="num">{doc.downloads}</td>
            {can_manage
                .then(|| {
                    view! {
                        <td data-label="Actions">
                            {(!doc.archived)
                                .then(|| {
                                    view! {
                                        <NewVersionForm program_id doc_id=doc.id title=doc.title.clone() refused=refused.clone() open=open_form />
                                        <ActionForm action=archive>
                                            <CsrfField />
                                            <input type="hidden" name="program_id" value=program_id.to_string() />
                                            <input type="hidden" name="document_id" value=doc.id.to_string() />
                                            <button
                                                type="submit"
                                                class="button secondary"
                                                aria-label=format!("Withdraw {}", doc.title)
                                            >
                                                "Withdraw"
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        </td>
                    }
                })}
        </tr>
    }
}

/// The new-version form of one document. Each row has one, so its fields carry the document's
/// id (the shared field widgets name theirs after the field alone).
#[component]
fn NewVersionForm(program_id: i64, doc_id: i64, title: String, refused: Option<AppError>, open: bool) -> impl IntoView {
    let field_error = |field: &str| {
        refused
            .as_ref()
            .and_then(AppError::field_errors)
            .and_then(|e| e.get(field).map(str::to_owned))
    };
    let (note_error, file_error) = (field_error("note"), field_error("file"));
    let other_error = refused
        .as_ref()
        .filter(|_| note_error.is_none() && file_error.is_none())
        .map(ToString::to_string);
    let (note_id, file_id) = (format!("version-{doc_id}-note"), format!("version-{doc_id}-file"));
    let inline = |id: &str, message: Option<String>| {
        message.map(|m| view! { <p class="field-error" id=format!("{id}-error") role="alert">{m}</p> })
    };
    view! {
        <details open=open>
            <summary>"New version"</summary>
            {other_error.map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
            <form
                method="post"
                enctype="multipart/form-data"
                action=format!("/console/programs/{program_id}/library/{doc_id}/versions")
                class="stack"
                aria-label=format!("New version of {title}")
            >
                <CsrfField />
                <div class="field" class:has-error=note_error.is_some()>
                    <label for=note_id.clone()>"What changed"</label>
                    <input id=note_id.clone() type="text" name="note" maxlength="500" aria-invalid=note_error.is_some().to_string() />
                    {inline(&note_id, note_error.clone())}
                </div>
                <div class="field" class:has-error=file_error.is_some()>
                    <label for=file_id.clone()>"File" <span class="req" aria-hidden="true">" *"</span></label>
                    <input id=file_id.clone() type="file" name="file" accept=ACCEPT required=true aria-invalid=file_error.is_some().to_string() />
                    {inline(&file_id, file_error.clone())}
                </div>
                <button type="submit" class="button">
                    "Store version"
                </button>
            </form>
        </details>
    }
}

#[component]
fn PublishForm(d: ProgramLibraryDto) -> impl IntoView {
    let errors = Signal::stored(d.refused.clone());
    let folders = d
        .folders
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect::<Vec<_>>();
    let certifications = d
        .certifications
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect::<Vec<_>>();
    let has_certifications = !certifications.is_empty();
    // "Holders of a certification" only once the program has one to choose.
    let visibilities = [
        ("all", "All partners of the program"),
        ("kinds", "Some partner kinds"),
        ("tiers", "Some tiers"),
        ("certification", "Holders of a certification"),
    ]
    .into_iter()
    .filter(|(v, _)| *v != "certification" || has_certifications)
    .map(|(v, l)| (v.to_owned(), l.to_owned()))
    .collect::<Vec<_>>();
    view! {
        <section class="panel" aria-labelledby="publish-document">
            <h2 id="publish-document">"Publish a document"</h2>
            <FormError errors />
            <form
                method="post"
                enctype="multipart/form-data"
                action=format!("/console/programs/{}/library/add", d.program_id)
                class="stack"
            >
                <CsrfField />
                <div class="field-row">
                    {(!folders.is_empty())
                        .then(|| {
                            view! { <SelectField label="Folder" name="folder_id" errors options=folders placeholder="Choose a folder" /> }
                        })}
                    <TextField label="New folder" name="new_folder" errors maxlength=80 hint="Or name a new one: Sales decks, Price lists …" />
                </div>
                <TextField label="Title" name="title" errors required=true maxlength=160 />
                <TextAreaField label="Description" name="description" errors rows=3 hint="What it is for; partners' searches read it." />
                <TextField label="Tags" name="tags" errors hint="Comma-separated: battle card, pricing, 2027." />
                <SelectField label="Who sees it" name="visibility" errors options=visibilities />
                <TextField
                    label="Which ones"
                    name="audience"
                    errors
                    hint="For kinds: reseller, integrator … For tiers: Gold, Platinum. Comma-separated."
                />
                {if has_certifications {
                    view! {
                        <SelectField
                            label="Certification"
                            name="certification_id"
                            errors
                            options=certifications
                            placeholder="For holders of a certification: which one"
                        />
                    }
                        .into_any()
                } else {
                    view! { <p class="hint">"Add a certification on the Training tab to offer documents to its holders only."</p> }
                        .into_any()
                }}
                <FileField
                    label="File"
                    name="file"
                    errors
                    accept=ACCEPT
                    hint=format!("{RULES} Up to {}.", d.max_upload)
                    required=true
                />
                <button type="submit" class="button">
                    "Publish document"
                </button>
            </form>
        </section>
    }
}

#[component]
fn Downloads(rows: Vec<DownloadRowDto>) -> impl IntoView {
    view! {
        <section aria-labelledby="library-downloads">
            <h2 id="library-downloads">"Downloads by partner"</h2>
            {if rows.is_empty() {
                view! { <p class="muted">"No partner has downloaded a document yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="fold">
                            <thead>
                                <tr>
                                    <th scope="col">"Partner"</th>
                                    <th scope="col">"Document"</th>
                                    <th scope="col" class="num">"Downloads"</th>
                                    <th scope="col">"Last"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|r| {
                                        view! {
                                            <tr>
                                                <td data-label="Partner">{r.partner}</td>
                                                <td data-label="Document">{r.document}</td>
                                                <td data-label="Downloads" class="num">{r.downloads}</td>
                                                <td data-label="Last">{r.last}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}
