//! The partner agreements of the person's programs. A version waiting for them comes first, with
//! what changed since the one they accepted; accepting it opens the rest of the portal (every
//! portal page sends them here until then).

use crate::api::agreements::{my_agreements, AcceptAgreement, AgreementDto};
use crate::domain::redirect::portal_return_path;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Agreements() -> impl IntoView {
    let accept = ServerAction::<AcceptAgreement>::new();
    let data = resource(move || accept.version().get(), |_| my_agreements());
    let errors = Signal::derive(move || accept.value().get().and_then(Result::err));
    let next = use_query_map()
        .get_untracked()
        .get("next")
        .and_then(|n| portal_return_path(&n))
        .unwrap_or_else(|| "/portal".to_owned());
    view! {
        <Title text="Partner agreements" />
        <h1>"Partner agreements"</h1>
        <FormError errors />
        {load(
            data,
            move |agreements: Vec<AgreementDto>| view! { <List agreements accept next=next.clone() /> }.into_any(),
        )}
    }
}

#[component]
fn List(agreements: Vec<AgreementDto>, accept: ServerAction<AcceptAgreement>, next: String) -> impl IntoView {
    if agreements.is_empty() {
        return view! {
            <EmptyState title="No agreement to accept">
                <p>"When a program you're in publishes a partner agreement, you read and accept it here."</p>
            </EmptyState>
        }
        .into_any();
    }
    let waiting = agreements.iter().filter(|a| a.accepted_at.is_none()).count();
    view! {
        {match waiting {
            0 => {
                view! {
                    <p class="alert alert-success" role="status">
                        "You have accepted every agreement in force. "
                        <a href=next>"Continue to your portal"</a>
                    </p>
                }
                    .into_any()
            }
            n => {
                view! {
                    <p class="alert alert-warning" role="status">
                        {if n == 1 {
                            "Please read and accept your program's partner agreement to continue.".to_owned()
                        } else {
                            format!("Please read and accept these {n} partner agreements to continue.")
                        }}
                    </p>
                }
                    .into_any()
            }
        }}
        {agreements.into_iter().map(|a| view! { <Agreement a accept /> }).collect_view()}
    }
    .into_any()
}

#[component]
fn Agreement(a: AgreementDto, accept: ServerAction<AcceptAgreement>) -> impl IntoView {
    let heading_id = format!("agreement-{}", a.id);
    let labelled_by = heading_id.clone();
    let text = view! { <div class="prose agreement-text" tabindex="0" inner_html=a.html.clone()></div> };
    match a.accepted_at.clone() {
        Some(at) => view! {
            <section class="panel" aria-labelledby=labelled_by>
                <h2 id=heading_id>{format!("{}: {}", a.program_name, a.title)}</h2>
                <p class="muted">{format!("Version {} · accepted {at} · text {}", a.version, a.fingerprint)}</p>
                <details>
                    <summary>"Read the text"</summary>
                    {text}
                </details>
            </section>
        }
        .into_any(),
        None => view! {
            <section class="panel agreement-due" aria-labelledby=labelled_by>
                <h2 id=heading_id>{format!("{}: {}", a.program_name, a.title)}</h2>
                <p class="muted">{format!("Version {} · published {}", a.version, a.published_at)}</p>
                {a.last_accepted_version.map(|earlier| {
                    view! {
                        <div class="alert alert-info">
                            <strong>{format!("What changed since version {earlier}, which you accepted:")}</strong>
                            <p>{a.changes.clone()}</p>
                        </div>
                    }
                })}
                {text}
                <ActionForm action=accept>
                    <CsrfField />
                    <input type="hidden" name="agreement_id" value=a.id.to_string() />
                    <button type="submit" class="button">
                        {format!("I accept version {} of the {} agreement", a.version, a.program_name)}
                    </button>
                </ActionForm>
            </section>
        }
        .into_any(),
    }
}
