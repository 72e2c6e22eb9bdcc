//! The partner person's announcements, newest first: unread ones marked, each readable in place
//! and marked read with a button (a GET never changes anything), or all at once.

use crate::api::announcements::{my_announcements, AnnouncementDto, MarkAnnouncementsRead, MyAnnouncementsDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Announcements() -> impl IntoView {
    let mark = ServerAction::<MarkAnnouncementsRead>::new();
    let data = resource(move || mark.version().get(), |_| my_announcements());
    let errors = Signal::derive(move || mark.value().get().and_then(Result::err));
    view! {
        <Title text="Announcements" />
        <h1>"Announcements"</h1>
        <FormError errors />
        {load(data, move |d: MyAnnouncementsDto| view! { <List d mark /> }.into_any())}
    }
}

#[component]
fn List(d: MyAnnouncementsDto, mark: ServerAction<MarkAnnouncementsRead>) -> impl IntoView {
    if d.announcements.is_empty() {
        return view! {
            <EmptyState title="No announcements yet">
                <p>"News from your programs' teams appears here, and a count beside Announcements shows what you haven't read."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <p class="muted" aria-live="polite">
            {match d.unread {
                0 => "You have read everything.".to_owned(),
                1 => "1 unread announcement.".to_owned(),
                n => format!("{n} unread announcements."),
            }}
        </p>
        {(d.unread > 1)
            .then(|| {
                view! {
                    <ActionForm action=mark>
                        <CsrfField />
                        <input type="hidden" name="all" value="yes" />
                        <button type="submit" class="button secondary">
                            "Mark all as read"
                        </button>
                    </ActionForm>
                }
            })}
        <ul class="announcements">
            {d.announcements.into_iter().map(|a| view! { <Item a mark /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Item(a: AnnouncementDto, mark: ServerAction<MarkAnnouncementsRead>) -> impl IntoView {
    let unread = a.reads == 0;
    let heading_id = format!("announcement-{}", a.id);
    let labelled_by = heading_id.clone();
    view! {
        <li class="panel announcement" class:unread=unread aria-labelledby=labelled_by>
            <h2 id=heading_id>
                {unread.then(|| view! { <span class="badge">"New"</span> " " })}
                {a.title.clone()}
            </h2>
            <p class="muted">{format!("{} · {}", a.program_name, a.posted_at)}</p>
            <div class="prose" inner_html=a.html.clone()></div>
            {unread
                .then(|| {
                    view! {
                        <ActionForm action=mark>
                            <CsrfField />
                            <input type="hidden" name="ids[]" value=a.id.to_string() />
                            <button type="submit" class="button secondary" aria-label=format!("Mark {} as read", a.title)>
                                "Mark as read"
                            </button>
                        </ActionForm>
                    }
                })}
        </li>
    }
}
