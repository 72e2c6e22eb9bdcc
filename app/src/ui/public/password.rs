//! Asking for a reset link, and choosing a password from a reset or invitation link.

use crate::api::auth::{password_token_is_valid, RequestPasswordReset, SetPassword as SetPasswordFn};
use crate::ui::resource::resource;
use crate::ui::widgets::{CsrfField, ErrorPanel, FormError, Loading, NewPasswordFields, Notice, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let sent = use_query_map().get_untracked().get("sent").is_some();
    view! {
        <Title text="Reset your password" />
        <section class="panel narrow">
            <h1>"Reset your password"</h1>
            {sent
                .then(|| {
                    view! {
                        <Notice>
                            "If that address has an account, a reset link is on its way. It works once and expires in 1 hour."
                        </Notice>
                    }
                })}
            <p>"Enter the email address of your account. We'll send you a link to choose a new password."</p>
            <ActionForm action>
                <div class="stack">
                    <FormError errors />
                    <CsrfField />
                    <TextField label="Email" name="email" kind="email" required=true autocomplete="email" errors />
                    <button type="submit" class="button">
                        "Send the reset link"
                    </button>
                </div>
            </ActionForm>
            <p>
                <a href="/login">"Back to log in"</a>
            </p>
        </section>
    }
}

#[component]
pub fn SetPassword() -> impl IntoView {
    let token = use_query_map().get_untracked().get("token").unwrap_or_default();
    let valid = resource(
        {
            let token = token.clone();
            move || token.clone()
        },
        password_token_is_valid,
    );
    let action = ServerAction::<SetPasswordFn>::new();
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Title text="Choose a password" />
        <section class="panel narrow">
            <h1>"Choose a password"</h1>
            <Suspense fallback=|| {
                view! { <Loading /> }
            }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match valid.await {
                            Ok(true) => {
                                view! {
                                    <ActionForm action>
                                        <div class="stack">
                                            <FormError errors />
                                            <CsrfField />
                                            <input type="hidden" name="token" value=token />
                                            <NewPasswordFields errors />
                                            <button type="submit" class="button">
                                                "Save my password"
                                            </button>
                                        </div>
                                    </ActionForm>
                                }
                                    .into_any()
                            }
                            Ok(false) => {
                                view! {
                                    <div class="alert alert-error" role="alert">
                                        {crate::api::auth::EXPIRED_LINK_MESSAGE}
                                    </div>
                                    <p>
                                        <a class="button" href="/forgot-password">
                                            "Send me a new link"
                                        </a>
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
