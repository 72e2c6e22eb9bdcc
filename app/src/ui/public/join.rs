//! `/join/{slug}`: the public application form of one program.

use super::join_questions::JoinQuestions;
use crate::api::application_questions::QuestionDto;
use crate::api::join::SubmitApplication;
use crate::api::programs::{application_form, ApplicationFormDto, ProgramDto};
use crate::domain::{country, join};
use crate::ui::resource::{resource, PageData};
use crate::ui::widgets::{load, CheckboxField, CsrfField, FormError, Loading, SelectField, TextAreaField, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn slug() -> String {
    use_params_map().get_untracked().get("slug").unwrap_or_default()
}

/// The invitation code of a master partner's join link, when it has the shape of one.
fn invite_code() -> String {
    crate::ui::params::query_param("invite")
        .filter(|code| join::is_invite_code(code))
        .unwrap_or_default()
}

/// The program's own invitation code, for invite-only programs (`/join/{slug}?code=...`).
fn program_code() -> Option<String> {
    crate::ui::params::query_param("code").filter(|c| c.len() <= 64)
}

fn form_for_visitor() -> PageData<Result<ApplicationFormDto, crate::api::error::AppError>> {
    let invite = Some(invite_code()).filter(|c| !c.is_empty());
    resource(
        move || (slug(), program_code(), invite.clone()),
        |(slug, code, invite)| application_form(slug, code, invite),
    )
}

#[component]
pub fn Join() -> impl IntoView {
    let form = form_for_visitor();
    view! {
        {load(
            form,
            move |f: ApplicationFormDto| {
                view! { <ApplicationForm program=f.program questions=f.questions invite=invite_code() /> }.into_any()
            },
        )}
    }
}

#[component]
fn ApplicationForm(program: ProgramDto, questions: Vec<QuestionDto>, invite: String) -> impl IntoView {
    let invited = !invite.is_empty();
    let action = ServerAction::<SubmitApplication>::new();
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let kinds = program.partner_kinds.clone();
    let countries: Vec<(String, String)> = country::all().map(|(c, n)| (c.to_owned(), n.to_owned())).collect();
    view! {
        <Title text=format!("Apply to {}", program.name) />
        {program.brand_stylesheet_url.clone().map(|href| view! { <link rel="stylesheet" href=href /> })}
        <section class="panel form-page branded">
            <div class="brand-line">
                {program
                    .brand_logo_url
                    .clone()
                    .map(|src| view! { <img class="brand-logo" src=src alt="" /> })}
                <p class="eyebrow">{program.brand.clone()}</p>
            </div>
            <h1>{format!("Apply to {}", program.name)}</h1>
            <p class="lead">{program.description.clone()}</p>
            <p class="muted">{format!("Commission and payouts in {}.", program.currency)}</p>
            {invited
                .then(|| {
                    view! {
                        <p class="alert alert-success">
                            "You're applying through a partner's invitation link. If the program approves you, you join as that partner's sub-partner."
                        </p>
                    }
                })}
            <ActionForm action>
                <div class="stack">
                    <FormError errors />
                    <CsrfField />
                    <input type="hidden" name="program_slug" value=program.slug.clone() />
                    <input type="hidden" name="invite" value=invite />
                    <input type="hidden" name="code" value=program.code.clone() />
                    <TextField
                        label="Organization or your name"
                        name="name"
                        required=true
                        autocomplete="organization"
                        maxlength=join::NAME_MAX
                        errors
                    />
                    <TextField
                        label="Email"
                        name="email"
                        kind="email"
                        required=true
                        autocomplete="email"
                        hint="We send the decision and your login link here."
                        errors
                    />
                    <TextField
                        label="Website"
                        name="website"
                        kind="text"
                        autocomplete="url"
                        hint="Optional. Your site, shop or main channel."
                        errors
                    />
                    <div class="field-row">
                        <SelectField
                            label="Kind of partner"
                            name="kind"
                            options=kinds
                            required=true
                            placeholder="Choose one…"
                            errors
                        />
                        <SelectField
                            label="Country"
                            name="country"
                            options=countries
                            required=true
                            placeholder="Choose a country…"
                            errors
                        />
                    </div>
                    <TextAreaField
                        label="How do you plan to promote or sell?"
                        name="promotion_plan"
                        required=true
                        maxlength=join::PLAN_MAX
                        rows=5
                        hint="Your audience, channels and the customers you reach. A few sentences are enough."
                        errors
                    />
                    <JoinQuestions questions errors />
                    <details class="terms">
                        <summary>"Read the program terms"</summary>
                        <pre class="terms-text">{program.terms.clone()}</pre>
                    </details>
                    <CheckboxField label=format!("I accept the terms of {}", program.name) name="accept_terms" errors />
                    <button type="submit" class="button">
                        "Send my application"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn JoinThanks() -> impl IntoView {
    let form = form_for_visitor();
    view! {
        <Title text="Application received" />
        <section class="panel narrow">
            <h1>"Thank you, your application is in"</h1>
            <Suspense fallback=|| {
                view! { <Loading /> }
            }>
                {move || Suspend::new(async move {
                    let name = form.await.map(|f| f.program.name).unwrap_or_else(|_| "the program".into());
                    view! {
                        <p>
                            {format!(
                                "We've sent a confirmation to your email. The {name} team reviews every application and will email you the decision.",
                            )}
                        </p>
                        <p>
                            "When you're approved, the email includes a link to choose your password and open the partner portal."
                        </p>
                    }
                })}
            </Suspense>
            <p>
                <a class="button secondary" href="/">
                    "Back to the start page"
                </a>
            </p>
        </section>
    }
}
