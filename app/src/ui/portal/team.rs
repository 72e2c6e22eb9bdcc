//! Team: the partner's people and their roles. Owners and admins invite people, change roles
//! and remove people; each change is a small form of its own, so the page works the same
//! without JavaScript.

use crate::api::team::{my_team, ChangeTeammate, InviteTeammate, PersonDto, TeamDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError, InviteeFields, Notice, RoleChangeFields, RolePromises};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Team() -> impl IntoView {
    let invite = ServerAction::<InviteTeammate>::new();
    let change = ServerAction::<ChangeTeammate>::new();
    let team = resource(move || (invite.version().get(), change.version().get()), |_| my_team());
    let invite_errors = Signal::derive(move || invite.value().get().and_then(Result::err));
    let change_errors = Signal::derive(move || change.value().get().and_then(Result::err));
    let done = move || {
        change
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| invite.value().get().and_then(Result::ok))
    };
    view! {
        <Title text="Team" />
        <h1>"Team"</h1>
        <p class="lead">"Everyone who signs in for your company. A role decides what each person may do."</p>
        {move || done().map(|message| view! { <Notice>{message}</Notice> })}
        <FormError errors=change_errors />
        {load(
            team,
            move |d: TeamDto| {
                let manages = d.manages;
                view! {
                    <PeopleTable d=d.clone() change />
                    {manages.then(|| view! { <InviteForm d invite errors=invite_errors /> })}
                }
            },
        )}
    }
}

#[component]
fn PeopleTable(d: TeamDto, change: ServerAction<ChangeTeammate>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            // Folds into one card per person on a phone.
            <table class="fold">
                <caption class="sr-only">"Your team"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Person"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Status"</th>
                        {d.manages.then(|| view! { <th scope="col">"Change"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {d
                        .people
                        .iter()
                        .map(|p| {
                            let forms = d.manages.then(|| {
                                let forms = p
                                    .changeable
                                    .then(|| view! { <ChangeForms p=p.clone() roles=d.roles.clone() change /> });
                                view! { <td data-label="Change">{forms}</td> }
                            });
                            view! {
                                <tr>
                                    <td>
                                        <strong>{p.name.clone()}</strong>
                                        {p.is_me.then_some(" (you)")}
                                        <br />
                                        <span class="muted">{p.email.clone()}</span>
                                    </td>
                                    <td data-label="Role">{p.role_label.clone()}</td>
                                    <td data-label="Status">{if p.invited { "Invited" } else { "Active" }}</td>
                                    {forms}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ChangeForms(p: PersonDto, roles: Vec<(String, String)>, change: ServerAction<ChangeTeammate>) -> impl IntoView {
    let remove_id = p.id.to_string();
    let remove = if p.is_me {
        "Leave the team".to_owned()
    } else {
        format!("Remove {}", p.name)
    };
    view! {
        <div class="change-forms">
            <ActionForm action=change attr:class="inline-form">
                <CsrfField />
                <RoleChangeFields id=p.id whose=p.name.clone() roles current=p.role.clone() />
                <button type="submit" class="button small secondary">
                    "Change role"
                </button>
            </ActionForm>
            <ActionForm action=change attr:class="inline-form">
                <CsrfField />
                <input type="hidden" name="id" value=remove_id />
                <input type="hidden" name="what" value="remove" />
                <button type="submit" class="button small secondary">
                    {remove}
                </button>
            </ActionForm>
        </div>
    }
}

#[component]
fn InviteForm(
    d: TeamDto,
    invite: ServerAction<InviteTeammate>,
    errors: Signal<Option<crate::api::error::AppError>>,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite someone"</h2>
            <p>"They get an email with a link to choose their password. The link works once and expires in three days."</p>
            <RolePromises promises=d.promises.clone() />
            <FormError errors />
            <ActionForm action=invite>
                <div class="stack">
                    <CsrfField />
                    <InviteeFields roles=d.roles.clone() selected="member" errors />
                    <button type="submit" class="button">
                        "Send invitation"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
