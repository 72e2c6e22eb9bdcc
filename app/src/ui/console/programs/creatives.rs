//! A program's creatives: what partners get in their gallery, and the form that adds one (a plain
//! multipart form, so a banner uploads the same with or without JavaScript).

use super::super::id_param;
use super::promo::PartnerMaterial;
use super::tabs::{with_program_name, BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::creatives::{program_creatives, ArchiveCreative, CreativeRowDto, ProgramCreativesDto};
use crate::domain::creatives::image_type::RULES;
use crate::domain::creatives::CreativeKind;
use crate::ui::resource::resource;
use crate::ui::widgets::{
    load, CsrfField, EmptyState, FileField, FormError, SelectField, StatusBadge, TextAreaField, TextField,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramCreatives() -> impl IntoView {
    let id = id_param;
    let archive = ServerAction::<ArchiveCreative>::new();
    let data = resource(
        move || (id(), archive.version().get()),
        |(id, _)| with_program_name(id, program_creatives(id)),
    );
    view! {
        <Title text="Creatives" />
        <BackLink />
        {load(
            data,
            move |(name, d): (String, ProgramCreativesDto)| {
                let program_id = id();
                view! {
                    <ProgramHeader program_id name current=Tab::Creatives />
                    <h2>"Creatives"</h2>
                    <p class="muted">
                        "Banners, text links, email swipes, social posts and video links. Each partner who may see one gets its code with their own tracked link built in, and its clicks and sales are counted for it."
                    </p>
                    <CreativeTable creatives=d.creatives.clone() program_id can_manage=d.can_manage archive />
                    {if d.can_manage {
                        view! { <AddForm d /> }.into_any()
                    } else {
                        view! { <p class="muted">{READ_ONLY}</p> }.into_any()
                    }}
                    <PartnerMaterial program_id />
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn CreativeTable(
    creatives: Vec<CreativeRowDto>,
    program_id: i64,
    can_manage: bool,
    archive: ServerAction<ArchiveCreative>,
) -> impl IntoView {
    if creatives.is_empty() {
        return view! {
            <EmptyState title="No creatives yet">
                <p>"Add a banner or a text link with the form below. Partners see it in their gallery at once."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="fold">
                <caption class="sr-only">"Creatives"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Preview"</th>
                        <th scope="col">"Creative"</th>
                        <th scope="col">"Shown to"</th>
                        <th scope="col">"Active"</th>
                        <th scope="col">"Status"</th>
                        {can_manage.then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {creatives
                        .into_iter()
                        .map(|c| view! { <CreativeRow c program_id can_manage archive /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn CreativeRow(
    c: CreativeRowDto,
    program_id: i64,
    can_manage: bool,
    archive: ServerAction<ArchiveCreative>,
) -> impl IntoView {
    let status_label = match c.status.as_str() {
        "live" => "Live",
        "scheduled" => "Scheduled",
        "ended" => "Ended",
        _ => "Archived",
    };
    let badge = match c.status.as_str() {
        "live" => "approved",
        "scheduled" => "pending",
        _ => "rejected",
    };
    let archived = c.status == "archived";
    view! {
        <tr>
            <td data-label="Preview">
                {match c.thumb_url.clone() {
                    Some(src) => view! { <img class="creative-thumb" src=src alt="" loading="lazy" /> }.into_any(),
                    None => view! { <span class="muted">{c.kind.label()}</span> }.into_any(),
                }}
            </td>
            <td data-label="Creative">
                <strong>{c.name.clone()}</strong>
                <div class="muted">
                    {c.kind.label()}
                    {c.size.clone().map(|s| format!(" · {s}"))}
                </div>
                <div class="muted wrap-anywhere">{c.landing_url.clone()}</div>
                {(!c.tags.is_empty()).then(|| view! { <div class="tags">{c.tags.join(", ")}</div> })}
            </td>
            <td data-label="Shown to">{c.visibility.clone()}</td>
            <td data-label="Active">{c.window.clone()}</td>
            <td data-label="Status">
                <StatusBadge status=badge.into() label=status_label.into() />
            </td>
            {(can_manage)
                .then(|| {
                    view! {
                        <td data-label="Actions">
                            {(!archived)
                                .then(|| {
                                    view! {
                                        <ActionForm action=archive>
                                            <CsrfField />
                                            <input type="hidden" name="program_id" value=program_id.to_string() />
                                            <input type="hidden" name="creative_id" value=c.id.to_string() />
                                            <button
                                                type="submit"
                                                class="button secondary"
                                                aria-label=format!("Archive {}", c.name)
                                            >
                                                "Archive"
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

#[component]
fn AddForm(d: ProgramCreativesDto) -> impl IntoView {
    let errors = Signal::stored(d.refused.clone());
    let kinds = CreativeKind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect::<Vec<_>>();
    let visibilities = [
        ("all", "All partners of the program"),
        ("kinds", "Some partner kinds"),
        ("tiers", "Some tiers"),
        ("partners", "Named partners"),
    ]
    .map(|(v, l)| (v.to_owned(), l.to_owned()))
    .to_vec();
    let domains = if d.allowed_domains.is_empty() {
        "This program has no allowed landing domains yet: add one in Settings first.".to_owned()
    } else {
        format!("On the program's allowed domains: {}.", d.allowed_domains.join(", "))
    };
    view! {
        <section class="panel" aria-labelledby="add-creative">
            <h2 id="add-creative">"Add a creative"</h2>
            <FormError errors />
            <form
                method="post"
                enctype="multipart/form-data"
                action=format!("/console/programs/{}/creatives/add", d.program_id)
                class="stack"
            >
                <CsrfField />
                <SelectField label="Kind" name="kind" errors options=kinds required=true />
                <TextField label="Name" name="name" errors required=true maxlength=120 />
                <FileField
                    label="Image"
                    name="image"
                    errors
                    accept="image/png,image/jpeg,image/gif,image/webp"
                    hint=format!("Banners need one; social posts may have one. {RULES}")
                />
                <TextField label="Alt text" name="alt_text" errors maxlength=200 hint="What the image shows, for people who can't see it." />
                <TextField label="Landing page" name="landing_url" errors kind="url" required=true />
                <p class="hint">{domains}</p>
                <TextAreaField
                    label="Text"
                    name="body"
                    errors
                    rows=5
                    hint="Text link: the link text and any ad copy. Email swipe: its HTML. Social post: the post. Video: the video's address on YouTube, Vimeo or Loom. Write {link} where the partner's tracked link goes."
                />
                <TextField label="Tags" name="tags" errors hint="Comma-separated, for the gallery's filter: winter, 728x90." />
                <div class="field-row">
                    <TextField label="First day" name="active_from" errors kind="date" />
                    <TextField label="Last day" name="active_until" errors kind="date" />
                </div>
                <SelectField label="Who sees it" name="visibility" errors options=visibilities />
                <TextField
                    label="Which ones"
                    name="audience"
                    errors
                    hint="For kinds: reseller, affiliate … For tiers: Gold, Platinum. For named partners: their email addresses. Comma-separated."
                />
                <button type="submit" class="button">
                    "Add creative"
                </button>
            </form>
        </section>
    }
}
