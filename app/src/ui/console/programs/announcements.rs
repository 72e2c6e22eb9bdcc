//! A program's announcements: what was posted, to whom, and how many people read each one, and
//! the form that posts a new one (optionally by email too).

use super::super::id_param;
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::announcements::{program_announcements, AnnouncementDto, PostAnnouncement, ProgramAnnouncementsDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{
    load, CheckboxField, CsrfField, EmptyState, FormError, SelectField, TextAreaField, TextField,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramAnnouncements() -> impl IntoView {
    let id = id_param;
    let post = ServerAction::<PostAnnouncement>::new();
    let data = resource(
        move || (id(), post.version().get()),
        |(id, _)| program_announcements(id),
    );
    view! {
        <Title text="Announcements" />
        <BackLink />
        {load(
            data,
            move |d: ProgramAnnouncementsDto| {
                view! {
                    <ProgramHeader program_id=d.program_id name=d.program_name.clone() current=Tab::Announcements />
                    {if d.can_manage {
                        view! { <PostForm program_id=d.program_id segments=d.segments.clone() post /> }.into_any()
                    } else {
                        view! { <p class="muted">{READ_ONLY}</p> }.into_any()
                    }}
                    <h2>"Posted"</h2>
                    <Posted announcements=d.announcements.clone() />
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn Posted(announcements: Vec<AnnouncementDto>) -> impl IntoView {
    if announcements.is_empty() {
        return view! {
            <EmptyState title="No announcements yet">
                <p>"Post news to the program's partners above: a new promotion, a product launch, a change of terms. Partners see a count of what they haven't read."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <ul class="announcements">
            {announcements
                .into_iter()
                .map(|a| {
                    view! {
                        <li class="panel announcement">
                            <h3>{a.title.clone()}</h3>
                            <p class="muted">
                                {format!(
                                    "{} · {}{} · read by {} {}",
                                    a.posted_at,
                                    a.audience,
                                    if a.emailed { " · emailed" } else { "" },
                                    a.reads,
                                    if a.reads == 1 { "person" } else { "people" },
                                )}
                            </p>
                            <div class="prose" inner_html=a.html.clone()></div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PostForm(program_id: i64, segments: Vec<(i64, String)>, post: ServerAction<PostAnnouncement>) -> impl IntoView {
    let errors = Signal::derive(move || post.value().get().and_then(Result::err));
    let posted = move || post.value().get().and_then(Result::ok);
    let audiences = [
        ("all", "All partners of the program"),
        ("kinds", "Some partner kinds"),
        ("tiers", "Some tiers"),
        ("segment", "A segment's members today"),
    ]
    .map(|(v, l)| (v.to_owned(), l.to_owned()))
    .to_vec();
    let no_segments = segments.is_empty();
    let segment_options: Vec<(String, String)> =
        segments.into_iter().map(|(id, name)| (id.to_string(), name)).collect();
    view! {
        <section class="panel" aria-labelledby="post-announcement">
            <h2 id="post-announcement">"Post an announcement"</h2>
            {move || {
                posted()
                    .map(|sent| {
                        view! {
                            <p class="notice" role="status">
                                {match sent {
                                    0 => "Announcement posted.".to_owned(),
                                    n => format!("Announcement posted and emailed to {n} people."),
                                }}
                            </p>
                        }
                    })
            }}
            <FormError errors />
            <ActionForm action=post>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=program_id.to_string() />
                    <TextField label="Title" name="title" errors required=true maxlength=120 />
                    <TextAreaField
                        label="Announcement (Markdown)"
                        name="body"
                        errors
                        rows=6
                        required=true
                        hint="**bold**, lists with -, links as [text](https://…). Scripts and HTML event attributes are removed when shown."
                    />
                    <div class="field-row">
                        <SelectField label="Who sees it" name="visibility" errors options=audiences />
                        <TextField label="Which ones" name="audience" errors hint="For kinds: reseller, affiliate … For tiers: Gold. Comma-separated." />
                        <SelectField label="Segment" name="segment_id" errors options=segment_options placeholder="Choose a segment" />
                    </div>
                    <p class="muted">
                        {if no_segments {
                            "To post to a segment, save one under Segments first."
                        } else {
                            "A segment's announcement goes to the partners in it when you post."
                        }}
                    </p>
                    <CheckboxField label="Also email it to every partner person it is for".into() name="email" errors />
                    <button type="submit" class="button">
                        "Post announcement"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
