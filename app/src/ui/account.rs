//! Account settings shared by the portal and the console.

use crate::api::auth::ChangePassword;
use crate::ui::widgets::{CsrfField, FormError, NewPasswordFields, Notice, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ChangePasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <section class="panel narrow" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change your password"</h2>
            <Show when=saved>
                <Notice>"Your password was changed. Other sessions have been logged out."</Notice>
            </Show>
            <ActionForm action>
                <div class="stack">
                    <FormError errors />
                    <CsrfField />
                    <TextField
                        label="Current password"
                        name="current_password"
                        kind="password"
                        required=true
                        autocomplete="current-password"
                        errors
                    />
                    <NewPasswordFields errors />
                    <button type="submit" class="button">
                        "Change password"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The settings page of both the portal and the console.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Title text="Settings" />
        <h1>"Settings"</h1>
        <ChangePasswordForm />
    }
}
