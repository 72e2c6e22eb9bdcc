//! The first-run setup: the first admin, the first brand (with its logo) and, if wanted, the
//! first program. A plain file-upload form, the same with or without JavaScript; the server
//! answers with a redirect into the console, or back here with the errors.

use crate::api::setup::{setup_page, SetupPageDto};
use crate::domain::admin::brand_form::LOGO_RULES;
use crate::domain::admin::SETUP_LINK_INVALID as LINK_INVALID;
use crate::ui::console::BrandFields;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError, NewPasswordFields, SelectField, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Setup() -> impl IntoView {
    let token = crate::ui::params::query_param("token");
    let page = resource(move || token.clone(), setup_page);
    let token = crate::ui::params::query_param("token").unwrap_or_default();
    view! {
        <Title text="Set up Trellis" />
        {load(
            page,
            move |d: SetupPageDto| {
                if !d.link_valid {
                    return view! {
                        <section class="panel narrow" role="alert">
                            <h1>"This setup link doesn't work"</h1>
                            <p>{LINK_INVALID}</p>
                        </section>
                    }
                        .into_any();
                }
                view! { <SetupForm d token=token.clone() /> }.into_any()
            },
        )}
    }
}

#[component]
fn SetupForm(d: SetupPageDto, token: String) -> impl IntoView {
    let errors = Signal::stored(d.refusal.clone());
    let logo_error = d
        .refusal
        .as_ref()
        .and_then(|e| e.field_errors().and_then(|f| f.get("logo").map(str::to_owned)));
    let has_logo_error = logo_error.is_some();
    view! {
        <section class="panel setup">
            <h1>"Set up Trellis"</h1>
            <p class="lead">
                "Three things and you're running: your admin account, your company's brand and, if you like, its first program. You can change all of it later in the console."
            </p>
            <FormError errors />
            <form method="post" action="/setup" enctype="multipart/form-data" class="stack">
                <CsrfField />
                <input type="hidden" name="token" value=token />
                <fieldset>
                    <legend>"Your admin account"</legend>
                    <div class="field-row">
                        <TextField label="Your name" name="admin_name" required=true maxlength=120 autocomplete="name" errors />
                        <TextField
                            label="Your email"
                            name="admin_email"
                            kind="email"
                            required=true
                            maxlength=254
                            autocomplete="email"
                            errors
                        />
                    </div>
                    <NewPasswordFields errors />
                </fieldset>
                <BrandFields brand=None errors />
                <div class="field" class:has-error=has_logo_error>
                    <label for="field-logo">"Brand logo (optional)"</label>
                    <input id="field-logo" type="file" name="logo" accept="image/png,image/jpeg,image/webp" aria-describedby="logo-hint" />
                    <p class="hint" id="logo-hint">{LOGO_RULES}</p>
                    {logo_error.map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <fieldset>
                    <legend>"First program (optional)"</legend>
                    <p class="hint">"Leave the name empty to create programs later from the console."</p>
                    <div class="field-row">
                        <TextField label="Program name" name="program_name" maxlength=120 errors />
                        <TextField
                            label="Program address"
                            name="program_slug"
                            maxlength=63
                            hint="Its join page: /join/your-address. Lowercase letters, digits and hyphens."
                            errors
                        />
                    </div>
                    <div class="field-row">
                        <SelectField label="Program kind" name="program_kind" options=d.kinds.clone() selected="affiliate".to_owned() errors />
                        <SelectField
                            label="Who may apply"
                            name="program_access"
                            options=vec![
                                ("public".to_owned(), "Anyone".to_owned()),
                                ("invite".to_owned(), "Only people I invite".to_owned()),
                            ]
                            selected="public".to_owned()
                            errors
                        />
                    </div>
                </fieldset>
                <button type="submit" class="button">
                    "Set up Trellis"
                </button>
            </form>
        </section>
    }
}
