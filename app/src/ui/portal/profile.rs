//! `/portal/profile`: what operators read about the partner (website, what it is about, how it
//! promotes). Owners and admins edit it; everyone else reads it.

use crate::api::onboarding::{my_profile, ProfileDto, SaveProfile};
use crate::domain::onboarding::profile::ABOUT_MAX;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CheckboxList, CsrfField, FormError, Notice, TextAreaField, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Profile() -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let data = resource(move || save.version().get(), |_| my_profile());
    let errors = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <Title text="Profile" />
        <h1>"Profile"</h1>
        <p class="lead">"What program managers read about you when they review your application and your work."</p>
        {move || save.value().get().and_then(Result::ok).map(|message| view! { <Notice>{message}</Notice> })}
        {load(
            data,
            move |p: ProfileDto| {
                let status = match &p.missing {
                    None => "Your profile is complete.".to_owned(),
                    Some(missing) => format!("To complete your profile, add {missing}."),
                };
                view! {
                    <p class=if p.missing.is_none() { "muted" } else { "notice-inline" }>{status}</p>
                    {if p.may_edit {
                        view! { <ProfileForm p save errors /> }.into_any()
                    } else {
                        view! { <ProfileFacts p /> }.into_any()
                    }}
                }
            },
        )}
    }
}

#[component]
fn ProfileForm(
    p: ProfileDto,
    save: ServerAction<SaveProfile>,
    errors: Signal<Option<crate::api::error::AppError>>,
) -> impl IntoView {
    view! {
        <section class="panel narrow" aria-label="Your profile">
            <ActionForm action=save>
                <div class="stack">
                    <FormError errors />
                    <CsrfField />
                    <TextField
                        label="Website or main profile"
                        name="website"
                        value=p.website
                        maxlength=300
                        hint="Where your audience finds you: your site, channel or company page."
                        errors
                    />
                    <TextAreaField
                        label="About you"
                        name="about"
                        value=p.about
                        maxlength=ABOUT_MAX
                        rows=5
                        hint="Who your audience or customers are, and what you offer them."
                        errors
                    />
                    <CheckboxList legend="How you promote" name="channels" options=p.channels errors />
                    <button type="submit" class="button">
                        "Save profile"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The profile as read by a member or finance person (owners and admins edit it).
#[component]
fn ProfileFacts(p: ProfileDto) -> impl IntoView {
    let or_none = |v: String| if v.is_empty() { "Not given yet".to_owned() } else { v };
    let channels: Vec<String> = p.channels.into_iter().filter(|c| c.2).map(|c| c.1).collect();
    view! {
        <section class="panel narrow" aria-label="Your profile">
            <dl class="facts">
                <dt>"Website or main profile"</dt>
                <dd>{or_none(p.website)}</dd>
                <dt>"About you"</dt>
                <dd class="prewrap">{or_none(p.about)}</dd>
                <dt>"How you promote"</dt>
                <dd>{or_none(channels.join(", "))}</dd>
            </dl>
            <p class="muted">"An owner or admin of your team edits the profile."</p>
        </section>
    }
}
