//! A program's commission plans: each in plain words with how many partners are on it, the
//! default for new partners, and the form for a new plan (blank or copied from one).

use super::super::{id_param, query_param};
use super::plan_form::PlanForm;
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::plans::{program_plans, CreatePlan, MakeDefaultPlan, PlanDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, Notice, StatusBadge};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramPlans() -> impl IntoView {
    let id = id_param;
    let create = ServerAction::<CreatePlan>::new();
    let make_default = ServerAction::<MakeDefaultPlan>::new();
    let copy = move || query_param("copy").and_then(|c| c.parse::<i64>().ok());
    let page = resource(
        move || (id(), copy(), create.version().get(), make_default.version().get()),
        |(id, copy, _, _)| program_plans(id, copy),
    );
    let errors = Signal::derive(move || create.value().get().and_then(Result::err));
    let default_errors = Signal::derive(move || make_default.value().get().and_then(Result::err));
    let created = move || matches!(create.value().get(), Some(Ok(_)));
    let defaulted = move || matches!(make_default.value().get(), Some(Ok(())));
    view! {
        <Title text="Commission plans" />
        <BackLink />
        {load(
            page,
            move |page| {
                view! {
                    <ProgramHeader program_id=page.program_id name=page.program_name.clone() current=Tab::Plans />
                    <h2>"Commission plans"</h2>
                    <p class="muted">
                        "A plan says what partners earn for each kind of event. Plans never change once saved, so every commission can be traced to the exact rules it was computed with: to pay differently, save a new plan (copy one to start from it) and move partners to it on the "
                        <a href=Tab::Terms.href(page.program_id)>"Terms"</a>" tab."
                    </p>
                    <Show when=created>
                        <Notice>"Plan saved."</Notice>
                    </Show>
                    <Show when=defaulted>
                        <Notice>"Default plan changed: newly approved partners get it."</Notice>
                    </Show>
                    <FormError errors=default_errors />
                    <PlanList
                        plans=page.plans.clone()
                        program_id=page.program_id
                        can_manage=page.can_manage
                        action=make_default
                    />
                    {if page.can_manage {
                        view! { <PlanForm page action=create errors /> }.into_any()
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
fn PlanList(
    plans: Vec<PlanDto>,
    program_id: i64,
    can_manage: bool,
    action: ServerAction<MakeDefaultPlan>,
) -> impl IntoView {
    if plans.is_empty() {
        return view! {
            <EmptyState title="No plans yet">
                <p>
                    {if can_manage {
                        "Create the first one below, then make it the default so approved partners get it."
                    } else {
                        "An Admin or a Partner manager creates plans here."
                    }}
                </p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <ul class="plan-list">
            {plans.into_iter().map(|plan| view! { <PlanItem plan program_id can_manage action /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PlanItem(plan: PlanDto, program_id: i64, can_manage: bool, action: ServerAction<MakeDefaultPlan>) -> impl IntoView {
    let on_it = match plan.partners {
        0 => "no partner on it now".to_owned(),
        1 => "1 partner on it now".to_owned(),
        n => format!("{n} partners on it now"),
    };
    let copy_href = format!("/console/programs/{program_id}/plans?copy={}#new-plan", plan.id);
    let heading_id = format!("plan-{}", plan.id);
    let default_label = format!("Make {} the default plan", plan.name);
    let copy_label = format!("Copy {} as a new plan", plan.name);
    view! {
        <li class="panel plan" aria-labelledby=heading_id.clone()>
            <h3 id=heading_id
                .clone()>
                {plan.name.clone()}
                {plan
                    .is_default
                    .then(|| {
                        view! {
                            " "
                            <StatusBadge status="active".into() label="Default for new partners".into() />
                        }
                    })}
            </h3>
            <p class="muted">{format!("Created {} · {on_it}", plan.created_at)}</p>
            <ul class="plan-lines">{plan.lines.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}</ul>
            {can_manage
                .then(|| {
                    view! {
                        <div class="plan-actions">
                            {(!plan.is_default)
                                .then(|| {
                                    view! {
                                        <ActionForm action attr:class="inline-form">
                                            <CsrfField />
                                            <input type="hidden" name="program_id" value=program_id.to_string() />
                                            <input type="hidden" name="plan_id" value=plan.id.to_string() />
                                            <button type="submit" class="button secondary" aria-label=default_label>
                                                "Make default"
                                            </button>
                                        </ActionForm>
                                    }
                                })} <a class="button secondary" href=copy_href aria-label=copy_label>
                                "Copy as new plan"
                            </a>
                        </div>
                    }
                })}
        </li>
    }
}
