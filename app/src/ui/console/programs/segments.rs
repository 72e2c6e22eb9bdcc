//! The Segments tab: the program's saved segments with their members counted now and a CSV of
//! each, and the filter form. The form is a GET to this page (`?count=1&kind=…`), so the count
//! and the first members show the same with or without JavaScript; with it, every change
//! resubmits the form in place, so the count follows the edit. Saving posts what was counted.

use super::super::id_param;
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::error::AppError;
use crate::api::segments::{
    count_segment, program_segments, DeleteSegment, ProgramSegmentsDto, SaveSegment, SegmentCountDto, SegmentDto,
};
use crate::domain::partner_kind::PartnerKind;
use crate::domain::segments::filter::FIELDS;
use crate::ui::resource::resource;
use crate::ui::widgets::table::encode;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, NamedSelect, NamedText};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The count's outcome: nothing asked, the count, or the form's errors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Counted {
    NotAsked,
    Count(SegmentCountDto),
    Refused(AppError),
}

/// The filter fields in the address (only those with a value), when the page counts.
fn typed() -> Option<HashMap<String, String>> {
    let query = leptos_router::hooks::use_query_map().get();
    query.get("count")?;
    Some(
        query
            .latest_values()
            .filter(|(k, v)| FIELDS.contains(&k.as_ref()) && !v.trim().is_empty())
            .map(|(k, v)| (k.to_string(), v.to_owned()))
            .collect(),
    )
}

/// The segment being edited (`?edit=id`), if any.
fn editing() -> Option<i64> {
    leptos_router::hooks::use_query_map()
        .get()
        .get("edit")
        .and_then(|id| id.parse().ok())
}

