//! A program's partner agreement: the version in force, every earlier version with how many
//! people accepted it, who has (and hasn't yet) accepted the version in force, and the form that
//! publishes the next version.

use super::super::{id_param, query_param};
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::agreements::{
    program_agreement, published_message, PersonAcceptanceDto, ProgramAgreementDto, PublishAgreement, VersionSummaryDto,
};
use crate::api::Paged;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, Pager, TextAreaField, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramAgreement() -> impl IntoView {
    let id = id_param;
    let publish = ServerAction::<PublishAgreement>::new();
    let page = move || query_param("page").and_then(|p| p.parse::<i64>().ok());
    let data = resource(
        move || (id(), page(), publish.version().get()),
        |(id, page, _)| program_agreement(id, page),
    );
    view! {
        <Title text="Partner agreement" />
        <BackLink />
        {load(
            data,
            move |d: ProgramAgreementDto| {
                view! {
                    <ProgramHeader program_id=d.program_id name=d.program_name.clone() current=Tab::Agreement />
                    <InForce d=d.clone() />
                    {if d.can_manage {
                        view! { <PublishForm d=d.clone() publish /> }.into_any()
                    } else {
                        view! { <p class="muted">{READ_ONLY}</p> }.into_any()
                    }}
                    {d.in_force.is_some().then(|| view! { <People people=d.people.clone() waiting=d.waiting /> })}
                    <Versions versions=d.versions.clone() />
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn InForce(d: ProgramAgreementDto) -> impl IntoView {
    match d.in_force {
        None => view! {
            <EmptyState title="No partner agreement yet">
                <p>"Publish one below: every partner person of the program then reads and accepts it before using the portal, and you see here who accepted which version."</p>
            </EmptyState>
        }
        .into_any(),
        Some(a) => view! {
            <section class="panel" aria-labelledby="agreement-in-force">
                <h2 id="agreement-in-force">{format!("In force: version {} · {}", a.version, a.title)}</h2>
                <p class="muted">{format!("Published {} · text fingerprint {}", a.published_at, a.fingerprint)}</p>
                <details>
                    <summary>"Read the text"</summary>
                    <div class="prose agreement-text" tabindex="0" inner_html=a.html></div>
                </details>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn PublishForm(d: ProgramAgreementDto, publish: ServerAction<PublishAgreement>) -> impl IntoView {
    let errors = Signal::derive(move || publish.value().get().and_then(Result::err));
    let first = d.in_force.is_none();
    let title = d
        .in_force
        .as_ref()
        .map_or("Partner agreement".to_owned(), |a| a.title.clone());
    view! {
        <section class="panel" aria-labelledby="publish-agreement">
            <h2 id="publish-agreement">{if first { "Publish the agreement" } else { "Publish a new version" }}</h2>
            {move || {
                publish
                    .value()
                    .get()
                    .and_then(Result::ok)
                    .map(|version| {
                        view! {
                            <p class="notice" role="status">
                                {published_message(version)}
                            </p>
                        }
                    })
            }}
            <FormError errors />
            <ActionForm action=publish>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=d.program_id.to_string() />
                    <TextField label="Title" name="title" errors required=true maxlength=120 value=title />
                    <TextAreaField
                        label="Agreement (Markdown)"
                        name="body"
                        errors
                        rows=12
                        required=true
                        value=d.in_force_markdown.clone()
                        hint="Headings with #, lists with -, links as [text](https://…). Partners see it rendered; scripts and HTML event attributes are removed."
                    />
                    {(!first)
                        .then(|| {
                            view! {
                                <TextAreaField
                                    label="What changed"
                                    name="changes"
                                    errors
                                    rows=3
                                    required=true
                                    maxlength=2000
                                    hint="Partners read this before they accept again."
                                />
                            }
                        })}
                    <button type="submit" class="button">
                        {if first { "Publish version 1" } else { "Publish the new version" }}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn People(people: Paged<PersonAcceptanceDto>, waiting: i64) -> impl IntoView {
    if people.total == 0 {
        return view! { <p class="muted">"No partner is active in this program yet."</p> }.into_any();
    }
    let pager = (people.total > people.per_page).then(
        || view! { <Pager page=people.page page_count=people.page_count() total=people.total anchor="who-accepted" /> },
    );
    view! {
        <h2 id="who-accepted">"Who accepted"</h2>
        <p class="muted">
            {match waiting {
                0 => "Everyone has accepted the version in force.".to_owned(),
                n => format!("{n} of {} people haven't accepted the version in force yet.", people.total),
            }}
        </p>
        <div class="table-wrap">
<table class="table" aria-label="Acceptances">
            <thead>
                <tr>
                    <th scope="col">"Person"</th>
                    <th scope="col">"Partner"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Accepted"</th>
                    <th scope="col">"From IP"</th>
                </tr>
            </thead>
            <tbody>
                {people
                    .rows
                    .into_iter()
                    .map(|p| {
                        let status = match (p.up_to_date, p.version) {
                            (true, Some(v)) => format!("Accepted version {v}"),
                            (false, Some(v)) => format!("Waiting (accepted version {v})"),
                            (_, None) => "Waiting".to_owned(),
                        };
                        view! {
                            <tr>
                                <td>{p.person}<br /><span class="muted">{p.email}</span></td>
                                <td>{p.partner_name}</td>
                                <td>
                                    <span class=if p.up_to_date { "badge badge-active" } else { "badge badge-applied" }>
                                        {status}
                                    </span>
                                </td>
                                <td>{p.accepted_at.unwrap_or_else(|| "—".into())}</td>
                                <td>{p.ip.unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </div>
        {pager}
    }
    .into_any()
}

#[component]
fn Versions(versions: Vec<VersionSummaryDto>) -> impl IntoView {
    (!versions.is_empty()).then(|| {
        view! {
            <h2>"Versions"</h2>
            <div class="table-wrap">
<table class="table" aria-label="Agreement versions">
                <thead>
                    <tr>
                        <th scope="col">"Version"</th>
                        <th scope="col">"Title"</th>
                        <th scope="col">"Published"</th>
                        <th scope="col">"What changed"</th>
                        <th scope="col" class="num">"Accepted by"</th>
                    </tr>
                </thead>
                <tbody>
                    {versions
                        .into_iter()
                        .map(|v| {
                            view! {
                                <tr>
                                    <td>{v.version}</td>
                                    <td>{v.title}</td>
                                    <td>{v.published_at}</td>
                                    <td class="changes-cell">{if v.changes.is_empty() { "First version".to_owned() } else { v.changes }}</td>
                                    <td class="num">{v.acceptances}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            </div>
        }
    })
}
