//! A program's MDF tab: its funds with every partner's balance and allocations, and the forms
//! that create a fund and allocate it (to one partner, to every partner of a tier, or a percent
//! of each partner's revenue in the previous period).

use super::super::id_param;
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::mdf_funds::{program_mdf, AllocateMdf, CreateMdfFund, FundDto, ProgramMdfDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{
    load, BudgetBar, CsrfField, EmptyState, FormError, NamedSelect, NamedText, Notice, StatusBadge,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

const TARGETS: [(&str, &str); 5] = [
    ("partner", "One partner: the amount below"),
    ("tier", "Every active partner of a tier: the amount below each"),
    ("segment", "Every member of a segment today: the amount below each"),
    (
        "tier_shares",
        "By tier shares: each tier's MDF share of the amount below, split among its partners",
    ),
    (
        "revenue",
        "Each partner: a percent of its revenue in the previous period",
    ),
];

#[component]
pub fn ProgramMdf() -> impl IntoView {
    let create = ServerAction::<CreateMdfFund>::new();
    let allocate = ServerAction::<AllocateMdf>::new();
    let data = resource(
        move || (id_param(), create.version().get(), allocate.version().get()),
        |(id, _, _)| program_mdf(id),
    );
    let done = move || {
        allocate
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| create.value().get().and_then(Result::ok))
    };
    view! {
        <Title text="Program MDF" />
        <BackLink />
        {load(
            data,
            move |d| {
                view! {
                    <ProgramHeader program_id=d.program_id name=d.program_name.clone() current=Tab::Mdf />
                    <Show when=move || done().is_some()>
                        <Notice>{done}</Notice>
                    </Show>
                    <Funds d=d.clone() />
                    {if d.can_manage {
                        view! {
                            <div class="side-by-side">
                                <AllocateForm d=d.clone() action=allocate />
                                <CreateForm program_id=d.program_id currency=d.currency.clone() action=create />
                            </div>
                        }
                            .into_any()
                    } else {
                        view! { <p class="muted">{READ_ONLY}</p> }.into_any()
                    }}
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn Funds(d: ProgramMdfDto) -> impl IntoView {
    if d.funds.is_empty() {
        return view! {
            <EmptyState title="No funds yet">
                <p>"Create a fund for a period (a quarter, say) with the form below, then allocate it to partners."</p>
            </EmptyState>
        }
        .into_any();
    }
    d.funds
        .into_iter()
        .map(|f| view! { <Fund f /> })
        .collect_view()
        .into_any()
}

#[component]
fn Fund(f: FundDto) -> impl IntoView {
    let heading = format!("fund-{}", f.id);
    let labelled_by = heading.clone();
    view! {
        <section class="report-section" aria-labelledby=labelled_by>
            <h2 id=heading>
                {f.name.clone()} " " <StatusBadge status=f.status.clone() label=f.status_label.clone() />
            </h2>
            <p class="muted">
                {format!(
                    "{} · claims due {} days after an activity ends · {} allocated · {} available",
                    f.period,
                    f.claim_days,
                    f.allocated,
                    f.available,
                )}
            </p>
            {if f.balances.is_empty() {
                view! { <p class="muted">"Nothing allocated yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="sr-only">{format!("Balances in {}", f.name)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Partner"</th>
                                    <th scope="col" class="num">
                                        "Allocated"
                                    </th>
                                    <th scope="col" class="num">
                                        "Requested"
                                    </th>
                                    <th scope="col" class="num">
                                        "Approved"
                                    </th>
                                    <th scope="col" class="num">
                                        "Claimed"
                                    </th>
                                    <th scope="col" class="num">
                                        "Paid"
                                    </th>
                                    <th scope="col" class="num">
                                        "Expired"
                                    </th>
                                    <th scope="col" class="num">
                                        "Available"
                                    </th>
                                    <th scope="col">"Use"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {f
                                    .balances
                                    .into_iter()
                                    .map(|b| {
                                        let label = format!("Use of {}'s allocation", b.partner_name);
                                        view! {
                                            <tr>
                                                <td>{b.partner_name}</td>
                                                <td class="num">{b.allocated}</td>
                                                <td class="num">{b.requested}</td>
                                                <td class="num">{b.approved}</td>
                                                <td class="num">{b.claimed}</td>
                                                <td class="num">{b.paid}</td>
                                                <td class="num">{b.expired}</td>
                                                <td class="num">{b.available}</td>
                                                <td class="bar-cell">
                                                    <BudgetBar parts=b.bar label />
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <details>
                        <summary>{format!("Allocations ({})", f.allocations.len())}</summary>
                        <ul class="plain">
                            {f
                                .allocations
                                .into_iter()
                                .map(|a| {
                                    view! {
                                        <li>
                                            {format!("{} · {} · {} · {}", a.at, a.partner_name, a.amount, a.source)}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </details>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn CreateForm(program_id: i64, currency: String, action: ServerAction<CreateMdfFund>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="create-fund-heading">
            <h3 id="create-fund-heading">"New fund"</h3>
            <p class="muted">
                {format!(
                    "In the program's currency ({currency}). Unused funds expire when the period ends; claims are due a number of days after each activity.",
                )}
            </p>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=program_id.to_string() />
                    <NamedText
                        name="name"
                        key="name"
                        label="Fund name"
                        required=true
                        maxlength=120
                        hint="Like Q3 2026."
                        errors
                    />
                    <div class="field-row">
                        <NamedText
                            name="period_start"
                            key="period_start"
                            label="Period start"
                            kind="date"
                            required=true
                            errors
                        />
                        <NamedText
                            name="period_end"
                            key="period_end"
                            label="Period end"
                            kind="date"
                            required=true
                            errors
                        />
                    </div>
                    <NamedText
                        name="claim_days"
                        key="claim_days"
                        label="Claim window (days)"
                        value="45"
                        inputmode="numeric"
                        required=true
                        hint="Days after an activity ends that its claim is accepted."
                        errors
                    />
                    <button type="submit" class="button">
                        "Create fund"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn AllocateForm(d: ProgramMdfDto, action: ServerAction<AllocateMdf>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let funds: Vec<(String, String)> = d
        .funds
        .iter()
        .filter(|f| f.open)
        .map(|f| {
            (
                f.id.to_string(),
                format!("{} ({}; revenue period {})", f.name, f.period, f.revenue_period),
            )
        })
        .collect();
    if funds.is_empty() {
        return view! {
            <section class="panel">
                <h3>"Allocate funds"</h3>
                <p class="muted">"No fund is open. Create one for the current or next period first."</p>
            </section>
        }
        .into_any();
    }
    let partners = std::iter::once((String::new(), "Choose a partner".to_owned()))
        .chain(d.partners.iter().map(|p| {
            let tier = p.tier.as_deref().map(|t| format!(" (tier {t})")).unwrap_or_default();
            (p.id.to_string(), format!("{}{tier}", p.name))
        }))
        .collect::<Vec<_>>();
    let segments = std::iter::once((String::new(), "Choose a segment".to_owned()))
        .chain(d.segments.iter().map(|(id, name)| (id.to_string(), name.clone())))
        .collect::<Vec<_>>();
    let tier_hint = if d.tiers.is_empty() {
        "No partner has a tier yet: set tiers on each partner's page.".to_owned()
    } else {
        format!("Tiers in use: {}.", d.tiers.join(", "))
    };
    let share_note = if d.tier_shares.is_empty() {
        "By tier shares: no tier has an MDF share yet; give tiers their shares under Tiers.".to_owned()
    } else {
        format!("By tier shares: {} of the amount.", d.tier_shares.join(", "))
    };
    view! {
        <section class="panel" aria-labelledby="allocate-heading">
            <h3 id="allocate-heading">"Allocate funds"</h3>
            <p class="muted">"Each partner's allocation is stored with where it came from; each partner is emailed."</p>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=d.program_id.to_string() />
                    <NamedSelect name="fund_id" key="fund_id" label="Fund" options=funds errors />
                    <NamedSelect
                        name="target"
                        key="target"
                        label="Allocate to"
                        options=crate::ui::widgets::options(&TARGETS)
                        errors
                    />
                    <NamedSelect
                        name="partner_id"
                        key="partner_id"
                        label="Partner"
                        options=partners
                        hint="For one partner."
                        errors
                    />
                    <NamedText name="tier" key="tier" label="Tier" hint=tier_hint errors />
                    <p class="muted">{share_note}</p>
                    <NamedSelect name="segment_id" key="segment_id" label="Segment" options=segments hint="For a segment: its members when you allocate." errors />
                    <div class="field-row">
                        <NamedText
                            name="amount"
                            key="amount"
                            label=format!("Amount ({})", d.currency)
                            inputmode="decimal"
                            hint="For one partner, each partner of the tier or segment, or the whole amount to split by tier shares."
                            errors
                        />
                        <NamedText
                            name="percent"
                            key="percent"
                            label="Percent of revenue"
                            inputmode="decimal"
                            hint="Of each partner's attributed revenue in the period before the fund's."
                            errors
                        />
                    </div>
                    <button type="submit" class="button">
                        "Allocate"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
