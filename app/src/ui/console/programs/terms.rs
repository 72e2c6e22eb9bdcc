//! Partner terms for a whole program: each active partner's current and upcoming terms, the
//! terms in force on a chosen day, and the bulk amendment form.

use super::super::{id_param, query_param};
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use super::terms_fields::{FieldNote, TermsChangeFields};
use crate::api::error::AppError;
use crate::api::terms::{program_terms, AmendTerms, PartnerTermsDto, ProgramTermsDto, TermsVersionDto};
use crate::domain::{country, partner_kind::PartnerKind};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, NamedSelect, Notice, Pager};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

fn partners_text(n: usize) -> String {
    if n == 1 {
        "1 partner".to_owned()
    } else {
        format!("{n} partners")
    }
}

#[component]
pub fn ProgramTerms() -> impl IntoView {
    let id = id_param;
    let action = ServerAction::<AmendTerms>::new();
    let params = move || {
        (
            id(),
            query_param("on"),
            query_param("page").and_then(|p| p.parse::<i64>().ok()),
        )
    };
    let data = resource(
        move || (params(), action.version().get()),
        |((id, on, page), _)| program_terms(id, on, page),
    );
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let amended = move || action.value().get().and_then(Result::ok);
    view! {
        <Title text="Partner terms" />
        <BackLink />
        {load(
            data,
            move |d| {
                let pages = d.partners.page_count();
                view! {
                    <ProgramHeader program_id=d.program_id name=d.program_name.clone() current=Tab::Terms />
                    <h2>"Partner terms"</h2>
                    <p class="muted">
                        "Each change of a partner's terms is a new version with its author, reason and start. A commission always uses the version that was in force when its conversion happened."
                    </p>
                    <Show when=move || amended().is_some()>
                        <Notice>
                            {move || {
                                format!(
                                    "Terms amended for {}: a new version each, and an email to each partner.",
                                    partners_text(amended().unwrap_or_default()),
                                )
                            }}
                        </Notice>
                    </Show>
                    <OnDayForm program_id=d.program_id on=d.on.clone() error=d.on_error.clone() />
                    <TermsTable d=d.clone() />
                    {(d.partners.total > d.partners.per_page)
                        .then(|| view! { <Pager page=d.partners.page page_count=pages total=d.partners.total /> })}
                    {if d.can_manage {
                        view! { <AmendForm d action errors /> }.into_any()
                    } else {
                        view! { <p class="muted">{READ_ONLY}</p> }.into_any()
                    }}
                }
                    .into_any()
            },
        )}
    }
}

/// "Terms in force on" a day: a GET form, so the answer has its own address.
#[component]
fn OnDayForm(program_id: i64, on: Option<String>, error: Option<String>) -> impl IntoView {
    let has_error = error.is_some();
    let typed = query_param("on").unwrap_or_default();
    view! {
        <form method="get" class="filters" role="search" aria-label="Look up a day">
            <div class="field" class:has-error=has_error>
                <label for="terms-on">"Terms in force on"</label>
                <input
                    id="terms-on"
                    type="date"
                    name="on"
                    value=typed
                    aria-invalid=has_error.to_string()
                    aria-describedby=if has_error { "terms-on-error terms-on-hint" } else { "terms-on-hint" }
                />
                {error
                    .map(|e| {
                        view! {
                            <p class="field-error" id="terms-on-error" role="alert">
                                {e}
                            </p>
                        }
                    })}
            </div>
            <button type="submit" class="button secondary">
                "Show"
            </button>
            {on.map(|_| view! { <a href=Tab::Terms.href(program_id)>"Clear the day"</a> })}
        </form>
        <p class="hint" id="terms-on-hint">
            "Shows the version each partner had at the end of that day (UTC): the terms its commissions of that day were computed with."
        </p>
    }
}

/// "Creators 2026 · v3", with the overrides under it.
#[component]
fn VersionCell(version: Option<TermsVersionDto>, #[prop(into)] none: String) -> impl IntoView {
    match version {
        None => view! { <span class="muted">{none}</span> }.into_any(),
        Some(v) => view! {
            <strong>{v.plan_name.clone()}</strong>
            {format!(" · v{}", v.version)}
            {(!v.overrides.is_empty())
                .then(|| {
                    view! {
                        <br />
                        <span class="muted">{format!("Overrides: {}", v.overrides.join(", "))}</span>
                    }
                })}
        }
        .into_any(),
    }
}

