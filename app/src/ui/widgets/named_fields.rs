//! Labelled fields whose name, label and hint are made at run time: the plan form's rule
//! sections (`fields[r0_rate]`), amounts labelled with a program's currency. The markup matches
//! `fields.rs` and uses its pieces: a label, the input, a hint, and the field's own error beside it.
//!
//! Each field also sets its value as a DOM property, so when a page's data reloads in place
//! (after a save, or a copied plan) the fields show the new values rather than what was typed.

use super::fields::{described_by, message_for, submitted_for, FieldLabel, FieldMessage};
use crate::api::error::AppError;
use leptos::prelude::*;

/// A text input, or a text area when `rows` is above 0. An empty hint shows none. `key` names the field in the form's
/// errors and typed values; `name` is what the browser posts (often the same).
#[component]
pub fn NamedText(
    #[prop(into)] name: String,
    #[prop(into)] key: String,
    /// Prefixes the element ids, for two forms on one page with a field of the same name.
    #[prop(optional, into)]
    scope: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] value: String,
    errors: Signal<Option<AppError>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    /// "decimal" or "numeric" brings up the right keyboard on phones.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    #[prop(optional)] rows: Option<u32>,
    #[prop(optional)] maxlength: Option<usize>,
    /// The input type: "text" unless told ("datetime-local", "date" ...).
    #[prop(default = "text")]
    kind: &'static str,
) -> impl IntoView {
    let message = message_for(errors, key.clone());
    let value = submitted_for(errors, &key).map_or(value, Option::unwrap_or_default);
    let id = format!("field-{scope}{key}");
    let dom_key = format!("{scope}{key}");
    let hint = hint.filter(|h| !h.is_empty());
    let described = described_by(&dom_key, hint.is_some(), message);
    let input = match rows.filter(|r| *r > 0) {
        Some(rows) => {
            let text = value.clone();
            view! {
                <textarea
                    id=id.clone()
                    name=name
                    prop:value=value
                    rows=rows
                    required=required
                    maxlength=maxlength
                    aria-invalid=move || message.get().is_some().to_string()
                    aria-describedby=described
                >
                    {text}
                </textarea>
            }
            .into_any()
        }
        None => view! {
            <input
                id=id.clone()
                type=kind
                name=name
                value=value.clone()
                prop:value=value
                required=required
                inputmode=inputmode
                maxlength=maxlength
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described
            />
        }
        .into_any(),
    };
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <FieldLabel id=id.clone() label required />
            {input}
            <FieldMessage name=dom_key hint message />
        </div>
    }
}

/// A select of (value, label) options; the first is chosen when `value` matches none.
#[component]
pub fn NamedSelect(
    #[prop(into)] name: String,
    #[prop(into)] key: String,
    /// Prefixes the element ids, for two forms on one page with a field of the same name.
    #[prop(optional, into)]
    scope: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] value: String,
    errors: Signal<Option<AppError>>,
    options: Vec<(String, String)>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let message = message_for(errors, key.clone());
    let chosen = submitted_for(errors, &key).map_or(value, Option::unwrap_or_default);
    // Always one of the options: a select whose value matches none would post nothing.
    let chosen = options
        .iter()
        .find(|(v, _)| *v == chosen)
        .or(options.first())
        .map(|(v, _)| v.clone())
        .unwrap_or_default();
    let id = format!("field-{scope}{key}");
    let dom_key = format!("{scope}{key}");
    let hint = hint.filter(|h| !h.is_empty());
    let described = described_by(&dom_key, hint.is_some(), message);
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <FieldLabel id=id.clone() label required=false />
            <select
                id=id.clone()
                name=name
                prop:value=chosen.clone()
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let selected = value == chosen;
                        view! {
                            <option value=value selected=selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldMessage name=dom_key hint message />
        </div>
    }
}

/// A checkbox posting "yes" when ticked.
#[component]
pub fn NamedCheckbox(
    #[prop(into)] name: String,
    #[prop(into)] key: String,
    /// Prefixes the element ids, for two forms on one page with a field of the same name.
    #[prop(optional, into)]
    scope: String,
    #[prop(into)] label: String,
    #[prop(optional)] checked: bool,
    errors: Signal<Option<AppError>>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let message = message_for(errors, key.clone());
    let checked = submitted_for(errors, &key).map_or(checked, |typed| typed.is_some_and(|v| !v.is_empty()));
    let id = format!("field-{scope}{key}");
    let dom_key = format!("{scope}{key}");
    let hint = hint.filter(|h| !h.is_empty());
    let described = described_by(&dom_key, hint.is_some(), message);
    view! {
        <div class="field checkbox" class:has-error=move || message.get().is_some()>
            <input
                id=id.clone()
                type="checkbox"
                name=name
                value="yes"
                checked=checked
                prop:checked=checked
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described
            />
            <label for=id>{label}</label>
            <FieldMessage name=dom_key hint message />
        </div>
    }
}

/// One choice of a `NamedChoices` group: the name it posts under, its key among the form's typed
/// values, and its value (also its label).
#[derive(Clone, Debug)]
pub struct Choice {
    pub name: String,
    pub key: String,
    pub value: String,
}

/// A group of radio buttons (`multiple` false: every choice posts under one name) or checkboxes
/// (each choice its own name), in a fieldset whose legend is the question. `key` names the
/// group's error.
#[component]
pub fn NamedChoices(
    #[prop(into)] key: String,
    #[prop(into)] label: String,
    choices: Vec<Choice>,
    multiple: bool,
    errors: Signal<Option<AppError>>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let message = message_for(errors, key.clone());
    let hint = hint.filter(|h| !h.is_empty());
    let described = described_by(&key, hint.is_some(), message);
    let kind = if multiple { "checkbox" } else { "radio" };
    view! {
        <fieldset class="field choices" class:has-error=move || message.get().is_some() aria-describedby=described>
            <legend>
                {label}
                {required.then_some(view! { <span class="req" aria-hidden="true">" *"</span> })}
            </legend>
            {choices
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let id = format!("field-{key}-{i}");
                    let checked = submitted_for(errors, &c.key).flatten().is_some_and(|typed| typed == c.value);
                    view! {
                        <div class="checkbox">
                            <input
                                id=id.clone()
                                type=kind
                                name=c.name
                                value=c.value.clone()
                                checked=checked
                                required=required && !multiple
                            />
                            <label for=id>{c.value}</label>
                        </div>
                    }
                })
                .collect_view()}
            <FieldMessage name=key hint message />
        </fieldset>
    }
}

/// (value, label) pairs from constant tables.
pub fn options(table: &[(&str, &str)]) -> Vec<(String, String)> {
    table.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect()
}
