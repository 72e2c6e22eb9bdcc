//! The partner page's tier. In a program with a ladder: the tier held and since when, a lock or
//! a running grace period, progress to the next tier, the history, and the lock form. Without
//! one: the tier an operator types (which MDF allocations and content gates read).

use crate::api::mdf_funds::SetPartnerTier;
use crate::api::tiers::{partner_tier_view, LockTier, PartnerTierDto, UnlockTier};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError, NamedSelect, NamedText, TierProgress};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn TierSection(program_id: i64, partner_id: i64, can_manage: bool) -> impl IntoView {
    let set = ServerAction::<SetPartnerTier>::new();
    let lock = ServerAction::<LockTier>::new();
    let unlock = ServerAction::<UnlockTier>::new();
    let tier = resource(
        move || (set.version().get(), lock.version().get(), unlock.version().get()),
        move |_| partner_tier_view(program_id, partner_id),
    );
    view! {
        <section class="panel" aria-labelledby="tier-heading">
            <h3 id="tier-heading">"Tier"</h3>
            {load(
                tier,
                move |t: PartnerTierDto| {
                    if t.has_ladder {
                        view! { <LadderTier t program_id partner_id can_manage lock unlock /> }.into_any()
                    } else {
                        view! { <ManualTier current=t.tier program_id partner_id can_manage set /> }.into_any()
                    }
                },
            )}
        </section>
    }
}

#[component]
fn LadderTier(
    t: PartnerTierDto,
    program_id: i64,
    partner_id: i64,
    can_manage: bool,
    lock: ServerAction<LockTier>,
    unlock: ServerAction<UnlockTier>,
) -> impl IntoView {
    let held = match (&t.tier, &t.since) {
        (Some(tier), Some(since)) => format!("{tier}, since {since}."),
        (Some(tier), None) => format!("{tier}."),
        (None, _) => "No tier yet: the next evaluation places this partner.".to_owned(),
    };
    let errors = Signal::derive(move || {
        lock.value()
            .get()
            .and_then(Result::err)
            .or_else(|| unlock.value().get().and_then(Result::err))
    });
    let done = move || {
        lock.value()
            .get()
            .and_then(Result::ok)
            .or_else(|| unlock.value().get().and_then(Result::ok))
    };
    let mut options = vec![(String::new(), "The tier held now".to_owned())];
    options.extend(t.tiers.iter().map(|n| (n.clone(), n.clone())));
    let locked = t.locked_reason.is_some();
    view! {
        <p>
            <strong>{held}</strong>
        </p>
        {t.locked_reason.clone().map(|why| view! { <p class="notice">{format!("Locked: {why}")}</p> })}
        {t.demotion_due.clone().map(|due| view! { <p class="notice-inline">{format!("Short of the criteria: moves down on {due} unless they are met again.")}</p> })}
        <TierProgress progress=t.progress.clone() />
        {move || done().map(|m| view! { <p role="status">{m}</p> })}
        <FormError errors />
        {(can_manage && locked)
            .then(|| {
                view! {
                    <ActionForm action=unlock>
                        <CsrfField />
                        <input type="hidden" name="program_id" value=program_id.to_string() />
                        <input type="hidden" name="partner_id" value=partner_id.to_string() />
                        <button type="submit" class="button secondary">"Unlock the tier"</button>
                    </ActionForm>
                }
            })}
        {(can_manage && !locked)
            .then(|| {
                view! {
                    <details>
                        <summary>"Lock the tier"</summary>
                        <ActionForm action=lock>
                            <div class="stack">
                                <CsrfField />
                                <input type="hidden" name="program_id" value=program_id.to_string() />
                                <input type="hidden" name="partner_id" value=partner_id.to_string() />
                                <NamedSelect name="tier" key="tier" label="Hold at" errors options=options.clone() />
                                <NamedText name="reason" key="reason" label="Reason" errors required=true maxlength=500 hint="The partner's history shows it. The evaluation leaves a locked tier alone." />
                                <button type="submit" class="button secondary">"Lock"</button>
                            </div>
                        </ActionForm>
                    </details>
                }
            })}
        {(!t.history.is_empty())
            .then(|| {
                view! {
                    <details>
                        <summary>"Tier history"</summary>
                        <ul class="timeline">
                            {t.history
                                .iter()
                                .map(|c| view! { <li>{format!("{} · {} · {} ({})", c.at, c.what, c.reason, c.by)}</li> })
                                .collect_view()}
                        </ul>
                    </details>
                }
            })}
    }
}

#[component]
fn ManualTier(
    current: Option<String>,
    program_id: i64,
    partner_id: i64,
    can_manage: bool,
    set: ServerAction<SetPartnerTier>,
) -> impl IntoView {
    let errors = Signal::derive(move || set.value().get().and_then(Result::err));
    let saved = move || set.value().get().and_then(Result::ok);
    let text = current
        .clone()
        .map_or_else(|| "No tier.".to_owned(), |t| format!("Tier: {t}."));
    view! {
        <p>{text}</p>
        <Show when=move || saved().is_some()>
            <p role="status">{saved}</p>
        </Show>
        <FormError errors />
        {can_manage
            .then(|| {
                view! {
                    <ActionForm action=set>
                        <div class="stack">
                            <CsrfField />
                            <input type="hidden" name="program_id" value=program_id.to_string() />
                            <input type="hidden" name="partner_id" value=partner_id.to_string() />
                            <NamedText
                                name="tier"
                                key="tier"
                                label="Tier name"
                                value=current.clone().unwrap_or_default()
                                hint="Like Gold. Empty clears it. Or define tiers on the program's Tiers tab, and they move by themselves."
                                errors
                            />
                            <button type="submit" class="button secondary">
                                "Save tier"
                            </button>
                        </div>
                    </ActionForm>
                }
            })}
    }
}
