//! Account settings shared by the portal and the console.

use crate::api::auth::ChangePassword;
use crate::ui::widgets::{CsrfField, FormError, NewPasswordFields, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ChangePasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    // The new session id makes every form's CSRF token on this page stale: load it again, with
    // fresh tokens; the message waits in the session (without JavaScript the post's redirect
    // does the same).
    Effect::new(move |_| {
        if saved() {
            let _ = window().location().reload();
        }
    });
    view! {
        <section class="panel narrow" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change your password"</h2>
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
        <crate::ui::two_factor::TwoFactorPanel />
        <crate::ui::signed_in::SignedInPanel />
    }
}
