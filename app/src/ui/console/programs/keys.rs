//! A program's API keys: the list, a form that makes a key (shown once), and revoking.

use super::super::id_param;
use super::tabs::{with_program_name, BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::error::AppError;
use crate::api::program_admin::{program_keys, take_new_api_key, ApiKeyDto, CreateApiKey, RevokeApiKey};
use crate::ui::resource::resource;
use crate::ui::widgets::csrf::csrf_token;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, Notice, StatusBadge, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramKeys() -> impl IntoView {
    let id = id_param;
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    // Without JavaScript a new key comes back through the page load, once.
    let keys = resource(
        move || (id(), create.version().get(), revoke.version().get()),
        |(id, _, _)| {
            let token = csrf_token();
            with_program_name(id, async move {
                Ok((program_keys(id).await?, take_new_api_key(token, id).await?))
            })
        },
    );
    let create_errors = Signal::derive(move || create.value().get().and_then(Result::err));
    let revoke_errors = Signal::derive(move || revoke.value().get().and_then(Result::err));
    let secret = move || create.value().get().and_then(Result::ok);
    let revoked = move || matches!(revoke.value().get(), Some(Ok(())));
    view! {
        <Title text="API keys" />
        <BackLink />
        {load(
            keys,
            move |(name, (data, made_without_js))| {
                let program_id = id();
                view! {
                    <ProgramHeader program_id name current=Tab::Keys />
                    <h2>"API keys"</h2>
                    <p class="muted">
                        "Your server uses a key to send conversions and refunds for this program. See the "
                        <a href=Tab::Integration.href(program_id)>"Integration"</a>" tab for the calls."
                    </p>
                    {move || secret().or_else(|| made_without_js.clone()).map(|secret| view! { <SecretBox secret /> })}
                    <Show when=revoked>
                        <Notice>"Key revoked. Calls that use it are now refused with 401."</Notice>
                    </Show>
                    <FormError errors=revoke_errors />
                    <KeyTable keys=data.keys can_manage=data.can_manage revoke program_id />
                    {if data.can_manage {
                        view! { <CreateForm program_id create errors=create_errors /> }.into_any()
                    } else {
                        view! { <p class="muted">{READ_ONLY}</p> }.into_any()
                    }}
                }
                    .into_any()
            },
        )}
    }
}

/// The new key, once. It is not stored anywhere Trellis can show it again.
#[component]
fn SecretBox(secret: String) -> impl IntoView {
    view! {
        <section class="secret" role="status" aria-labelledby="secret-heading">
            <h3 id="secret-heading">"Your new API key"</h3>
            <p>
                <strong>"Copy it now: it won't be shown again."</strong>
                " Trellis keeps only a fingerprint of it. Store it in your server's configuration; if it's lost, make a new key and revoke this one."
            </p>
            <div class="copy-row">
                <code class="secret-value">{secret.clone()}</code>
                <button type="button" class="button secondary" data-copy=secret aria-label="Copy the new API key">
                    "Copy"
                </button>
            </div>
        </section>
    }
}

#[component]
fn KeyTable(
    keys: Vec<ApiKeyDto>,
    can_manage: bool,
    revoke: ServerAction<RevokeApiKey>,
    program_id: i64,
) -> impl IntoView {
    if keys.is_empty() {
        return view! {
            <EmptyState title="No API keys yet">
                <p>
                    {if can_manage {
                        "Make one with the form below, then put it in your server's configuration."
                    } else {
                        "An Admin or a Partner manager can make one."
                    }}
                </p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="fold">
                <caption class="sr-only">"API keys"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Key"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {keys
                        .into_iter()
                        .map(|k| {
                            let status = match k.revoked_at.clone() {
                                Some(at) => {
                                    view! {
                                        <StatusBadge status="rejected".into() label="Revoked".into() />
                                        <span class="muted">{format!(" {at}")}</span>
                                    }
                                        .into_any()
                                }
                                None if can_manage => {
                                    let label = format!("Revoke key {}", k.name);
                                    let key_id = k.id.to_string();
                                    view! {
                                        <StatusBadge status="active".into() label="Active".into() />
                                        " "
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <CsrfField />
                                            <input type="hidden" name="program_id" value=program_id.to_string() />
                                            <input type="hidden" name="key_id" value=key_id />
                                            <button type="submit" class="button danger" aria-label=label>
                                                "Revoke"
                                            </button>
                                        </ActionForm>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! { <StatusBadge status="active".into() label="Active".into() /> }.into_any()
                                }
                            };
                            view! {
                                <tr>
                                    <td data-label="Name">{k.name.clone()}</td>
                                    <td data-label="Key">
                                        <code>{format!("{}…", k.prefix)}</code>
                                    </td>
                                    <td data-label="Created">{k.created_at.clone()}</td>
                                    <td data-label="Status">{status}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn CreateForm(program_id: i64, create: ServerAction<CreateApiKey>, errors: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="create-key-heading">
            <h2 id="create-key-heading">"Make a new key"</h2>
            <FormError errors />
            <ActionForm action=create>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=program_id.to_string() />
                    <TextField
                        label="Key name"
                        name="name"
                        required=true
                        maxlength=80
                        hint="Say where it's used, like “Shop checkout” — it helps when you revoke it later."
                        errors
                    />
                    <button type="submit" class="button">
                        "Create key"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
