//! Labelled form fields that show their own error beside the input.

use crate::api::error::AppError;
use leptos::prelude::*;

/// What was typed in one field, when the form came back with errors that carry typed values:
/// `None` when it didn't, `Some(None)` when it did but not for this field (an unticked box).
pub(super) fn submitted_for(errors: Signal<Option<AppError>>, key: &str) -> Option<Option<String>> {
    errors.with_untracked(|e| {
        e.as_ref()
            .and_then(AppError::field_errors)
            .filter(|f| !f.submitted.is_empty())
            .map(|f| f.submitted(key).map(str::to_owned))
    })
}

/// The message for one field out of a form's latest error.
pub(super) fn message_for(errors: Signal<Option<AppError>>, key: impl Into<String>) -> Signal<Option<String>> {
    let key = key.into();
    Signal::derive(move || {
        errors.with(|e| {
            e.as_ref()
                .and_then(AppError::field_errors)
                .and_then(|f| f.get(&key))
                .map(str::to_owned)
        })
    })
}

/// The hint under a field and its error, with the ids `aria-describedby` points at.
#[component]
pub(super) fn FieldMessage(
    #[prop(into)] name: String,
    message: Signal<Option<String>>,
    #[prop(optional_no_strip, into)] hint: Option<String>,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    view! {
        {hint
            .map(|h| {
                view! {
                    <p class="hint" id=format!("{name}-hint")>
                        {h}
                    </p>
                }
            })}
        <Show when=move || message.get().is_some()>
            <p class="field-error" id=error_id.clone() role="alert">
                {move || message.get()}
            </p>
        </Show>
    }
}

pub(super) fn described_by(name: &str, hint: bool, message: Signal<Option<String>>) -> impl Fn() -> Option<String> {
    let (hint_id, error_id) = (format!("{name}-hint"), format!("{name}-error"));
    move || {
        let mut ids = Vec::new();
        if hint {
            ids.push(hint_id.clone());
        }
        if message.get().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

#[component]
pub(super) fn FieldLabel(id: String, #[prop(into)] label: String, required: bool) -> impl IntoView {
    view! {
        <label for=id>
            {label}
            {required
                .then_some(
                    view! {
                        <span class="req" aria-hidden="true">
                            " *"
                        </span>
                    },
                )}
        </label>
    }
}

#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    errors: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let message = message_for(errors, name);
    let id = format!("field-{name}");
    let value = if kind == "password" {
        None
    } else {
        submitted_for(errors, name).flatten().or(value)
    };
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <FieldLabel id=id.clone() label required />
            <input
                id=id
                type=kind
                name=name
                value=value
                required=required
                autocomplete=autocomplete
                maxlength=maxlength
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described_by(name, hint.is_some(), message)
            />
            <FieldMessage name message hint=hint />
        </div>
    }
}

#[component]
pub fn TextAreaField(
    label: &'static str,
    name: &'static str,
    errors: Signal<Option<AppError>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional, into)] value: Option<String>,
) -> impl IntoView {
    let message = message_for(errors, name);
    let id = format!("field-{name}");
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <FieldLabel id=id.clone() label required />
            <textarea
                id=id
                name=name
                rows=rows
                required=required
                maxlength=maxlength
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described_by(name, hint.is_some(), message)
            >
                {submitted_for(errors, name).flatten().or(value)}
            </textarea>
            <FieldMessage name message hint=hint.map(str::to_owned) />
        </div>
    }
}

#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    errors: Signal<Option<AppError>>,
    /// (value, label) pairs.
    options: Vec<(String, String)>,
    #[prop(optional)] required: bool,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional, into)] selected: Option<String>,
) -> impl IntoView {
    let message = message_for(errors, name);
    let chosen = submitted_for(errors, name).flatten().or(selected);
    let id = format!("field-{name}");
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <FieldLabel id=id.clone() label required />
            <select
                id=id
                name=name
                required=required
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described_by(name, false, message)
            >
                {placeholder.map(|p| view! { <option value="">{p}</option> })}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = chosen.as_deref() == Some(value.as_str());
                        view! {
                            <option value=value selected=is_selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldMessage name message />
        </div>
    }
}

/// A file input with its hint and inline error (for plain multipart forms).
#[component]
pub fn FileField(
    label: &'static str,
    name: &'static str,
    errors: Signal<Option<AppError>>,
    /// The `accept` attribute: what the browser's picker offers.
    accept: &'static str,
    #[prop(into)] hint: String,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let message = message_for(errors, name);
    let id = format!("field-{name}");
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <FieldLabel id=id.clone() label required />
            <input
                id=id
                type="file"
                name=name
                accept=accept
                required=required
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described_by(name, true, message)
            />
            <FieldMessage name message hint=Some(hint) />
        </div>
    }
}

#[component]
pub fn CheckboxField(label: String, name: &'static str, errors: Signal<Option<AppError>>) -> impl IntoView {
    let message = message_for(errors, name);
    let id = format!("field-{name}");
    view! {
        <div class="field checkbox" class:has-error=move || message.get().is_some()>
            <input
                id=id.clone()
                type="checkbox"
                checked=submitted_for(errors, name).flatten().is_some_and(|v| !v.is_empty())
                name=name
                value="yes"
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described_by(name, false, message)
            />
            <label for=id>{label}</label>
            <FieldMessage name message />
        </div>
    }
}

/// A group of checkboxes posted as `name[]`, one value per ticked box. `options` are
/// `(value, label, ticked)`; after a refused post the submitted values (comma-joined under
/// `name`) are ticked instead.
#[component]
pub fn CheckboxList(
    legend: &'static str,
    name: &'static str,
    options: Vec<(String, String, bool)>,
    errors: Signal<Option<AppError>>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let message = message_for(errors, name);
    let submitted = submitted_for(errors, name).flatten();
    view! {
        <fieldset class="checkbox-list" class:has-error=move || message.get().is_some()>
            <legend>{legend}</legend>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            {options
                .into_iter()
                .map(|(value, label, ticked)| {
                    let id = format!("{name}-{value}");
                    let ticked = submitted.as_ref().map_or(ticked, |s| s.split(',').any(|v| v == value));
                    view! {
                        <div class="field checkbox">
                            <input id=id.clone() type="checkbox" name=format!("{name}[]") value=value checked=ticked />
                            <label for=id>{label}</label>
                        </div>
                    }
                })
                .collect_view()}
            <FieldMessage name message />
        </fieldset>
    }
}

/// A filter form's program choice: "All programs" (empty) or one of `programs` (id, name).
#[component]
pub fn ProgramFilter(id: &'static str, programs: Vec<(i64, String)>, selected: Option<i64>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>"Program"</label>
            <select id=id name="program">
                <option value="">"All programs"</option>
                {programs
                    .into_iter()
                    .map(|(program, name)| {
                        view! {
                            <option value=program.to_string() selected=selected == Some(program)>
                                {name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A new password and its confirmation, with the rule stated once (`domain::password`).
#[component]
pub fn NewPasswordFields(errors: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <TextField
            label="New password"
            name="password"
            kind="password"
            required=true
            autocomplete="new-password"
            hint="At least 10 characters. A short sentence works well."
            errors
        />
        <TextField
            label="Repeat the new password"
            name="password_confirm"
            kind="password"
            required=true
            autocomplete="new-password"
            errors
        />
    }
}
