//! The partner's tracked links (copy, QR code, clicks and conversions), a form for new links,
//! and their coupon codes.

use crate::api::links::{my_links, CreateLink, LinkDto, LinkProgramDto, MyLinksDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, Notice, StatusBadge, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Links() -> impl IntoView {
    let action = ServerAction::<CreateLink>::new();
    let data = resource(move || action.version().get(), |_| my_links());
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let created = move || action.value().get().and_then(Result::ok);
    view! {
        <Title text="Links" />
        <h1>"Links"</h1>
        <Show when=move || created().is_some()>
            <Notice>{move || format!("Your new link is ready: {}", created().unwrap_or_default())}</Notice>
        </Show>
        {load(data, move |d: MyLinksDto| view! { <LinksPage data=d action errors /> }.into_any())}
    }
}

#[component]
fn LinksPage(
    data: MyLinksDto,
    action: ServerAction<CreateLink>,
    errors: Signal<Option<crate::api::error::AppError>>,
) -> impl IntoView {
    if data.programs.is_empty() && data.links.is_empty() {
        return view! {
            <EmptyState title="No links yet">
                <p>
                    "Links appear here once a program approves you. "
                    <a href="/portal/programs">"See your applications"</a>"."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <section class="panel" aria-labelledby="links-heading">
            <h2 id="links-heading">"Your tracked links"</h2>
            <LinkList links=data.links />
        </section>
        {(!data.coupons.is_empty())
            .then(|| {
                view! {
                    <section class="panel" aria-labelledby="coupons-heading">
                        <h2 id="coupons-heading">"Your coupon codes"</h2>
                        <p class="muted">"Sales with these codes are credited to you, even without a click."</p>
                        <ul class="plain">
                            {data
                                .coupons
                                .iter()
                                .map(|c| {
                                    view! {
                                        <li>
                                            <strong class="code">{c.code.clone()}</strong>
                                            " · "
                                            {c.program_name.clone()}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
        {(!data.programs.is_empty()).then(|| view! { <NewLinkForm programs=data.programs action errors /> })}
    }
    .into_any()
}

#[component]
fn LinkList(links: Vec<LinkDto>) -> impl IntoView {
    if links.is_empty() {
        return view! { <p>"You have no links yet. Make your first one with the form below."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="fold">
                <caption class="sr-only">"Tracked links"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Link"</th>
                        <th scope="col">"Goes to"</th>
                        <th scope="col" class="num">
                            "Clicks"
                        </th>
                        <th scope="col" class="num">
                            "Conversions"
                        </th>
                        <th scope="col">"QR code"</th>
                    </tr>
                </thead>
                <tbody>{links.into_iter().map(|link| view! { <LinkRow link /> }).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn LinkRow(link: LinkDto) -> impl IntoView {
    let input_id = format!("link-{}", link.id);
    let label = match (&link.campaign, link.is_default) {
        (Some(campaign), _) => campaign.clone(),
        (None, true) => "Default link".to_owned(),
        (None, false) => format!("Link {}", link.code),
    };
    view! {
        <tr>
            <td>
                <label for=input_id.clone()>
                    <strong>{label.clone()}</strong>
                    <span class="muted">{format!(" · {}", link.program_name)}</span>
                </label>
                <div class="copy-row">
                    <input id=input_id type="text" readonly value=link.tracked_url.clone() />
                    <button
                        type="button"
                        class="button secondary"
                        data-copy=link.tracked_url.clone()
                        aria-label=format!("Copy {label}")
                    >
                        "Copy"
                    </button>
                </div>
                {(!link.enabled)
                    .then(|| {
                        view! { <StatusBadge status="rejected".into() label="Switched off by the program".into() /> }
                    })}
            </td>
            <td data-label="Goes to">
                <span class="code wrap-anywhere">{link.destination.clone()}</span>
                {(!link.subs.is_empty()).then(|| view! { <div class="muted">{link.subs.clone()}</div> })}
            </td>
            <td class="num" data-label="Clicks">{link.clicks}</td>
            <td class="num" data-label="Conversions">{link.conversions}</td>
            <td>
                <details class="qr">
                    <summary>"Show QR code"</summary>
                    <div
                        inner_html=link.qr_svg.clone()
                        role="img"
                        aria-label=format!("QR code for {}", link.tracked_url)
                    ></div>
                </details>
            </td>
        </tr>
    }
}

#[component]
fn NewLinkForm(
    programs: Vec<LinkProgramDto>,
    action: ServerAction<CreateLink>,
    errors: Signal<Option<crate::api::error::AppError>>,
) -> impl IntoView {
    let domains = programs
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p.name,
                if p.allowed_domains.is_empty() {
                    "none yet".into()
                } else {
                    p.allowed_domains.join(", ")
                }
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let landing = programs.first().and_then(|p| p.default_landing_url.clone());
    view! {
        <section class="panel" aria-labelledby="new-link-heading">
            <h2 id="new-link-heading">"New link"</h2>
            <p class="muted">{format!("Allowed landing domains — {domains}")}</p>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <div class="field">
                        <label for="field-program_id">"Program"</label>
                        <select id="field-program_id" name="program_id">
                            {programs
                                .iter()
                                .map(|p| view! { <option value=p.id.to_string()>{p.name.clone()}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <TextField
                        label="Destination"
                        name="destination"
                        errors
                        kind="url"
                        required=true
                        value=landing.unwrap_or_default()
                        hint="The page people land on. It must be on one of the program's allowed domains."
                        maxlength=2000
                    />
                    <TextField
                        label="Campaign"
                        name="campaign"
                        errors
                        hint="Optional: a name you'll recognise, like “Spring newsletter”."
                        maxlength=80
                    />
                    <details>
                        <summary>"Sub-ids (optional)"</summary>
                        <p class="hint">
                            "Tag traffic sources. You can also add ?sub1=… to the tracked link itself; that wins over these."
                        </p>
                        <TextField label="sub1" name="sub1" errors maxlength=100 />
                        <TextField label="sub2" name="sub2" errors maxlength=100 />
                        <TextField label="sub3" name="sub3" errors maxlength=100 />
                        <TextField label="sub4" name="sub4" errors maxlength=100 />
                        <TextField label="sub5" name="sub5" errors maxlength=100 />
                    </details>
                    <button type="submit" class="button">
                        "Create link"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
