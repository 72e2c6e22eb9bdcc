//! `/portal/terms`: for each of the partner's programs, the terms in force in plain words,
//! scheduled changes and every earlier version, then its sub-partners.

use super::sub_partners::SubPartners;
use crate::api::my_terms::{my_terms, CreateInviteLink, ProgramTermsDto, TermsVersionDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState, FormError};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Terms() -> impl IntoView {
    let invite = ServerAction::<CreateInviteLink>::new();
    let terms = resource(move || invite.version().get(), |_| my_terms());
    let invite_errors = Signal::derive(move || invite.value().get().and_then(Result::err));
    view! {
        <Title text="Terms" />
        <h1>"Your terms"</h1>
        <FormError errors=invite_errors />
        {load(
            terms,
            move |programs: Vec<ProgramTermsDto>| {
                if programs.is_empty() {
                    view! {
                        <EmptyState title="No terms yet">
                            <p>
                                "Your commission terms appear here once a program approves you. "
                                <a href="/portal/programs">"See your applications"</a>"."
                            </p>
                        </EmptyState>
                    }
                        .into_any()
                } else {
                    programs.into_iter().map(|p| view! { <ProgramTerms p invite /> }).collect_view().into_any()
                }
            },
        )}
    }
}

#[component]
fn ProgramTerms(p: ProgramTermsDto, invite: ServerAction<CreateInviteLink>) -> impl IntoView {
    let heading = format!("terms-{}", p.program_id);
    let labelled_by = heading.clone();
    view! {
        <section class="panel" aria-labelledby=labelled_by>
            <h2 id=heading>{p.program_name.clone()}</h2>
            {(p.status_label != "Active")
                .then(|| view! { <p class="muted">{format!("Your membership: {}.", p.status_label)}</p> })}
            {match p.current.clone() {
                Some(current) => {
                    view! {
                        <h3>"In force now"</h3>
                        <Version v=current />
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p>
                            "No terms are in force yet. If changes are scheduled, they are listed below; otherwise ask the program team."
                        </p>
                    }
                        .into_any()
                }
            }}
            {(!p.upcoming.is_empty())
                .then(|| {
                    view! {
                        <h3>"Scheduled changes"</h3>
                        {p.upcoming.clone().into_iter().map(|v| view! { <Version v /> }).collect_view()}
                    }
                })}
            <details class="history">
                <summary>{format!("Every version ({})", p.history.len())}</summary>
                <HistoryTable versions=p.history.clone() />
            </details>
            <SubPartners s=p.sub_partners.clone() program_id=p.program_id invite />
        </section>
    }
}

#[component]
fn Version(v: TermsVersionDto) -> impl IntoView {
    view! {
        <div class="terms-version">
            <p>
                <strong>{format!("Version {} · {}", v.version, v.plan_name)}</strong>
                <span class="muted">{format!(" · from {} · {}", v.effective_from, v.reason)}</span>
            </p>
            <ul>{v.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            {(!v.overrides.is_empty())
                .then(|| view! { <p class="muted">{format!("Agreed with you: {}.", v.overrides.join(", "))}</p> })}
        </div>
    }
}

#[component]
fn HistoryTable(versions: Vec<TermsVersionDto>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Every version of your terms, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="num">
                            "Version"
                        </th>
                        <th scope="col">"Plan"</th>
                        <th scope="col">"Effective from"</th>
                        <th scope="col">"Reason"</th>
                    </tr>
                </thead>
                <tbody>
                    {versions
                        .into_iter()
                        .map(|v| {
                            view! {
                                <tr>
                                    <td class="num">{v.version}</td>
                                    <td>
                                        {v.plan_name.clone()}
                                        <ul class="plain small">
                                            {v.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                                        </ul>
                                    </td>
                                    <td class="nowrap">{v.effective_from.clone()}</td>
                                    <td>{v.reason.clone()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
