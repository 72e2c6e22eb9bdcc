//! On the tracking settings page: the switched-on links that lead off the allowed domains (after
//! a domain was taken off the list), and a button that switches them all off in one step.

use crate::api::error::AppError;
use crate::api::off_domain_links::{switched_message, OffDomainLinkDto, OffDomainLinksDto, SwitchOffLinks};
use crate::ui::resource::PageData;
use crate::ui::widgets::{CsrfField, FormError, Notice};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The list (`data`, read again after every settings save and switch-off) and its button.
#[component]
pub fn OffDomainLinks(
    program_id: i64,
    data: PageData<Result<OffDomainLinksDto, AppError>>,
    action: ServerAction<SwitchOffLinks>,
) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let done = move || action.value().get().and_then(Result::ok).map(switched_message);
    view! {
        {move || done().map(|message| view! { <Notice>{message}</Notice> })}
        <FormError errors />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                data.await
                    .ok()
                    .filter(|d| !d.links.is_empty())
                    .map(|d| view! { <LinkList links=d.links can_manage=d.can_manage program_id action /> })
            })}
        </Suspense>
    }
}

#[component]
fn LinkList(
    links: Vec<OffDomainLinkDto>,
    can_manage: bool,
    program_id: i64,
    action: ServerAction<SwitchOffLinks>,
) -> impl IntoView {
    let count = links.len();
    let ids: Vec<String> = links.iter().map(|l| l.id.to_string()).collect();
    view! {
        <section class="panel alert-warning" aria-labelledby="off-domain-heading">
            <h3 id="off-domain-heading">
                {if count == 1 {
                    "1 link leads off the allowed domains".to_owned()
                } else {
                    format!("{count} links lead off the allowed domains")
                }}
            </h3>
            <p>
                "These links still redirect to domains that are no longer on the list. Switch them off to stop that; partners can make new links to an allowed domain."
            </p>
            <div class="table-wrap">
                <table>
                    <caption class="sr-only">"Switched-on links that lead off the allowed domains"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Partner"</th>
                            <th scope="col">"Code"</th>
                            <th scope="col">"Destination"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {links
                            .into_iter()
                            .map(|l| {
                                view! {
                                    <tr>
                                        <td>{l.partner_name}</td>
                                        <td>
                                            <code>{l.code}</code>
                                        </td>
                                        <td class="wrap-anywhere">{l.destination}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {can_manage
                .then(|| {
                    view! {
                        <ActionForm action attr:class="inline-form">
                            <CsrfField />
                            <input type="hidden" name="program_id" value=program_id.to_string() />
                            {ids
                                .iter()
                                .map(|id| view! { <input type="hidden" name="ids[]" value=id.clone() /> })
                                .collect_view()}
                            <button type="submit" class="button danger">
                                {if count == 1 { "Switch this link off".to_owned() } else { format!("Switch these {count} links off") }}
                            </button>
                        </ActionForm>
                    }
                })}
        </section>
    }
}
