//! "Where you're signed in" on the settings page: the person's live sessions, each with a button
//! that ends it, and one that ends every other session.

use crate::api::sessions::{ended_message, my_sessions, EndSessions, SessionDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn SignedInPanel() -> impl IntoView {
    let end = ServerAction::<EndSessions>::new();
    let sessions = resource(move || end.version().get(), |_| my_sessions());
    let errors = Signal::derive(move || end.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"Where you're signed in"</h2>
            <p class="muted">"If you don't recognise a session, end it and change your password."</p>
            <FormError errors />
            {move || {
                end.value()
                    .get()
                    .and_then(Result::ok)
                    .map(|n| {
                        view! {
                            <p class="notice" role="status">
                                {ended_message(n)}
                            </p>
                        }
                    })
            }}
            {load(sessions, move |list: Vec<SessionDto>| view! { <SessionTable list end /> }.into_any())}
        </section>
    }
}

#[component]
fn SessionTable(list: Vec<SessionDto>, end: ServerAction<EndSessions>) -> impl IntoView {
    let others = list.iter().filter(|s| !s.current).count();
    view! {
        <div class="table-wrap">
        <table class="fold" aria-label="Your sessions">
            <thead>
                <tr>
                    <th scope="col">"Browser"</th>
                    <th scope="col">"From"</th>
                    <th scope="col">"Signed in"</th>
                    <th scope="col">"Ends by"</th>
                    <th scope="col">
                        <span class="sr-only">"Action"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|s| {
                        let label = format!("End the session of {} from {}", s.device, s.ip);
                        view! {
                            <tr>
                                <td data-label="Browser">
                                    {s.device.clone()}
                                    {s.current.then(|| view! { " " <span class="badge badge-active">"This browser"</span> })}
                                </td>
                                <td data-label="From">{s.ip.clone()}</td>
                                <td data-label="Signed in">{s.started_at.clone()}</td>
                                <td data-label="Ends by">{s.expires_at.clone()}</td>
                                <td>
                                    {(!s.current)
                                        .then(|| {
                                            view! {
                                                <ActionForm action=end>
                                                    <CsrfField />
                                                    <input type="hidden" name="handle" value=s.handle.clone() />
                                                    <button type="submit" class="button secondary small" aria-label=label>
                                                        "End"
                                                    </button>
                                                </ActionForm>
                                            }
                                        })}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </div>
        {(others > 0)
            .then(|| {
                view! {
                    <ActionForm action=end>
                        <CsrfField />
                        <input type="hidden" name="others" value="yes" />
                        <button type="submit" class="button secondary">
                            {format!("End the {others} other session{}", if others == 1 { "" } else { "s" })}
                        </button>
                    </ActionForm>
                }
            })}
    }
}
