//! The Tiers tab: the ladder in force with its members, the evaluation (last run, run now), the
//! form that edits the ladder, the impact preview that comes before saving it, and the latest
//! tier changes. The form is a plain GET to this page (`?preview=1&t0_name=…`), so the preview
//! is the same page with or without JavaScript; saving posts what was previewed.

use super::super::id_param;
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::error::AppError;
use crate::api::tiers::{
    preview_tiers, program_tiers, ImpactDto, ProgramTiersDto, RunTierEvaluation, SaveTiers, TierChangeDto,
};
use crate::domain::tiers::{tier_key, MAX_TIERS};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, NamedSelect, NamedText};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The preview's outcome: nothing asked, the impact, or the form's errors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Preview {
    NotAsked,
    Impact(ImpactDto),
    Refused(AppError),
}

/// The ladder fields in the address, when the page is a preview.
fn proposed() -> Option<HashMap<String, String>> {
    let query = leptos_router::hooks::use_query_map().get();
    query.get("preview")?;
    Some(
        query
            .latest_values()
            .filter(|(k, _)| *k != "preview")
            .map(|(k, v)| (k.to_string(), v.to_owned()))
            .collect(),
    )
}

#[component]
pub fn ProgramTiers() -> impl IntoView {
    let id = id_param;
    let run = ServerAction::<RunTierEvaluation>::new();
    // Keyed on the preview flag too: a save goes back to the plain page, which then reloads.
    let data = resource(
        move || (id(), run.version().get(), proposed().is_some()),
        |(id, _, _)| program_tiers(id),
    );
    let preview = resource(
        move || (id(), proposed()),
        |(id, fields)| async move {
            let Some(fields) = fields else {
                return Ok(Preview::NotAsked);
            };
            let json = serde_json::to_string(&fields).unwrap_or_default();
            match preview_tiers(id, json).await {
                Ok(impact) => Ok(Preview::Impact(impact)),
                Err(e @ AppError::Invalid(_)) => Ok(Preview::Refused(e)),
                Err(e) => Err(e),
            }
        },
    );
    view! {
        <Title text="Tiers" />
        <BackLink />
        {load(
            data,
            move |d: ProgramTiersDto| {
                view! {
                    <ProgramHeader program_id=d.program_id name=d.program_name.clone() current=Tab::Tiers />
                    <Ladder d=d.clone() />
                    <Evaluation d=d.clone() run />
                    {if d.can_manage {
                        let d = d.clone();
                        load(preview, move |p: Preview| view! { <Editor d=d.clone() preview=p /> }).into_any()
                    } else {
                        view! { <p class="muted">{READ_ONLY}</p> }.into_any()
                    }}
                    <Changes changes=d.changes.clone() />
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn Ladder(d: ProgramTiersDto) -> impl IntoView {
    if d.tiers.is_empty() {
        return view! {
            <EmptyState title="No tiers yet">
                <p>"Define tiers below, lowest first: each with what it needs over a trailing window and what it gives. Preview who would move, then save; a daily evaluation moves partners from then on."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <section class="panel" aria-labelledby="ladder-heading">
            <h2 id="ladder-heading">"Tiers in force"</h2>
            <p class="muted">
                {format!("Revenue, conversions and won deals count over the last {} days. ", d.window_days)}
                {if d.grace_days == 0 {
                    "A partner who falls short moves down at the next evaluation (no grace period).".to_owned()
                } else {
                    format!(
                        "A partner who falls short keeps the tier for a {}-day grace period, warned by email, and moves down only if still short when it ends.",
                        d.grace_days,
                    )
                }}
            </p>
            <table class="fold">
                <thead>
                    <tr>
                        <th scope="col">"Tier"</th>
                        <th scope="col">"Needs"</th>
                        <th scope="col">"Gives"</th>
                        <th scope="col" class="num">"Partners"</th>
                    </tr>
                </thead>
                <tbody>
                    {d.tiers
                        .iter()
                        .rev()
                        .map(|t| {
                            view! {
                                <tr>
                                    <th scope="row" data-label="Tier">{t.name.clone()}</th>
                                    <td data-label="Needs">
                                        <ul class="plain">{t.criteria.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
                                    </td>
                                    <td data-label="Gives">
                                        <ul class="plain">{t.benefits.iter().map(|b| view! { <li>{b.clone()}</li> }).collect_view()}</ul>
                                    </td>
                                    <td class="num" data-label="Partners">{t.members}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            {(d.unplaced > 0)
                .then(|| {
                    view! {
                        <p class="muted">
                            {format!("{} active partners hold no tier of this ladder (not evaluated yet, or on a tier it no longer has): the next evaluation places those not locked.", d.unplaced)}
                        </p>
                    }
                })}
        </section>
    }
    .into_any()
}

#[component]
fn Evaluation(d: ProgramTiersDto, run: ServerAction<RunTierEvaluation>) -> impl IntoView {
    if d.tiers.is_empty() {
        return ().into_any();
    }
    let last = d
        .evaluated_at
        .clone()
        .map_or_else(|| "Not evaluated yet.".to_owned(), |at| format!("Last evaluated {at}."));
    let errors = Signal::derive(move || run.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="evaluation-heading">
            <h2 id="evaluation-heading">"Evaluation"</h2>
            <p>{last} " It runs daily; promotions happen at once, demotions after the grace period."</p>
            {move || run.value().get().and_then(Result::ok).map(|m| view! { <p class="notice" role="status">{m}</p> })}
            <FormError errors />
            {d.can_manage
                .then(|| {
                    view! {
                        <ActionForm action=run>
                            <CsrfField />
                            <input type="hidden" name="program_id" value=d.program_id.to_string() />
                            <button type="submit" class="button secondary">
                                "Run the evaluation now"
                            </button>
                        </ActionForm>
                    }
                })}
        </section>
    }
    .into_any()
}

/// The ladder form (a GET to this page, for the preview), then the preview and its save.
#[component]
fn Editor(d: ProgramTiersDto, preview: Preview) -> impl IntoView {
    let typed = proposed();
    let values: HashMap<String, String> = typed.clone().unwrap_or_else(|| d.fields.iter().cloned().collect());
    let refused = match &preview {
        Preview::Refused(e) => Some(e.clone()),
        _ => None,
    };
    let errors = Signal::derive(move || refused.clone());
    let value = move |key: &str| values.get(key).cloned().unwrap_or_default();
    // An empty window or grace period shows the usual one to start from.
    let or = |text: String, default: &str| if text.is_empty() { default.to_owned() } else { text };
    let (window, grace) = (or(value("window_days"), "90"), or(value("grace_days"), "30"));
    let filled = (0..MAX_TIERS)
        .filter(|r| !value(&tier_key(*r, "name")).is_empty())
        .max()
        .map_or(0, |r| r + 1);
    let rows = (filled + 1).clamp(3, MAX_TIERS);
    let currency = d.currency.clone();
    let mut plan_options = vec![(String::new(), "Keep the partner's own terms".to_owned())];
    plan_options.extend(
        d.plans
            .iter()
            .map(|(id, name)| (id.to_string(), format!("Pay the {name} plan"))),
    );
    let action = format!("/console/programs/{}/tiers", d.program_id);
    view! {
        <section class="panel" aria-labelledby="edit-tiers">
            <h2 id="edit-tiers">{if d.tiers.is_empty() { "Define tiers" } else { "Change the tiers" }}</h2>
            <p class="muted">
                "Lowest tier first. A higher tier must need at least as much as the one below in every criterion, and more in one. Leave a threshold empty to ask nothing of it; leave a row empty to skip it."
            </p>
            <form method="get" action=action.clone() class="stack">
                <input type="hidden" name="preview" value="1" />
                <div class="field-row">
                    <NamedText name="window_days" key="window_days" label="Window (days)" value=window errors inputmode="numeric" hint="Revenue, conversions and won deals count over this many days." />
                    <NamedText name="grace_days" key="grace_days" label="Grace period (days)" value=grace errors inputmode="numeric" hint="How long a partner keeps a tier after falling short. 0 demotes at once." />
                </div>
                {(0..rows)
                    .map(|row| {
                        let key = move |field: &str| tier_key(row, field);
                        let money = |label: &str| format!("{label} ({currency})");
                        view! {
                            <fieldset class="rule">
                                <legend>{if row == 0 { "Tier 1 (the entry tier)".to_owned() } else { format!("Tier {}", row + 1) }}</legend>
                                <div class="field-row">
                                    <NamedText name=key("name") key=key("name") label="Name" value=value(&key("name")) errors hint="Like Silver or Gold." />
                                    <NamedText name=key("min_revenue") key=key("min_revenue") label=money("Revenue") value=value(&key("min_revenue")) errors inputmode="decimal" />
                                    <NamedText name=key("min_conversions") key=key("min_conversions") label="Conversions" value=value(&key("min_conversions")) errors inputmode="numeric" />
                                    <NamedText name=key("min_won_value") key=key("min_won_value") label=money("Won deal value") value=value(&key("min_won_value")) errors inputmode="decimal" />
                                    <NamedText name=key("min_won_deals") key=key("min_won_deals") label="Won deals" value=value(&key("min_won_deals")) errors inputmode="numeric" />
                                </div>
                                <div class="field-row">
                                    <NamedText name=key("min_certified_people") key=key("min_certified_people") label="Certified people" value=value(&key("min_certified_people")) errors inputmode="numeric" />
                                    <NamedText name=key("min_documents") key=key("min_documents") label="Approved documents" value=value(&key("min_documents")) errors inputmode="numeric" />
                                    <NamedText name=key("min_days_in_program") key=key("min_days_in_program") label="Days in the program" value=value(&key("min_days_in_program")) errors inputmode="numeric" />
                                    <NamedSelect name=key("plan_id") key=key("plan_id") label="Commission" value=value(&key("plan_id")) errors options=plan_options.clone() />
                                    <NamedText name=key("protection_days") key=key("protection_days") label="Deal protection (days)" value=value(&key("protection_days")) errors inputmode="numeric" hint="Empty: the program's." />
                                    <NamedText name=key("mdf_share") key=key("mdf_share") label="MDF share (%)" value=value(&key("mdf_share")) errors inputmode="decimal" hint="Of each MDF allocation by tier shares, split among the tier's partners. Empty: none." />
                                </div>
                            </fieldset>
                        }
                    })
                    .collect_view()}
                <p>
                    <button type="submit" class="button">"Preview the impact"</button>
                </p>
            </form>
            {match preview {
                Preview::Impact(impact) => view! { <Impact program_id=d.program_id impact fields=typed.unwrap_or_default() /> }.into_any(),
                Preview::Refused(_) => view! { <p class="field-error" role="alert">"Fix the fields marked above, then preview again."</p> }.into_any(),
                Preview::NotAsked => ().into_any(),
            }}
        </section>
    }
}

/// Who would move if the ladder were saved and evaluated today, and the save.
#[component]
fn Impact(program_id: i64, impact: ImpactDto, fields: HashMap<String, String>) -> impl IntoView {
    let save = ServerAction::<SaveTiers>::new();
    let errors = Signal::derive(move || save.value().get().and_then(Result::err));
    let mut hidden: Vec<(String, String)> = fields.into_iter().collect();
    hidden.sort();
    view! {
        <section class="impact" aria-labelledby="impact-heading">
            <h3 id="impact-heading">"Impact if saved today"</h3>
            <p>
                {format!(
                    "Of {} active partners, {} would move up and {} down. Commission over the last {} days would have differed by {} under the plans of the tiers they move to.",
                    impact.evaluated,
                    impact.up,
                    impact.down,
                    impact.window_days,
                    impact.difference,
                )}
            </p>
            {(!impact.movers.is_empty())
                .then(|| {
                    view! {
                        <table class="fold">
                            <thead>
                                <tr>
                                    <th scope="col">"Partner"</th>
                                    <th scope="col">"From"</th>
                                    <th scope="col">"To"</th>
                                    <th scope="col">"When"</th>
                                    <th scope="col" class="num">"Earned"</th>
                                    <th scope="col" class="num">"Under the new tier"</th>
                                    <th scope="col" class="num">"Difference"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {impact
                                    .movers
                                    .iter()
                                    .map(|m| {
                                        view! {
                                            <tr>
                                                <th scope="row" data-label="Partner">
                                                    <a href=format!("/console/programs/{program_id}/partners/{}", m.partner_id)>{m.partner_name.clone()}</a>
                                                </th>
                                                <td data-label="From">{m.from.clone()}</td>
                                                <td data-label="To">
                                                    <span class=if m.up { "badge up" } else { "badge down" }>{if m.up { "▲ " } else { "▼ " }}{m.to.clone()}</span>
                                                </td>
                                                <td data-label="When">{m.when.clone()}</td>
                                                <td class="num" data-label="Earned">{m.earned.clone()}</td>
                                                <td class="num" data-label="Under the new tier">{m.under_new_plan.clone()}</td>
                                                <td class="num" data-label="Difference">{m.difference.clone()}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                })}
            {(impact.more > 0).then(|| view! { <p class="muted">{format!("And {} more not listed.", impact.more)}</p> })}
            <FormError errors />
            <ActionForm action=save>
                <CsrfField />
                <input type="hidden" name="program_id" value=program_id.to_string() />
                {hidden
                    .into_iter()
                    .map(|(k, v)| view! { <input type="hidden" name=format!("fields[{k}]") value=v /> })
                    .collect_view()}
                <button type="submit" class="button">"Save these tiers"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Changes(changes: Vec<TierChangeDto>) -> impl IntoView {
    if changes.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="panel" aria-labelledby="changes-heading">
            <h2 id="changes-heading">"Latest tier changes"</h2>
            <table class="fold">
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"What"</th>
                        <th scope="col">"Why"</th>
                        <th scope="col">"By"</th>
                    </tr>
                </thead>
                <tbody>
                    {changes
                        .into_iter()
                        .map(|c| {
                            view! {
                                <tr>
                                    <td data-label="When">{c.at}</td>
                                    <td data-label="Partner">{c.partner_name}</td>
                                    <td data-label="What">{c.what}</td>
                                    <td data-label="Why">{c.reason}</td>
                                    <td data-label="By">{c.by}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}
