//! Messages: errors, notices, empty states, loading, status badges.

use crate::api::error::AppError;
use leptos::prelude::*;

/// A whole-page error, with a way out. Sets the HTTP status when rendered on the server.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    super::super::http_status::set(error.status());
    let (title, action) = match &error {
        AppError::Unauthenticated => ("Please log in", Some(("/login", "Log in"))),
        AppError::Forbidden => ("Not allowed", Some(("/", "Go to the start page"))),
        AppError::NotFound(_) => ("Not found", Some(("/", "Go to the start page"))),
        AppError::Unavailable => ("Temporarily unavailable", None),
        _ => ("Something went wrong", None),
    };
    view! {
        <section class="panel error-panel" role="alert">
            <h2>{title}</h2>
            <p>{error.to_string()}</p>
            {action
                .map(|(href, label)| {
                    view! {
                        <p>
                            <a class="button secondary" href=href>
                                {label}
                            </a>
                        </p>
                    }
                })}
        </section>
    }
}

/// The form-level message of a failed submission (field messages sit beside their fields).
#[component]
pub fn FormError(errors: Signal<Option<AppError>>) -> impl IntoView {
    let text = move || {
        errors.get().map(
            |e| match e.field_errors().and_then(|f| f.get("token").map(str::to_owned)) {
                Some(token_message) => token_message,
                None => e.to_string(),
            },
        )
    };
    view! {
        <Show when=move || errors.with(|e| e.is_some())>
            <div class="alert alert-error" role="alert">
                {text}
            </div>
        </Show>
    }
}

#[component]
pub fn Notice(children: Children) -> impl IntoView {
    view! {
        <div class="alert alert-success" role="status">
            {children()}
        </div>
    }
}

#[component]
pub fn EmptyState(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="empty-state">
            <h3>{title}</h3>
            <div>{children()}</div>
        </div>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" aria-live="polite">
            "Loading…"
        </p>
    }
}

#[component]
pub fn StatusBadge(status: String, label: String) -> impl IntoView {
    view! { <span class=format!("badge badge-{status}")>{label}</span> }
}
