//! The forms of the partner page: change this partner's terms, flag or clear it, choose its
//! master, tag it for segments, and record a manual adjustment. Each shows its own errors beside its fields.

use super::terms_fields::TermsChangeFields;
use crate::api::program_partner::{
    AdjustPartner, ChangePartnerTerms, PartnerInProgramDto, SetPartnerFlag, SetPartnerMaster,
};
use crate::api::segments::SetPartnerTags;
use crate::domain::commission::adjustment;
use crate::ui::widgets::{CsrfField, FormError, NamedSelect, NamedText};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The hidden fields every form of the page posts.
#[component]
fn Which(d: PartnerInProgramDto) -> impl IntoView {
    view! {
        <CsrfField />
        <input type="hidden" name="program_id" value=d.program_id.to_string() />
        <input type="hidden" name="partner_id" value=d.partner_id.to_string() />
    }
}

#[component]
pub fn ChangeTermsForm(d: PartnerInProgramDto, action: ServerAction<ChangePartnerTerms>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    if d.plans.is_empty() {
        return view! {
            <section class="panel">
                <h3>"Change terms"</h3>
                <p>
                    "This program has no plans yet. Create one on the "
                    <a href=format!("/console/programs/{}/plans", d.program_id)>"Plans"</a>" tab first."
                </p>
            </section>
        }
        .into_any();
    }
    let selected = d.current.as_ref().map(|v| v.plan_id);
    view! {
        <section class="panel" aria-labelledby="change-terms-heading">
            <h3 id="change-terms-heading">"Change terms"</h3>
            <p class="muted">
                "A new version for this partner; the current one stays in the history. The partner gets an email."
            </p>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <Which d=d.clone() />
                    <TermsChangeFields plans=d.plans.clone() selected currency=d.currency.clone() errors />
                    <button type="submit" class="button">
                        "Change terms"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The operators' tags on the membership, which segments filter on.
#[component]
pub fn TagsSection(d: PartnerInProgramDto, action: ServerAction<SetPartnerTags>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let current = if d.tags.is_empty() {
        view! { <p class="muted">"No tags. Tags group partners for segments, like newsletter or q3-push."</p> }
            .into_any()
    } else {
        view! {
            <ul class="tag-list" aria-label="Tags">
                {d.tags.iter().map(|t| view! { <li class="tag">{t.clone()}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let form = d.can_manage.then(|| {
        view! {
            <ActionForm action>
                <div class="stack">
                    <Which d=d.clone() />
                    <NamedText
                        name="tags"
                        key="tags"
                        scope="tags-"
                        label="Tags"
                        value=d.tags.join(", ")
                        hint="Separated by commas; empty clears them."
                        maxlength=700
                        errors
                    />
                    <button type="submit" class="button secondary">
                        "Save tags"
                    </button>
                </div>
            </ActionForm>
        }
    });
    view! {
        <section class="panel" aria-labelledby="tags-heading">
            <h3 id="tags-heading">"Tags"</h3>
            {current}
            <FormError errors />
            {form}
        </section>
    }
}

#[component]
pub fn FlagSection(d: PartnerInProgramDto, action: ServerAction<SetPartnerFlag>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let state = match &d.flagged {
        Some(reason) => view! {
            <p>
                <strong>"Flagged: "</strong>
                {reason.clone()}
            </p>
            <p class="muted">"Its new commissions go on hold until a manager decides on them."</p>
        }
        .into_any(),
        None => {
            view! { <p class="muted">"Not flagged. A flagged partner's new commissions go on hold."</p> }.into_any()
        }
    };
    let form = d.can_manage.then(|| match d.flagged {
        Some(_) => view! {
            <ActionForm action>
                <Which d=d.clone() />
                <input type="hidden" name="flag" value="no" />
                <button type="submit" class="button secondary">
                    "Clear the flag"
                </button>
            </ActionForm>
        }
        .into_any(),
        None => view! {
            <ActionForm action>
                <div class="stack">
                    <Which d=d.clone() />
                    <input type="hidden" name="flag" value="yes" />
                    <NamedText
                        name="reason"
                        key="reason"
                        scope="flag-"
                        label="Why flag this partner"
                        required=true
                        maxlength=500
                        hint="Kept in the audit trail; the partner doesn't see it."
                        errors
                    />
                    <button type="submit" class="button danger">
                        "Flag partner"
                    </button>
                </div>
            </ActionForm>
        }
        .into_any(),
    });
    view! {
        <section class="panel" aria-labelledby="flag-heading">
            <h3 id="flag-heading">"Fraud flag"</h3>
            {state}
            <FormError errors />
            {form}
        </section>
    }
}

#[component]
pub fn MasterSection(d: PartnerInProgramDto, action: ServerAction<SetPartnerMaster>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let current = match &d.master {
        Some(m) => view! { <p>"Master: " <a href=format!("/console/programs/{}/partners/{}", d.program_id, m.id)>{m.name.clone()}</a></p> }
        .into_any(),
        None => view! { <p class="muted">"No master: this partner reports to no one."</p> }.into_any(),
    };
    let subs = if d.subs.is_empty() {
        view! { <p class="muted">"No sub-partners."</p> }.into_any()
    } else {
        view! {
            <p>"Sub-partners:"</p>
            <ul class="plain">
                {d
                    .subs
                    .iter()
                    .map(|s| {
                        view! {
                            <li>
                                <a href=format!(
                                    "/console/programs/{}/partners/{}",
                                    d.program_id,
                                    s.id,
                                )>{s.name.clone()}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let options = std::iter::once((String::new(), "No master".to_owned()))
        .chain(d.master_choices.iter().map(|p| (p.id.to_string(), p.name.clone())))
        .collect::<Vec<_>>();
    let selected = d.master.as_ref().map(|m| m.id.to_string()).unwrap_or_default();
    let form = (d.can_manage && d.status == "active").then(|| {
        view! {
            <ActionForm action>
                <div class="stack">
                    <Which d=d.clone() />
                    <NamedSelect
                        name="master_id"
                        key="master_id"
                        label="Master partner"
                        options
                        value=selected
                        errors
                    />
                    <p class="hint">
                        "The master earns the plan's override share of this partner's commissions. A partner can't be its own master, directly or through its sub-partners."
                    </p>
                    <button type="submit" class="button secondary">
                        "Save master"
                    </button>
                </div>
            </ActionForm>
        }
    });
    view! {
        <section class="panel" aria-labelledby="master-heading">
            <h3 id="master-heading">"Master and sub-partners"</h3>
            {current}
            {subs}
            <FormError errors />
            {form}
        </section>
    }
}

#[component]
pub fn AdjustForm(d: PartnerInProgramDto, action: ServerAction<AdjustPartner>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let (typed, set_typed) = signal(String::new());
    let review_above = d.adjustment_review_above.parse().unwrap_or_default();
    let currency = d.currency.clone();
    let live = move || typed.with(|t| adjustment::typed_note(t, review_above, &currency));
    view! {
        <section class="panel" aria-labelledby="adjust-heading">
            <h3 id="adjust-heading">"Manual adjustment"</h3>
            <p class="muted">
                "Adds a ledger entry of either sign: a bonus, or a correction to deduct. The partner sees the reason."
            </p>
            <p id="adjust-review">
                <strong>"Four eyes: "</strong>
                {d.adjustment_review.clone()}
            </p>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <Which d=d.clone() />
                    <div class="field-row">
                        <div class="stack-tight" on:input=move |ev| set_typed.set(event_target_value(&ev))>
                            <NamedText
                                name="amount"
                                key="amount"
                                label=format!("Amount ({})", d.currency)
                                required=true
                                inputmode="decimal"
                                hint="Like 25.00, or -25.00 to deduct."
                                errors
                            />
                            <p class="hint" role="status">
                                {live}
                            </p>
                        </div>
                        <NamedText
                            name="reason"
                            key="reason"
                            scope="adjust-"
                            label="Reason"
                            required=true
                            maxlength=500
                            hint="Shown to the partner beside the entry."
                            errors
                        />
                    </div>
                    <button type="submit" class="button">
                        "Record adjustment"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
