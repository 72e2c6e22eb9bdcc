//! One partner in one program: its balances, its terms in plain words (current, upcoming and
//! every version), the forms that change them, and its ledger.

use super::super::{id_param, query_param};
use super::partner_forms::{AdjustForm, ChangeTermsForm, FlagSection, MasterSection, TagsSection};
use super::partner_ledger::{BalanceCards, LedgerTable};
use super::tabs::{ProgramHeader, Tab, READ_ONLY};
use crate::api::program_partner::{
    partner_in_program, AdjustPartner, ChangePartnerTerms, PartnerInProgramDto, SetPartnerFlag, SetPartnerMaster,
};
use crate::api::segments::SetPartnerTags;
use crate::api::terms::TermsVersionDto;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState, Notice, Pager, StatusBadge};
use leptos::prelude::*;
use leptos_meta::Title;

/// The `:partner_id` of the current route (0 when missing, which no partner has).
fn partner_param() -> i64 {
    crate::ui::params::number_param("partner_id")
}

/// The page's five forms.
#[derive(Clone, Copy)]
pub struct Actions {
    pub terms: ServerAction<ChangePartnerTerms>,
    pub flag: ServerAction<SetPartnerFlag>,
    pub master: ServerAction<SetPartnerMaster>,
    pub adjust: ServerAction<AdjustPartner>,
    pub tags: ServerAction<SetPartnerTags>,
}

impl Actions {
    fn versions(self) -> [usize; 5] {
        [
            self.terms.version().get(),
            self.flag.version().get(),
            self.master.version().get(),
            self.adjust.version().get(),
            self.tags.version().get(),
        ]
    }

    /// The message for the last form that succeeded (with JavaScript; without it the page shows
    /// the flash message instead).
    fn notice(self) -> Option<String> {
        let ok = |done: Option<bool>| done.unwrap_or(false);
        if ok(self.terms.value().get().map(|r| r.is_ok())) {
            Some("Terms changed: a new version, and an email to the partner.".into())
        } else if ok(self.flag.value().get().map(|r| r.is_ok())) {
            Some("Flag saved.".into())
        } else if ok(self.master.value().get().map(|r| r.is_ok())) {
            Some("Master saved.".into())
        } else if let Some(Ok(message)) = self.tags.value().get() {
            Some(message)
        } else {
            // The adjustment says whether it is approved or waits for finance.
            self.adjust.value().get().and_then(Result::ok)
        }
    }
}

