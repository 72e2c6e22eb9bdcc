//! Applications: a filterable, sortable, paged list, and the review page of one application.

use super::query_param;
use crate::api::application_questions::AnswerDto;
use crate::api::review::{
    get_application, list_applications, ApplicantDocumentDto, ApplicationDto, ApplicationReviewDto, DecideApplication,
};
use crate::domain::membership::MembershipStatus;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, Notice, Pager, SortLink, StatusBadge, TextAreaField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Applications() -> impl IntoView {
    let filters = move || {
        (
            query_param("status"),
            query_param("program").and_then(|p| p.parse::<i64>().ok()),
            query_param("q"),
            query_param("sort"),
            query_param("page").and_then(|p| p.parse::<i64>().ok()),
        )
    };
    let list = resource(filters, |(status, program, q, sort, page)| {
        list_applications(status, program, q, sort, page)
    });
    view! {
        <Title text="Applications" />
        <h1>"Applications"</h1>
        {load(
            list,
            move |list| {
                let (status, program, q, sort, _) = filters();
                view! {
                    <form method="get" class="filters" role="search" aria-label="Filter applications">
                        <div class="field">
                            <label for="filter-status">"Status"</label>
                            <select id="filter-status" name="status">
                                <option value="">"Any status"</option>
                                {MembershipStatus::ALL
                                    .iter()
                                    .map(|s| {
                                        view! {
                                            <option value=s.as_str() selected=status.as_deref() == Some(s.as_str())>
                                                {s.label()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="filter-program">"Program"</label>
                            <select id="filter-program" name="program">
                                <option value="">"All programs"</option>
                                {list
                                    .programs
                                    .iter()
                                    .map(|(id, name)| {
                                        view! {
                                            <option value=id.to_string() selected=program == Some(*id)>
                                                {name.clone()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="filter-q">"Partner name or email"</label>
                            <input id="filter-q" type="search" name="q" value=q.clone().unwrap_or_default() />
                        </div>
                        {sort.clone().map(|s| view! { <input type="hidden" name="sort" value=s /> })}
                        <button type="submit" class="button secondary">
                            "Filter"
                        </button>
                    </form>
                    <ApplicationTable rows=list.page.rows.clone() sort=sort.unwrap_or_else(|| "newest".into()) />
                    <Pager page=list.page.page page_count=list.page.page_count() total=list.page.total />
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn ApplicationTable(rows: Vec<ApplicationDto>, sort: String) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <EmptyState title="No applications match">
                <p>
                    "Clear the filters to see every application. Partners apply through each program's public page, "
                    <code>"/join/program-slug"</code>"."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Applications"</caption>
                <thead>
                    <tr>
                        <th scope="col">
                            <SortLink label="Partner" key="partner" current=sort.clone() />
                        </th>
                        <th scope="col">"Program"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"Country"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">
                            <SortLink label="Applied" key="newest" current=sort.clone() />
                            " "
                            <SortLink label="(oldest first)" key="oldest" current=sort />
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|a| {
                            view! {
                                <tr>
                                    <td>
                                        <a
                                            class="row-link"
                                            href=format!("/console/applications/{}", a.id)
                                            aria-label=format!("Review {}", a.partner_name)
                                        >
                                            <strong>{a.partner_name.clone()}</strong>
                                        </a>
                                        <br />
                                        <span class="muted">{a.partner_email.clone()}</span>
                                    </td>
                                    <td>{a.program_name.clone()}</td>
                                    <td>{a.partner_kind.clone()}</td>
                                    <td>{a.country.clone()}</td>
                                    <td>
                                        <StatusBadge status=a.status.clone() label=a.status_label.clone() />
                                    </td>
                                    <td>{a.applied_at.clone()}</td>
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

#[component]
pub fn ApplicationDetail() -> impl IntoView {
    let id = super::id_param;
    let action = ServerAction::<DecideApplication>::new();
    let application = resource(move || (id(), action.version().get()), |(id, _)| get_application(id));
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Title text="Review application" />
        <p>
            <a href="/console/applications">"← All applications"</a>
        </p>
        {load(
            application,
            move |r: ApplicationReviewDto| {
                let profile = (r.about.clone(), r.channels.clone());
                view! { <Review application=r.application profile answers=r.answers documents=r.documents action errors /> }
                    .into_any()
            },
        )}
    }
}

#[component]
fn Review(
    application: ApplicationDto,
    /// What the partner says it is about, and how it promotes.
    profile: (Option<String>, String),
    answers: Vec<AnswerDto>,
    documents: Vec<ApplicantDocumentDto>,
    action: ServerAction<DecideApplication>,
    errors: Signal<Option<crate::api::error::AppError>>,
) -> impl IntoView {
    let a = application;
    let decided = move || action.value().get().and_then(Result::ok).map(|d| d.status_label);
    let pending = a.status == "applied";
    view! {
        <h1>{a.partner_name.clone()}</h1>
        <Show when=move || decided().is_some()>
            <Notice>
                {move || {
                    format!(
                        "Saved: the application is now “{}”. The partner has been emailed.",
                        decided().unwrap_or_default(),
                    )
                }}
            </Notice>
        </Show>
        <section class="panel">
            <dl class="facts">
                <dt>"Program"</dt>
                <dd>{a.program_name.clone()}</dd>
                <dt>"Status"</dt>
                <dd>
                    <StatusBadge status=a.status.clone() label=a.status_label.clone() />
                </dd>
                <dt>"Email"</dt>
                <dd>{a.partner_email.clone()}</dd>
                <dt>"Kind"</dt>
                <dd>{a.partner_kind.clone()}</dd>
                <dt>"Country"</dt>
                <dd>{a.country.clone()}</dd>
                <dt>"Website"</dt>
                <dd>{a.website.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"About"</dt>
                <dd class="prewrap">{profile.0.unwrap_or_else(|| "Not said yet".into())}</dd>
                <dt>"Promotes through"</dt>
                <dd>{if profile.1.is_empty() { "Not said yet".to_owned() } else { profile.1 }}</dd>
                <dt>"Applied"</dt>
                <dd>{a.applied_at.clone()}</dd>
                {a
                    .decided_at
                    .clone()
                    .map(|d| {
                        view! {
                            <dt>"Decided"</dt>
                            <dd>{d}</dd>
                        }
                    })}
                {a
                    .reason
                    .clone()
                    .map(|r| {
                        view! {
                            <dt>"Reason"</dt>
                            <dd>{r}</dd>
                        }
                    })}
            </dl>
            <h2>"How they plan to promote or sell"</h2>
            <p class="prewrap">{a.promotion_plan.clone()}</p>
            <Answers answers />
            <Documents documents />
        </section>
        {pending
            .then(|| {
                view! {
                    <section class="panel" aria-labelledby="decide-heading">
                        <h2 id="decide-heading">"Decision"</h2>
                        <FormError errors />
                        <div class="decision-forms">
                            <ActionForm action>
                                <div class="stack">
                                    <CsrfField />
                                    <input type="hidden" name="id" value=a.id.to_string() />
                                    <input type="hidden" name="decision" value="approve" />
                                    <input type="hidden" name="reason" value="" />
                                    <p>
                                        "Approving activates the membership and emails the partner a link to set a password."
                                    </p>
                                    <button type="submit" class="button">
                                        "Approve"
                                    </button>
                                </div>
                            </ActionForm>
                            <ActionForm action>
                                <div class="stack">
                                    <CsrfField />
                                    <input type="hidden" name="id" value=a.id.to_string() />
                                    <input type="hidden" name="decision" value="reject" />
                                    <TextAreaField
                                        label="Reason for rejecting"
                                        name="reason"
                                        rows=3
                                        maxlength=1000
                                        hint="The partner reads this in the rejection email."
                                        errors
                                    />
                                    <button type="submit" class="button danger">
                                        "Reject"
                                    </button>
                                </div>
                            </ActionForm>
                        </div>
                    </section>
                }
            })}
    }
}

/// The answers to the program's own questions, each under the question as it was asked.
#[component]
fn Answers(answers: Vec<AnswerDto>) -> impl IntoView {
    (!answers.is_empty()).then(|| {
        view! {
            <h2>"Answers to the program's questions"</h2>
            <dl class="answers">
                {answers
                    .into_iter()
                    .map(|a| {
                        view! {
                            <dt>{a.question}</dt>
                            <dd class="prewrap">{a.answer.join(", ")}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
        }
    })
}

/// The program's documents and where the applicant stands with each: approval waits for those
/// needed before approval.
#[component]
fn Documents(documents: Vec<ApplicantDocumentDto>) -> impl IntoView {
    (!documents.is_empty()).then(|| {
        view! {
            <h2>"Documents"</h2>
            <ul class="applicant-documents">
                {documents
                    .into_iter()
                    .map(|d| {
                        let file = d.file.map(|(id, name)| view! { <a href=format!("/documents/{id}")>{name}</a> });
                        view! {
                            <li>
                                <strong>{d.name}</strong>
                                <span class=format!("badge badge-doc-{}", d.tone)>{d.status}</span>
                                <span class="muted">{d.needed}</span>
                                {file}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