#[component]
pub fn ProgramSegments() -> impl IntoView {
    let id = id_param;
    let delete = ServerAction::<DeleteSegment>::new();
    let data = resource(
        move || (id(), delete.version().get(), typed().is_some()),
        |(id, _, _)| program_segments(id),
    );
    let counted = resource(
        move || (id(), typed()),
        |(id, fields)| async move {
            let Some(fields) = fields else {
                return Ok(Counted::NotAsked);
            };
            let json = serde_json::to_string(&fields).unwrap_or_default();
            match count_segment(id, json).await {
                Ok(count) => Ok(Counted::Count(count)),
                Err(e @ AppError::Invalid(_)) => Ok(Counted::Refused(e)),
                Err(e) => Err(e),
            }
        },
    );
    view! {
        <Title text="Segments" />
        <BackLink />
        {load(
            data,
            move |d: ProgramSegmentsDto| {
                view! {
                    <ProgramHeader program_id=d.program_id name=d.program_name.clone() current=Tab::Segments />
                    <Saved d=d.clone() delete />
                    {if d.can_manage {
                        let d = d.clone();
                        load(counted, move |c: Counted| view! { <Editor d=d.clone() counted=c /> }).into_any()
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
fn Saved(d: ProgramSegmentsDto, delete: ServerAction<DeleteSegment>) -> impl IntoView {
    if d.segments.is_empty() {
        return view! {
            <EmptyState title="No segments yet">
                <p>{format!(
                    "A segment is a saved filter over this program's {} active partners: by kind, tier, country or tag, by how they performed lately, by when they were last active. Build one below and watch the count; amendments, MDF allocations and exports can then go to it, and it stays current by itself.",
                    d.active_partners,
                )}</p>
            </EmptyState>
        }
        .into_any();
    }
    let program_id = d.program_id;
    let can_manage = d.can_manage;
    view! {
        <section class="panel" aria-labelledby="segments-heading">
            <h2 id="segments-heading">"Saved segments"</h2>
            <p class="muted">{format!("Counted now, out of {} active partners.", d.active_partners)}</p>
            <table class="fold">
                <thead>
                    <tr>
                        <th scope="col">"Segment"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col" class="num">"Partners"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {d.segments.into_iter().map(|s| view! { <SavedRow program_id s can_manage delete /> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

#[component]
fn SavedRow(program_id: i64, s: SegmentDto, can_manage: bool, delete: ServerAction<DeleteSegment>) -> impl IntoView {
    let mut query: Vec<String> = vec![format!("edit={}", s.id), "count=1".into()];
    query.extend(s.fields.iter().map(|(k, v)| format!("{k}={}", encode(v))));
    let edit = format!("/console/programs/{program_id}/segments?{}", query.join("&"));
    let members = s.members.map_or_else(|| "—".to_owned(), |n| n.to_string());
    view! {
        <tr>
            <td data-label="Segment">{s.name.clone()}</td>
            <td data-label="Who">{s.description}</td>
            <td data-label="Partners" class="num">{members}</td>
            <td data-label="Actions">
                <div class="row-actions">
                <a href=s.csv_href download="">"Export CSV"</a>
                {can_manage
                    .then(|| {
                        view! {
                            <a href=edit>"Edit"</a>
                            <ActionForm action=delete attr:class="inline-form">
                                <CsrfField />
                                <input type="hidden" name="program_id" value=program_id.to_string() />
                                <input type="hidden" name="segment_id" value=s.id.to_string() />
                                <button type="submit" class="link-button danger-text" aria-label=format!("Delete {}", s.name)>"Delete"</button>
                            </ActionForm>
                        }
                    })}
                </div>
            </td>
        </tr>
    }
}

/// The filter form (a GET to this page, for the count), then the count and the save.
#[component]
fn Editor(d: ProgramSegmentsDto, counted: Counted) -> impl IntoView {
    let values = typed().unwrap_or_default();
    let refused = match &counted {
        Counted::Refused(e) => Some(e.clone()),
        _ => None,
    };
    let errors = Signal::derive(move || refused.clone());
    let value = move |key: &str| values.get(key).cloned().unwrap_or_default();
    let any = |label: &str| vec![(String::new(), label.to_owned())];
    let mut kinds = any("Any kind");
    kinds.extend(
        PartnerKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), k.label().to_owned())),
    );
    let mut tiers = any("Any tier");
    tiers.extend(d.tiers.iter().map(|t| (t.clone(), t.clone())));
    let mut onboarding = any("Any");
    onboarding.push(("activated".into(), "Activated (a click or a deal)".into()));
    onboarding.push(("not_activated".into(), "Not activated yet".into()));
    let money = format!("Revenue at least ({})", d.currency);
    let epc = format!("EPC at least ({} per click)", d.currency);
    let action = format!("/console/programs/{}/segments", d.program_id);
    let edit = editing();
    let editing_name = edit
        .and_then(|id| d.segments.iter().find(|s| s.id == id))
        .map(|s| s.name.clone());
    // With JavaScript, any change counts again in place.
    let recount = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        let form = event_target::<leptos::web_sys::Element>(&ev)
            .closest("form")
            .ok()
            .flatten()
            .map(|f| f.unchecked_into::<leptos::web_sys::HtmlFormElement>());
        if let Some(form) = form {
            let _ = form.request_submit();
        }
    };
    view! {
        <section class="panel" aria-labelledby="edit-segment">
            <h2 id="edit-segment">{match &editing_name {
                Some(name) => format!("Edit {name}"),
                None => "Build a segment".to_owned(),
            }}</h2>
            <p class="muted">"Leave a field empty to ask nothing of it. Performance counts over the window's days."</p>
            <Form method="get" action=action noscroll=true replace=true>
                <input type="hidden" name="count" value="1" />
                {edit.map(|id| view! { <input type="hidden" name="edit" value=id.to_string() /> })}
                <div class="stack" on:change=recount>
                    <fieldset class="rule">
                        <legend>"Who they are"</legend>
                        <div class="field-row">
                            <NamedSelect name="kind" key="kind" label="Kind" value=value("kind") errors options=kinds />
                            <NamedSelect name="tier" key="tier" label="Tier" value=value("tier") errors options=tiers />
                            <NamedText name="country" key="country" label="Country" value=value("country") errors hint="Two letters, like DE." maxlength=2 />
                            <NamedText name="tag" key="tag" label="Tag" value=value("tag") errors hint="Set on each partner's page." />
                        </div>
                    </fieldset>
                    <fieldset class="rule">
                        <legend>"How they performed"</legend>
                        <div class="field-row">
                            <NamedText name="window_days" key="window_days" label="Window (days)" value=value("window_days") errors inputmode="numeric" hint="90 when empty." />
                            <NamedText name="min_revenue" key="min_revenue" label=money value=value("min_revenue") errors inputmode="decimal" />
                            <NamedText name="min_conversions" key="min_conversions" label="Conversions at least" value=value("min_conversions") errors inputmode="numeric" />
                            <NamedText name="min_epc" key="min_epc" label=epc value=value("min_epc") errors inputmode="decimal" />
                            <NamedText name="min_won_deals" key="min_won_deals" label="Won deals at least" value=value("min_won_deals") errors inputmode="numeric" />
                        </div>
                        <div class="field-row">
                            <NamedText name="max_refund_rate" key="max_refund_rate" label="Refund rate at most (%)" value=value("max_refund_rate") errors inputmode="decimal" />
                            <NamedText name="max_bot_share" key="max_bot_share" label="Bot clicks at most (%)" value=value("max_bot_share") errors inputmode="decimal" />
                        </div>
                    </fieldset>
                    <fieldset class="rule">
                        <legend>"Activity and onboarding"</legend>
                        <div class="field-row">
                            <NamedText name="active_within_days" key="active_within_days" label="Active in the last (days)" value=value("active_within_days") errors inputmode="numeric" />
                            <NamedText name="inactive_for_days" key="inactive_for_days" label="Idle for at least (days)" value=value("inactive_for_days") errors inputmode="numeric" />
                            <NamedSelect name="onboarding" key="onboarding" label="Onboarding" value=value("onboarding") errors options=onboarding />
                        </div>
                    </fieldset>
                    <FormError errors />
                    <p>
                        <button type="submit" class="button secondary">"Count the partners"</button>
                    </p>
                </div>
            </Form>
            {match counted {
                Counted::Count(count) => {
                    view! { <CountAndSave program_id=d.program_id count fields=typed().unwrap_or_default() edit name=editing_name /> }.into_any()
                }
                Counted::Refused(_) => view! { <p class="field-error" role="alert">"Fix the fields marked above, then count again."</p> }.into_any(),
                Counted::NotAsked => ().into_any(),
            }}
        </section>
    }
}

/// The count, its first members and the save of what was counted.
#[component]
fn CountAndSave(
    program_id: i64,
    count: SegmentCountDto,
    fields: HashMap<String, String>,
    edit: Option<i64>,
    name: Option<String>,
) -> impl IntoView {
    let save = ServerAction::<SaveSegment>::new();
    let errors = Signal::derive(move || save.value().get().and_then(Result::err));
    let mut hidden: Vec<(String, String)> = fields.into_iter().collect();
    hidden.sort();
    let shown = count.sample.len() as i64;
    view! {
        <section class="impact" aria-labelledby="count-heading" aria-live="polite">
            <h3 id="count-heading">
                {match count.count {
                    1 => "1 partner matches".to_owned(),
                    n => format!("{n} partners match"),
                }}
            </h3>
            <p>{count.description.clone()}</p>
            {(!count.sample.is_empty())
                .then(|| {
                    view! {
                        <table class="fold">
                            <thead>
                                <tr>
                                    <th scope="col">"Partner"</th>
                                    <th scope="col" class="num">{format!("Revenue, {} days", count.window_days)}</th>
                                    <th scope="col">"Last active"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {count
                                    .sample
                                    .iter()
                                    .map(|m| {
                                        view! {
                                            <tr>
                                                <td data-label="Partner">
                                                    <a href=format!("/console/programs/{program_id}/partners/{}", m.partner_id)>{m.name.clone()}</a>
                                                </td>
                                                <td data-label="Revenue" class="num">{m.revenue.clone()}</td>
                                                <td data-label="Last active">{m.last_active.clone()}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                })}
            {(count.count > shown && shown > 0).then(|| view! { <p class="muted">{format!("And {} more.", count.count - shown)}</p> })}
            <FormError errors />
            <ActionForm action=save attr:class="stack">
                <CsrfField />
                <input type="hidden" name="program_id" value=program_id.to_string() />
                <input type="hidden" name="segment_id" value=edit.map(|id| id.to_string()).unwrap_or_default() />
                {hidden
                    .into_iter()
                    .map(|(k, v)| view! { <input type="hidden" name=format!("fields[{k}]") value=v /> })
                    .collect_view()}
                <NamedText name="name" key="name" label="Segment name" value=name.unwrap_or_default() errors hint="Like Top German creators." maxlength=80 />
                <p>
                    <button type="submit" class="button">{if edit.is_some() { "Save the segment" } else { "Save as a segment" }}</button>
                </p>
            </ActionForm>
        </section>
    }
}
