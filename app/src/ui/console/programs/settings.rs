//! A program's tracking settings: a form for Admins and Partner managers, a
//! read-only summary for everyone else, and above them the links a change of the allowed
//! domains left off the list.

use super::super::id_param;
use super::off_domain::OffDomainLinks;
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::error::AppError;
use crate::api::off_domain_links::{off_domain_links, SwitchOffLinks};
use crate::api::program_admin::{program_settings, ProgramSettingsDto, SaveProgramSettings};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError, Notice, SelectField, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramSettings() -> impl IntoView {
    let id = id_param;
    let action = ServerAction::<SaveProgramSettings>::new();
    let settings = resource(move || (id(), action.version().get()), |(id, _)| program_settings(id));
    let switch_off = ServerAction::<SwitchOffLinks>::new();
    let off_domain = resource(
        move || (id(), action.version().get(), switch_off.version().get()),
        |(id, _, _)| off_domain_links(id),
    );
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Tracking settings" />
        <BackLink />
        {load(
            settings,
            move |s| {
                view! {
                    <ProgramHeader program_id=s.id name=s.name.clone() current=Tab::Settings />
                    <h2>"Tracking settings"</h2>
                    <Show when=saved>
                        <Notice>"Settings saved."</Notice>
                    </Show>
                    <OffDomainLinks program_id=s.id data=off_domain action=switch_off />
                    {if s.can_manage {
                        view! { <SettingsForm s=s.clone() action errors /> }.into_any()
                    } else {
                        view! { <ReadOnly s=s.clone() /> }.into_any()
                    }}
                    <crate::ui::console::two_factor_rules::ProgramTwoFactor program_id=s.id />
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn SettingsForm(
    s: ProgramSettingsDto,
    action: ServerAction<SaveProgramSettings>,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    let models = vec![
        (
            "last_click".to_owned(),
            "Last click: the most recent partner link wins".to_owned(),
        ),
        (
            "first_click".to_owned(),
            "First click: the first partner link wins".to_owned(),
        ),
    ];
    view! {
        <section class="panel" aria-labelledby="settings-form-heading">
            <h3 id="settings-form-heading" class="sr-only">
                "Change the tracking settings"
            </h3>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="id" value=s.id.to_string() />
                    <DomainsField current=s.allowed_domains.join("\n") errors />
                    <TextField
                        label="Default landing page"
                        name="default_landing_url"
                        value=s.default_landing_url.clone()
                        hint="Approved partners get a ready-made link to this page, like https://shop.example.com/. It must be on an allowed domain. Leave it empty and partners make their own links."
                        maxlength=2000
                        errors
                    />
                    <div class="field-row">
                        <TextField
                            label="Cookie window (days)"
                            name="cookie_days"
                            value=s.cookie_days.to_string()
                            required=true
                            hint="How long after a click a sale still counts for the partner: 1 to 365 days."
                            maxlength=3
                            errors
                        />
                        <TextField
                            label="Click-id parameter"
                            name="click_param"
                            value=s.click_param.clone()
                            required=true
                            hint="The query parameter that carries the click id to your site, like tid. Letters, digits and underscores."
                            maxlength=32
                            errors
                        />
                    </div>
                    <SelectField
                        label="Attribution model"
                        name="attribution_model"
                        options=models
                        selected=s.attribution_model.clone()
                        required=true
                        errors
                    />
                    <p class="hint">
                        "Last click: when a visitor clicked several partners' links, the newest click wins. First click: the first click within the cookie window keeps the credit."
                    </p>
                    <CouponsField current=s.coupons_override errors />
                    <p class="hint">
                        "Changes apply to clicks and conversions from now on; what was already recorded keeps its commission."
                    </p>
                    <button type="submit" class="button">
                        "Save settings"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

/// A field's message out of the form's latest error.
fn message_for(errors: Signal<Option<AppError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors.with(|e| {
            e.as_ref()
                .and_then(AppError::field_errors)
                .and_then(|f| f.get(name))
                .map(str::to_owned)
        })
    })
}

/// What was submitted in a field when the form came back with errors.
fn submitted_for(errors: Signal<Option<AppError>>, name: &'static str) -> Option<String> {
    errors.with_untracked(|e| {
        e.as_ref()
            .and_then(AppError::field_errors)
            .and_then(|f| f.submitted(name))
            .map(str::to_owned)
    })
}

/// The allowed domains, one per line, filled with the saved list (the shared text area widget
/// starts empty).
#[component]
fn DomainsField(current: String, errors: Signal<Option<AppError>>) -> impl IntoView {
    let message = message_for(errors, "allowed_domains");
    let text = submitted_for(errors, "allowed_domains").unwrap_or(current);
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for="field-allowed_domains">"Allowed landing domains"</label>
            <textarea
                id="field-allowed_domains"
                name="allowed_domains"
                rows=4
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=move || {
                    if message.get().is_some() {
                        "allowed_domains-hint allowed_domains-error"
                    } else {
                        "allowed_domains-hint"
                    }
                }
            >
                {text}
            </textarea>
            <p class="hint" id="allowed_domains-hint">
                "One domain per line, like shop.example.com. Partners' links may lead to these domains and their subdomains only."
            </p>
            <Show when=move || message.get().is_some()>
                <p class="field-error" id="allowed_domains-error" role="alert">
                    {move || message.get()}
                </p>
            </Show>
        </div>
    }
}

/// "Coupons win over clicks", ticked when saved so (the shared checkbox widget starts unticked).
#[component]
fn CouponsField(current: bool, errors: Signal<Option<AppError>>) -> impl IntoView {
    let checked = submitted_for(errors, "coupons_override").map_or(current, |v| !v.is_empty());
    view! {
        <div class="field checkbox">
            <input
                id="field-coupons_override"
                type="checkbox"
                name="coupons_override"
                value="yes"
                checked=checked
                aria-describedby="coupons_override-hint"
            />
            <label for="field-coupons_override">"Coupons win over clicks"</label>
            <p class="hint" id="coupons_override-hint">
                "When a sale comes with both a partner's coupon code and a tracked click, the coupon's partner gets the credit. Unticked, the click wins."
            </p>
        </div>
    }
}

#[component]
fn ReadOnly(s: ProgramSettingsDto) -> impl IntoView {
    let model = if s.attribution_model == "first_click" {
        "First click"
    } else {
        "Last click"
    };
    view! {
        <section class="panel">
            <p class="muted">{READ_ONLY}</p>
            <dl class="facts">
                <dt>"Allowed landing domains"</dt>
                <dd>
                    {if s.allowed_domains.is_empty() {
                        "None yet: partners can't make links until one is added.".to_owned()
                    } else {
                        s.allowed_domains.join(", ")
                    }}
                </dd>
                <dt>"Default landing page"</dt>
                <dd>
                    {if s.default_landing_url.is_empty() { "—".to_owned() } else { s.default_landing_url.clone() }}
                </dd>
                <dt>"Cookie window (days)"</dt>
                <dd>{s.cookie_days}</dd>
                <dt>"Attribution model"</dt>
                <dd>{model}</dd>
                <dt>"Click-id parameter"</dt>
                <dd>
                    <code>{s.click_param.clone()}</code>
                </dd>
                <dt>"Coupons win over clicks"</dt>
                <dd>{if s.coupons_override { "Yes" } else { "No" }}</dd>
            </dl>
        </section>
    }
}
