//! Every partner's tracked links in a program, with a switch to turn a link off (and on again).

use super::super::id_param;
use super::tabs::{with_program_name, BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::links::LinkDto;
use crate::api::program_admin::{program_links, SetLinkEnabled};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, Notice, StatusBadge};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramLinks() -> impl IntoView {
    let id = id_param;
    let action = ServerAction::<SetLinkEnabled>::new();
    let links = resource(
        move || (id(), action.version().get()),
        |(id, _)| with_program_name(id, program_links(id)),
    );
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Links" />
        <BackLink />
        {load(
            links,
            move |(name, data)| {
                let program_id = id();
                view! {
                    <ProgramHeader program_id name current=Tab::Links />
                    <h2>"Tracked links"</h2>
                    <p class="muted">
                        "Every partner's links in this program. A disabled link stops redirecting: visitors see a “link not found” page and no clicks are recorded."
                    </p>
                    <Show when=saved>
                        <Notice>"Link updated."</Notice>
                    </Show>
                    <FormError errors />
                    {(!data.can_manage).then(|| view! { <p class="muted">{READ_ONLY}</p> })}
                    <LinkTable links=data.links can_manage=data.can_manage action program_id />
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn LinkTable(
    links: Vec<LinkDto>,
    can_manage: bool,
    action: ServerAction<SetLinkEnabled>,
    program_id: i64,
) -> impl IntoView {
    if links.is_empty() {
        return view! {
            <EmptyState title="No links yet">
                <p>
                    "Partners get a default link when their application is approved (if the program has a default landing page), and make their own in the partner portal. Set the default landing page under "
                    <a href=Tab::Settings.href(program_id)>"Settings"</a>"."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="fold">
                <caption class="sr-only">"Tracked links"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Tracked link"</th>
                        <th scope="col">"Destination"</th>
                        <th scope="col">"Subs"</th>
                        <th scope="col" class="num">
                            "Clicks"
                        </th>
                        <th scope="col" class="num">
                            "Conversions"
                        </th>
                        <th scope="col">"Status"</th>
                        {can_manage.then(|| view! { <th scope="col">"Change"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {links
                        .into_iter()
                        .map(|link| {
                            let kind = match (&link.campaign, link.is_default) {
                                (Some(campaign), _) => campaign.clone(),
                                (None, true) => "Default link".to_owned(),
                                (None, false) => String::new(),
                            };
                            let (status, label) = if link.enabled {
                                ("enabled", "Enabled")
                            } else {
                                ("disabled", "Disabled")
                            };
                            view! {
                                <tr>
                                    <td data-label="Partner">{link.partner_name.clone()}</td>
                                    <td data-label="Tracked link">
                                        <code class="wrap-anywhere">{link.tracked_url.clone()}</code>
                                        {(!kind.is_empty())
                                            .then(|| {
                                                view! {
                                                    <br />
                                                    <span class="muted">{kind}</span>
                                                }
                                            })}
                                    </td>
                                    <td data-label="Destination">
                                        <span class="code wrap-anywhere">{link.destination.clone()}</span>
                                    </td>
                                    <td data-label="Subs">
                                        {if link.subs.is_empty() { "—".to_owned() } else { link.subs.clone() }}
                                    </td>
                                    <td class="num" data-label="Clicks">{link.clicks}</td>
                                    <td class="num" data-label="Conversions">{link.conversions}</td>
                                    <td data-label="Status">
                                        <StatusBadge status=status.into() label=label.into() />
                                    </td>
                                    {can_manage
                                        .then(|| {
                                            view! {
                                                <td data-label="Change">
                                                    <ToggleForm link=link.clone() action />
                                                </td>
                                            }
                                        })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One button: "Disable" for an enabled link, "Enable" for a disabled one.
#[component]
fn ToggleForm(link: LinkDto, action: ServerAction<SetLinkEnabled>) -> impl IntoView {
    let (verb, class) = if link.enabled {
        ("Disable", "button danger")
    } else {
        ("Enable", "button secondary")
    };
    let who = if link.partner_name.is_empty() {
        link.code.clone()
    } else {
        format!("{} of {}", link.code, link.partner_name)
    };
    view! {
        <ActionForm action>
            <CsrfField />
            <input type="hidden" name="link_id" value=link.id.to_string() />
            <input type="hidden" name="enabled" value=(!link.enabled).to_string() />
            <button type="submit" class=class aria-label=format!("{verb} link {who}")>
                {verb}
            </button>
        </ActionForm>
    }
}
