//! The login form posts to `/login` (a plain handler that sets the session cookie) and comes
//! back here with `?error=` when the login was refused.

use crate::ui::widgets::{CsrfField, Notice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Login() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let next = query.get("next").unwrap_or_default();
    let email = query.get("email").unwrap_or_default();
    let error = match query.get("error").as_deref() {
        Some("invalid") => Some("That email and password don't match an account. Check both and try again."),
        Some("missing") => Some("Enter your email and your password."),
        Some("code-expired") => Some("Your sign-in waited too long for its code. Log in again."),
        _ => None,
    };
    let notice = match query.get("notice").as_deref() {
        Some("password-set") => Some("Your password is set. Log in with it now."),
        Some("logged-out") => Some("You have logged out."),
        _ => None,
    };
    view! {
        <Title text="Log in" />
        <section class="panel narrow">
            <h1>"Log in"</h1>
            {notice.map(|n| view! { <Notice>{n}</Notice> })}
            {error
                .map(|e| {
                    view! {
                        <div class="alert alert-error" role="alert" id="login-error">
                            {e}
                        </div>
                    }
                })}
            <form method="post" action="/login" class="stack">
                <CsrfField />
                <input type="hidden" name="next" value=next />
                <div class="field">
                    <label for="field-email">"Email"</label>
                    <input
                        id="field-email"
                        type="email"
                        name="email"
                        value=email
                        required
                        autocomplete="username"
                        aria-describedby=error.map(|_| "login-error")
                    />
                </div>
                <div class="field">
                    <label for="field-password">"Password"</label>
                    <input
                        id="field-password"
                        type="password"
                        name="password"
                        required
                        autocomplete="current-password"
                    />
                </div>
                <button type="submit" class="button">
                    "Log in"
                </button>
            </form>
            <p>
                <a href="/forgot-password">"Forgot your password?"</a>
            </p>
        </section>
    }
}

/// The second step for people with two-factor sign-in on: the password was right, and the code
/// posts to `/login/code` (a plain handler, as the password does).
#[component]
pub fn LoginCode() -> impl IntoView {
    use crate::domain::two_factor::{CODE_MALFORMED, CODE_MISSING, CODE_WRONG};
    let error = match use_query_map().get_untracked().get("error").as_deref() {
        Some("missing") => Some(CODE_MISSING),
        Some("malformed") => Some(CODE_MALFORMED),
        Some("wrong") => Some(CODE_WRONG),
        _ => None,
    };
    view! {
        <Title text="Two-factor sign-in" />
        <section class="panel narrow">
            <h1>"Two-factor sign-in"</h1>
            <p>"Enter the 6-digit code your authenticator app shows for Trellis. Lost your phone? Enter one of your recovery codes instead."</p>
            {error
                .map(|e| {
                    view! {
                        <div class="alert alert-error" role="alert" id="code-error">
                            {e}
                        </div>
                    }
                })}
            <form method="post" action="/login/code" class="stack">
                <CsrfField />
                <div class="field">
                    <label for="field-code">"Code"</label>
                    <input
                        id="field-code"
                        type="text"
                        name="code"
                        required
                        autofocus
                        maxlength="24"
                        inputmode="text"
                        autocomplete="one-time-code"
                        aria-describedby=error.map(|_| "code-error")
                    />
                </div>
                <button type="submit" class="button">
                    "Sign in"
                </button>
            </form>
            <p>
                <a href="/login">"Start again with your password"</a>
            </p>
        </section>
    }
}