#[component]
fn TermsTable(d: ProgramTermsDto) -> impl IntoView {
    if d.partners.total == 0 {
        return view! {
            <EmptyState title="No active partners yet">
                <p>
                    "Approve applications under "<a href="/console/applications?status=applied">"Applications"</a>
                    ": approved partners get the program's default plan, and then show here."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    let on = d.on.clone();
    let program_id = d.program_id;
    view! {
        <div class="table-wrap report-section">
            <table class="terms-table">
                <caption class="sr-only">"Active partners and their terms"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Terms now"</th>
                        <th scope="col">"In force since"</th>
                        <th scope="col">"Upcoming"</th>
                        {on.clone().map(|day| view! { <th scope="col">{format!("In force on {day}")}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {d
                        .partners
                        .rows
                        .into_iter()
                        .map(|row| view! { <TermsRow row program_id show_day=on.is_some() /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn TermsRow(row: PartnerTermsDto, program_id: i64, show_day: bool) -> impl IntoView {
    let href = format!("/console/programs/{program_id}/partners/{}", row.partner_id);
    let since = row
        .current
        .as_ref()
        .map_or("—".to_owned(), |v| v.effective_from.clone());
    let upcoming = if row.upcoming.is_empty() {
        view! { <span class="muted">"—"</span> }.into_any()
    } else {
        view! {
            <ul class="plain">
                {row
                    .upcoming
                    .iter()
                    .map(|v| {
                        view! { <li>{format!("{} · v{} from {}", v.plan_name, v.version, v.effective_from)}</li> }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <tr>
            <td>
                <a href=href>
                    <strong>{row.name.clone()}</strong>
                </a>
                <br />
                <span class="muted">{row.email.clone()}</span>
            </td>
            <td>
                <VersionCell version=row.current.clone() none="No terms: earns nothing yet" />
            </td>
            <td class="nowrap">{since}</td>
            <td>{upcoming}</td>
            {show_day
                .then(|| {
                    view! {
                        <td>
                            <VersionCell version=row.on_day.clone() none="No terms yet on that day" />
                        </td>
                    }
                })}
        </tr>
    }
}

#[component]
fn AmendForm(d: ProgramTermsDto, action: ServerAction<AmendTerms>, errors: Signal<Option<AppError>>) -> impl IntoView {
    if d.plans.is_empty() {
        return view! {
            <section class="panel">
                <h2>"Amend terms in bulk"</h2>
                <p>
                    "This program has no plans yet. Create one on the "<a href=Tab::Plans.href(d.program_id)>"Plans"</a>
                    " tab first."
                </p>
            </section>
        }
        .into_any();
    }
    let all = |label: &str| std::iter::once((String::new(), label.to_owned()));
    let kinds = all("All kinds")
        .chain(
            PartnerKind::ALL
                .into_iter()
                .map(|k| (k.as_str().to_owned(), k.label().to_owned())),
        )
        .collect::<Vec<_>>();
    let segments = all("Any segment")
        .chain(d.segments.iter().map(|(id, name)| (id.to_string(), name.clone())))
        .collect::<Vec<_>>();
    let countries = all("All countries")
        .chain(country::all().map(|(code, name)| (code.to_owned(), format!("{name} ({code})"))))
        .collect::<Vec<_>>();
    view! {
        <section class="panel" aria-labelledby="amend-heading">
            <h2 id="amend-heading">"Amend terms in bulk"</h2>
            <p class="muted">
                "Every selected partner gets a new terms version, an entry in the audit trail and an email. Nothing changes for commissions already earned."
            </p>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=d.program_id.to_string() />
                    <TermsChangeFields
                        plans=d.plans.clone()
                        selected=d.default_plan_id
                        currency=d.currency.clone()
                        errors
                    />
                    <fieldset class="subfields">
                        <legend>"Which partners"</legend>
                        <p class="hint">
                            "Every active partner of this program, or only those of one kind, country or segment (all that are chosen must hold)."
                        </p>
                        <div class="field-row">
                            <NamedSelect name="kind" key="kind" label="Partner kind" options=kinds errors />
                            <NamedSelect name="country" key="country" label="Country" options=countries errors />
                            <NamedSelect name="segment" key="segment" label="Segment" options=segments errors />
                        </div>
                        <FieldNote errors field="partners" />
                    </fieldset>
                    <button type="submit" class="button">
                        "Amend terms"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