#[component]
pub fn ProgramPartner() -> impl IntoView {
    let actions = Actions {
        terms: ServerAction::new(),
        flag: ServerAction::new(),
        master: ServerAction::new(),
        adjust: ServerAction::new(),
        tags: ServerAction::new(),
    };
    let params = move || {
        (
            id_param(),
            partner_param(),
            query_param("page").and_then(|p| p.parse::<i64>().ok()),
        )
    };
    let data = resource(
        move || (params(), actions.versions()),
        |((program_id, partner_id, page), _)| partner_in_program(program_id, partner_id, page),
    );
    view! {
        <Title text="Partner in program" />
        <p>
            <a href=move || Tab::Terms.href(id_param())>"← All partners' terms"</a>
        </p>
        {load(
            data,
            move |d| {
                view! {
                    <ProgramHeader program_id=d.program_id name=d.program_name.clone() current=Tab::Terms />
                    <PartnerHeading d=d.clone() />
                    <Show when=move || actions.notice().is_some()>
                        <Notice>{move || actions.notice()}</Notice>
                    </Show>
                    <BalanceCards balances=d.balances.clone() />
                    <super::partner_relationship::Relationship program_id=d.program_id partner_id=d.partner_id />
                    <CurrentTerms d=d.clone() />
                    {(d.can_manage && d.status == "active")
                        .then(|| view! { <ChangeTermsForm d=d.clone() action=actions.terms /> })}
                    <History versions=d.history.clone() />
                    <div class="side-by-side">
                        <FlagSection d=d.clone() action=actions.flag />
                        <MasterSection d=d.clone() action=actions.master />
                        <TagsSection d=d.clone() action=actions.tags />
                    </div>
                    <super::partner_tier::TierSection
                        program_id=d.program_id
                        partner_id=d.partner_id
                        can_manage=d.can_manage
                    />
                    {(d.can_adjust && d.status == "active")
                        .then(|| view! { <AdjustForm d=d.clone() action=actions.adjust /> })}
                    {(!d.can_manage).then(|| view! { <p class="muted">{READ_ONLY}</p> })}
                    <section class="report-section" aria-labelledby="ledger-heading">
                        <h3 id="ledger-heading">"Ledger in this program"</h3>
                        <LedgerTable lines=d.ledger.rows.clone() />
                        {(d.ledger.total > d.ledger.per_page)
                            .then(|| {
                                view! {
                                    <Pager page=d.ledger.page page_count=d.ledger.page_count() total=d.ledger.total />
                                }
                            })}
                    </section>
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn PartnerHeading(d: PartnerInProgramDto) -> impl IntoView {
    let status_label = match d.status.as_str() {
        "active" => "Active",
        "applied" => "Applied, waiting for review",
        "rejected" => "Rejected",
        "suspended" => "Suspended",
        other => other,
    }
    .to_owned();
    view! {
        <h2>{d.partner_name.clone()}</h2>
        <p class="muted">
            {format!("{} · {} · {} ", d.partner_kind, d.partner_country, d.partner_email)}
            <StatusBadge status=d.status.clone() label=status_label />
            {d
                .flagged
                .is_some()
                .then(|| {
                    view! {
                        " "
                        <StatusBadge status="rejected".into() label="Flagged".into() />
                    }
                })}
        </p>
        {(d.status != "active")
            .then(|| {
                view! {
                    <p class="alert alert-error">
                        "This partner is not active in the program: its terms, master and adjustments can't be changed."
                    </p>
                }
            })}
    }
}

/// A version's plan in plain words, with its overrides.
#[component]
fn VersionLines(v: TermsVersionDto) -> impl IntoView {
    view! {
        <ul class="plan-lines">{v.lines.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}</ul>
        {(!v.overrides.is_empty())
            .then(|| {
                view! { <p class="muted">{format!("Overrides for this partner: {}.", v.overrides.join(", "))}</p> }
            })}
    }
}

#[component]
fn CurrentTerms(d: PartnerInProgramDto) -> impl IntoView {
    let current = match d.current.clone() {
        None => view! {
            <EmptyState title="No terms in force">
                <p>
                    "This partner earns nothing until it has terms. "
                    {if d.can_manage { "Choose a plan in the form below." } else { "A Partner manager can set them." }}
                </p>
            </EmptyState>
        }
        .into_any(),
        Some(v) => view! {
            <p>
                <strong>{v.plan_name.clone()}</strong>
                {format!(" · version {} · in force since {}", v.version, v.effective_from)}
            </p>
            <VersionLines v />
        }
        .into_any(),
    };
    view! {
        <section class="panel" aria-labelledby="current-terms-heading">
            <h3 id="current-terms-heading">"Terms in force now"</h3>
            {current}
            {(!d.upcoming.is_empty())
                .then(|| {
                    view! {
                        <h4>"Upcoming"</h4>
                        {d
                            .upcoming
                            .iter()
                            .map(|v| {
                                view! {
                                    <p>
                                        <strong>{v.plan_name.clone()}</strong>
                                        {format!(" · version {} · from {}", v.version, v.effective_from)}
                                    </p>
                                    <VersionLines v=v.clone() />
                                }
                            })
                            .collect_view()}
                    }
                })}
        </section>
    }
}

#[component]
fn History(versions: Vec<TermsVersionDto>) -> impl IntoView {
    if versions.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="report-section" aria-labelledby="history-heading">
            <h3 id="history-heading">"Terms history"</h3>
            <div class="table-wrap">
                <table>
                    <caption class="sr-only">"Every version of this partner's terms, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Version"</th>
                            <th scope="col">"Plan"</th>
                            <th scope="col">"Overrides"</th>
                            <th scope="col">"Effective from"</th>
                            <th scope="col">"By"</th>
                            <th scope="col">"Reason"</th>
                            <th scope="col">"Recorded"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {versions
                            .into_iter()
                            .map(|v| {
                                view! {
                                    <tr>
                                        <td class="num">{v.version}</td>
                                        <td>{v.plan_name}</td>
                                        <td>
                                            {if v.overrides.is_empty() {
                                                "—".to_owned()
                                            } else {
                                                v.overrides.join(", ")
                                            }}
                                        </td>
                                        <td class="nowrap">{v.effective_from}</td>
                                        <td>{v.author}</td>
                                        <td>{v.reason}</td>
                                        <td class="nowrap">{v.created_at}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
