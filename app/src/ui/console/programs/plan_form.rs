//! The new-plan form: name, period, caps and overrides, then one section per rule. Inputs are
//! named `fields[...]`, so the server function receives one map whatever the number of rules.
//! How many rule sections show comes from `?rules=N` (plain links add and remove one, with or
//! without JavaScript; with it, sections already filled in stay as typed).

use super::super::query_param;
use super::terms_fields::FieldNote;
use crate::api::error::AppError;
use crate::api::plans::{CreatePlan, PlansPageDto};
use crate::domain::commission::plan_form::{
    rule_key, sections_in, Fields, BASES, MAX_RULES, MODELS, MODES, NAME_MAX, PAYS, PERIODS, RECURRING,
};
use crate::ui::widgets::{options, CsrfField, FormError, NamedCheckbox, NamedSelect, NamedText};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// What every field of the form needs: its starting values, the currency and the latest error.
#[derive(Clone, Copy)]
struct Form {
    values: StoredValue<Fields>,
    currency: StoredValue<String>,
    errors: Signal<Option<AppError>>,
}

impl Form {
    fn value(self, key: &str) -> String {
        self.values.with_value(|v| v.get(key).cloned().unwrap_or_default())
    }

    fn money_label(self, label: &str) -> String {
        format!("{label} ({})", self.currency.get_value())
    }
}

/// A text field of the form.
#[component]
fn Text(
    form: Form,
    key: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] number: bool,
    #[prop(optional)] rows: Option<u32>,
) -> impl IntoView {
    view! {
        <NamedText
            name=format!("fields[{key}]")
            value=form.value(&key)
            key
            label
            errors=form.errors
            hint=hint.unwrap_or_default()
            required
            inputmode=if number { "decimal" } else { "text" }
            rows=rows.unwrap_or(0)
        />
    }
}

#[component]
fn Choice(
    form: Form,
    key: String,
    #[prop(into)] label: String,
    table: &'static [(&'static str, &'static str)],
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    view! {
        <NamedSelect
            name=format!("fields[{key}]")
            value=form.value(&key)
            key
            label
            errors=form.errors
            options=options(table)
            hint=hint.unwrap_or_default()
        />
    }
}

#[component]
fn Tick(form: Form, key: String, #[prop(into)] label: String, #[prop(into)] hint: String) -> impl IntoView {
    view! {
        <NamedCheckbox
            name=format!("fields[{key}]")
            checked=!form.value(&key).is_empty()
            key
            label
            errors=form.errors
            hint
        />
    }
}

/// The starting values: what was typed when the form came back with errors, else the copied
/// plan's fields, else nothing (each select then starts on its first choice).
fn starting_values(errors: Signal<Option<AppError>>, prefill: Vec<(String, String)>) -> Fields {
    let typed = errors.with_untracked(|e| {
        e.as_ref()
            .and_then(AppError::field_errors)
            .map(|f| f.submitted.clone())
            .filter(|typed| !typed.is_empty())
    });
    typed.unwrap_or(prefill).into_iter().collect()
}

