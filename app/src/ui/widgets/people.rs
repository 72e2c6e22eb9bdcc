//! Managing people, shared by the console's Operators page and the portal's Team page: what
//! each role may do, the fields of an invitation, and the inside of a "change role" form.

use super::{SelectField, TextField};
use crate::api::error::AppError;
use leptos::prelude::*;

/// Each role's label and what it may do.
#[component]
pub fn RolePromises(promises: Vec<(String, String)>) -> impl IntoView {
    view! {
        <dl class="role-promises">
            {promises
                .into_iter()
                .map(|(label, promise)| view! {
                    <dt>{label}</dt>
                    <dd>{promise}</dd>
                })
                .collect_view()}
        </dl>
    }
}

/// Name, email and role of the person to invite, `selected` the role offered first.
#[component]
pub fn InviteeFields(
    roles: Vec<(String, String)>,
    #[prop(into)] selected: String,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <div class="field-row">
            <TextField label="Name" name="name" required=true maxlength=120 errors />
            <TextField label="Email" name="email" kind="email" required=true maxlength=254 errors />
            <SelectField label="Role" name="role" options=roles selected required=true errors />
        </div>
    }
}

/// The inside of a "change role" form: which person (`id`), what changes (`what=role`), and the
/// role to give, chosen from `roles` with the person's `current` one selected. The caller's form
/// adds the token and the button.
#[component]
pub fn RoleChangeFields(
    id: i64,
    /// Whose role, for the label screen readers read ("Role of Vera").
    #[prop(into)]
    whose: String,
    /// (value, label)
    roles: Vec<(String, String)>,
    #[prop(into)] current: String,
) -> impl IntoView {
    let field = format!("role-{id}");
    view! {
        <input type="hidden" name="id" value=id.to_string() />
        <input type="hidden" name="what" value="role" />
        <label class="sr-only" for=field.clone()>
            {format!("Role of {whose}")}
        </label>
        <select id=field name="role">
            {roles
                .into_iter()
                .map(|(value, text)| {
                    let selected = value == current;
                    view! {
                        <option value=value selected=selected>
                            {text}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}
