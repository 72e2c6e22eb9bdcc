//! The fields of a terms change, shared by the bulk amendment and the one-partner form: the
//! plan, optional overrides, when the change starts (UTC) and why.

use crate::api::error::AppError;
use crate::api::plans::PlanChoice;
use crate::ui::widgets::{NamedSelect, NamedText};
use leptos::prelude::*;

#[component]
pub fn TermsChangeFields(
    plans: Vec<PlanChoice>,
    /// The plan chosen at first (the partner's current one, or the program's default).
    selected: Option<i64>,
    currency: String,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    let options = plans
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect::<Vec<_>>();
    let money = |label: &str| format!("{label} ({currency})");
    view! {
        <NamedSelect
            name="plan_id"
            key="plan_id"
            label="Plan"
            options
            value=selected.map(|id| id.to_string()).unwrap_or_default()
            errors
        />
        <fieldset class="subfields">
            <legend>"Overrides (optional)"</legend>
            <p class="hint">"Each field left empty keeps the plan's own value."</p>
            <div class="field-row">
                <NamedText
                    name="rate"
                    key="rate"
                    label="Rate (%)"
                    inputmode="decimal"
                    hint="Replaces the percent of percent, revenue-share and hybrid rules."
                    errors
                />
                <NamedText
                    name="flat"
                    key="flat"
                    label=money("Flat amount")
                    inputmode="decimal"
                    hint="Replaces the amount of flat and hybrid rules."
                    errors
                />
            </div>
            <div class="field-row">
                <NamedText
                    name="cap_per_conversion"
                    key="cap_per_conversion"
                    label=money("Cap per conversion")
                    inputmode="decimal"
                    errors
                />
                <NamedText
                    name="cap_per_period"
                    key="cap_per_period"
                    label=money("Cap per period")
                    inputmode="decimal"
                    errors
                />
            </div>
            <FieldNote errors field="overrides" />
        </fieldset>
        <NamedText
            name="effective_from"
            key="effective_from"
            label="Effective from (UTC)"
            kind="datetime-local"
            hint="When the new terms start, in UTC; it may be in the future. Empty: now. Commissions already earned keep the terms they were computed with."
            errors
        />
        <NamedText
            name="reason"
            key="reason"
            label="Reason"
            required=true
            maxlength=500
            rows=2
            hint="Shown in the partner's terms history and in the audit trail."
            errors
        />
    }
}

/// A form error that belongs to no single input (like "no partner matches").
#[component]
pub fn FieldNote(errors: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    let message = move || {
        errors.with(|e| {
            e.as_ref()
                .and_then(AppError::field_errors)
                .and_then(|f| f.get(field))
                .map(str::to_owned)
        })
    };
    view! {
        <Show when=move || message().is_some()>
            <p class="field-error" role="alert">
                {message}
            </p>
        </Show>
    }
}
