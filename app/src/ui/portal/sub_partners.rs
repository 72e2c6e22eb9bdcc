//! A program's sub-partner section of the terms page: the partner's invitation link (when the
//! program takes sub-partners by invitation; made with a button, since reading the page never
//! changes anything), its master and its sub-partners.

use crate::api::my_terms::{CreateInviteLink, SubPartnersDto};
use crate::ui::widgets::CsrfField;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn SubPartners(s: SubPartnersDto, program_id: i64, invite: ServerAction<CreateInviteLink>) -> impl IntoView {
    let input_id = format!("invite-link-{program_id}");
    let hint_id = format!("invite-hint-{program_id}");
    let nothing = !s.may_invite && s.master.is_none() && s.subs.is_empty();
    view! {
        <h3>"Sub-partners"</h3>
        {(s.may_invite && s.invite_url.is_none()).then(|| view! { <MakeLinkForm program_id invite /> })}
        {nothing
            .then(|| {
                view! {
                    <p class="muted">"This program doesn't take sub-partners by invitation, and you have none."</p>
                }
            })}
        {s
            .invite_url
            .clone()
            .map(|url| {
                view! {
                    <div class="field">
                        <label for=input_id.clone()>"Your invitation link"</label>
                        <div class="copy-row">
                            <input
                                id=input_id.clone()
                                type="text"
                                readonly
                                value=url.clone()
                                aria-describedby=hint_id.clone()
                            />
                            <button
                                type="button"
                                class="button secondary"
                                data-copy=url
                                aria-label="Copy your invitation link"
                            >
                                "Copy"
                            </button>
                        </div>
                        <p class="hint" id=hint_id.clone()>
                            "People who apply through this link become your sub-partners once the program approves them, and you earn a share of their commission."
                        </p>
                    </div>
                }
            })}
        {s.master.clone().map(|m| view! { <p>{format!("You are a sub-partner of {m}.")}</p> })}
        {(!s.subs.is_empty())
            .then(|| {
                view! {
                    <p>{format!("Your sub-partners ({}):", s.subs.len())}</p>
                    <ul>{s.subs.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
                }
            })}
        {(s.invite_url.is_some() && s.subs.is_empty())
            .then(|| view! { <p class="muted">"No sub-partners yet. Share your link to invite some."</p> })}
    }
}

/// The button that makes the partner's invitation link for one program.
#[component]
fn MakeLinkForm(program_id: i64, invite: ServerAction<CreateInviteLink>) -> impl IntoView {
    view! {
        <p>"Invite people to join as your sub-partners: you earn a share of their commission."</p>
        <ActionForm action=invite attr:class="inline-form">
            <CsrfField />
            <input type="hidden" name="program_id" value=program_id.to_string() />
            <button type="submit" class="button">
                "Make my invitation link"
            </button>
        </ActionForm>
    }
}