#[component]
pub fn PlanForm(
    page: PlansPageDto,
    action: ServerAction<CreatePlan>,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    let values = starting_values(errors, page.prefill.clone());
    let filled = sections_in(&values);
    let form = Form {
        values: StoredValue::new(values),
        currency: StoredValue::new(page.currency.clone()),
        errors,
    };
    let program_id = page.program_id;
    let count = Memo::new(move |_| {
        query_param("rules")
            .and_then(|r| r.parse::<usize>().ok())
            .unwrap_or(filled)
            .clamp(1, MAX_RULES)
    });
    let link = move |rules: usize| {
        let copy = query_param("copy")
            .and_then(|c| c.parse::<i64>().ok())
            .map(|c| format!("copy={c}&"))
            .unwrap_or_default();
        format!("/console/programs/{program_id}/plans?{copy}rules={rules}#new-plan")
    };
    let heading = match &page.copied_from {
        Some(name) => format!("New plan, starting from “{name}”"),
        None => "New plan".to_owned(),
    };
    view! {
        <section class="panel" id="new-plan" aria-labelledby="new-plan-heading">
            <h2 id="new-plan-heading">{heading}</h2>
            <p class="muted">
                "Each rule pays for one or more event types (a sale, a lead). Fill in the fields its model uses; the others are ignored. Fields marked * are required."
            </p>
            <FormError errors />
            <FieldNote errors field="plan" />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=program_id.to_string() />
                    <PlanFields form />
                    <For
                        each=move || 0..count.get()
                        key=|i| *i
                        children=move |index| view! { <RuleSection form index /> }
                    />
                    <p class="rule-links">
                        <Show when=move || { count.get() < MAX_RULES }>
                            <a href=move || link(count.get() + 1)>"Add another rule"</a>
                        </Show>
                        <Show when=move || { count.get() > 1 }>
                            <a href=move || link(count.get() - 1)>"Remove the last rule"</a>
                        </Show>
                        <span class="hint">
                            {format!(
                                "Up to {MAX_RULES} rules. Without JavaScript these links reload the form, so set the number of rules before filling them in.",
                            )}
                        </span>
                    </p>
                    <button type="submit" class="button">
                        "Save plan"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn PlanFields(form: Form) -> impl IntoView {
    let key = |k: &str| k.to_owned();
    view! {
        <fieldset class="rule">
            <legend>"The plan"</legend>
            <div class="field-row">
                <Text
                    form
                    key=key("name")
                    label="Plan name"
                    required=true
                    hint=format!("Up to {NAME_MAX} characters, unique in this program, like Creators 2027.")
                />
                <Choice
                    form
                    key=key("period")
                    label="Period"
                    table=&PERIODS
                    hint="What tiers, caps and net revenue are counted over."
                />
            </div>
            <div class="field-row">
                <Text
                    form
                    key=key("cap_per_conversion")
                    label=form.money_label("Cap per conversion")
                    number=true
                    hint="The most one conversion can earn. Empty: no cap."
                />
                <Text
                    form
                    key=key("cap_per_period")
                    label=form.money_label("Cap per period")
                    number=true
                    hint="The most a partner can earn in one period. Empty: no cap."
                />
            </div>
            <div class="field-row">
                <Text
                    form
                    key=key("override_shares")
                    label="Override shares (%)"
                    hint="What masters earn of a sub-partner's commission, level 1 (the direct master) first, like 10, 5. Empty: no overrides."
                />
                <Text
                    form
                    key=key("override_cap")
                    label="Override cap (%)"
                    number=true
                    hint="The most all levels together take. Empty: the sum of the shares."
                />
            </div>
        </fieldset>
    }
}

#[component]
fn RuleSection(form: Form, index: usize) -> impl IntoView {
    let key = move |field: &str| rule_key(index, field);
    view! {
        <fieldset class="rule">
            <legend>{format!("Rule {}", index + 1)}</legend>
            <div class="field-row">
                <Text
                    form
                    key=key("events")
                    label="Events"
                    hint="The event types this rule pays for, like sale, or lead, signup. Leave the whole rule empty to skip it."
                />
                <Choice form key=key("model") label="Pays" table=&MODELS />
            </div>
            <div class="field-row">
                <Text
                    form
                    key=key("rate")
                    label="Rate (%)"
                    number=true
                    hint="Percent, revenue share and hybrid rules."
                />
                <Text
                    form
                    key=key("flat")
                    label=form.money_label("Flat amount")
                    number=true
                    hint="Flat and hybrid rules: paid per event."
                />
            </div>
            <Tick
                form
                key=key("carryover")
                label="Carry losses over (revenue share and hybrid)"
                hint="A period with more refunds than revenue is made up from the next periods before anything more is paid."
            />
            <fieldset class="subfields">
                <legend>"Tiers (tiered rules only)"</legend>
                <div class="field-row">
                    <Choice
                        form
                        key=key("basis")
                        label="Tier basis"
                        table=&BASES
                        hint="What the period's volume is counted in."
                    />
                    <Choice
                        form
                        key=key("mode")
                        label="Tier mode"
                        table=&MODES
                        hint="Marginal: each band pays its own rate. Whole period: the band reached pays on the whole period."
                    />
                    <Choice form key=key("pays") label="Tiers pay" table=&PAYS />
                </div>
                <Text
                    form
                    key=key("bands")
                    label="Bands"
                    rows=3
                    hint="One band per line: from-to value, and from+ value for the last band, like 0-5000 15 then 5000+ 20. Values are percents or flat amounts, as chosen in Tiers pay."
                />
            </fieldset>
            <div class="field-row">
                <Choice form key=key("recurring") label="Repeat purchases" table=&RECURRING />
                <Text form key=key("months") label="Months" number=true hint="With “within N months”: 1 to 120." />
            </div>
            <div class="field-row">
                <Text
                    form
                    key=key("min_amount")
                    label=form.money_label("Minimum amount")
                    number=true
                    hint="Smaller conversions earn nothing. Empty: no minimum."
                />
                <Tick
                    form
                    key=key("first_purchase")
                    label="First purchase only"
                    hint="Only a customer's first purchase qualifies."
                />
            </div>
            <div class="field-row">
                <Text
                    form
                    key=key("countries_allowed")
                    label="Only these countries"
                    hint="Two-letter codes, like DE, AT. Empty: every country."
                />
                <Text
                    form
                    key=key("countries_denied")
                    label="Not these countries"
                    hint="Two-letter codes that never earn on this rule."
                />
            </div>
        </fieldset>
    }
}
