//! `/portal/deals/new`: the registration form. Errors show beside their fields, with what was
//! typed kept, with or without JavaScript.

use crate::api::deals::portal::{register_options, RegisterDeal, RegisterOptionsDto};
use crate::api::error::AppError;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, SelectField, TextAreaField, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewDeal() -> impl IntoView {
    let action = ServerAction::<RegisterDeal>::new();
    let options = resource(|| (), |_| register_options());
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Title text="Register a deal" />
        <p>
            <a href="/portal/deals">"← Your deals"</a>
        </p>
        <h1>"Register a deal"</h1>
        {load(options, move |o| view! { <RegisterForm o action errors /> }.into_any())}
    }
}

#[component]
fn RegisterForm(
    o: RegisterOptionsDto,
    action: ServerAction<RegisterDeal>,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    if let Some(refusal) = o.refusal.clone() {
        return view! {
            <EmptyState title="You can't register deals yet">
                <p>{refusal}</p>
            </EmptyState>
        }
        .into_any();
    }
    let programs: Vec<(String, String)> = o
        .programs
        .iter()
        .map(|p| {
            (
                p.id.to_string(),
                format!("{} (protection {} days)", p.name, p.protection_days),
            )
        })
        .collect();
    let currencies: Vec<(String, String)> = o.currencies.iter().map(|c| (c.clone(), c.clone())).collect();
    let first_currency = o.currencies.first().cloned();
    let several = o.programs.len() > 1;
    let activities: Vec<(String, String)> = o
        .programs
        .iter()
        .flat_map(|p| {
            p.activities.iter().map(move |(id, label)| {
                let label = if several {
                    format!("{}: {label}", p.name)
                } else {
                    label.clone()
                };
                (id.to_string(), label)
            })
        })
        .collect();
    view! {
        <section class="panel">
            <p class="muted">
                "Once approved, the account is yours for the program's protection window: nobody else can register it. You'll get an email when the program team decides."
            </p>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <SelectField label="Program" name="program_id" errors options=programs required=true />
                    <fieldset class="rule">
                        <legend>"The prospect"</legend>
                        <TextField label="Company" name="company" errors required=true maxlength=200 />
                        <TextField
                            label="Website or domain"
                            name="domain"
                            errors
                            required=true
                            hint="Like acme.com. This decides whether the account is already registered."
                            maxlength=300
                        />
                        <SelectField
                            label="Country"
                            name="country"
                            errors
                            options=o.countries.clone()
                            required=true
                            placeholder="Choose a country"
                        />
                    </fieldset>
                    <fieldset class="rule">
                        <legend>"Contact"</legend>
                        <TextField label="Contact name" name="contact_name" errors required=true maxlength=120 />
                        <TextField label="Contact email" name="contact_email" kind="email" errors required=true />
                        <TextField label="Title" name="contact_title" errors maxlength=120 />
                    </fieldset>
                    <fieldset class="rule">
                        <legend>"The deal"</legend>
                        <ProductChoices o=o.clone() errors />
                        <TextField
                            label="Estimated value"
                            name="value"
                            errors
                            required=true
                            hint="In the program's currency, like 12500.00."
                        />
                        <SelectField
                            label="Currency"
                            name="currency"
                            errors
                            options=currencies
                            required=true
                            selected=first_currency.unwrap_or_default()
                        />
                        <TextField label="Expected close date" name="expected_close" kind="date" errors required=true />
                        <TextAreaField label="Notes" name="notes" errors maxlength=4000 rows=3 />
                        {(!activities.is_empty())
                            .then(|| {
                                view! {
                                    <SelectField
                                        label="MDF activity that sourced it"
                                        name="mdf_request"
                                        errors
                                        options=activities.clone()
                                        placeholder="None"
                                    />
                                }
                            })}
                    </fieldset>
                    <button type="submit" class="button">
                        "Register the deal"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
        .into_any()
}

/// One group of product boxes per program (the server checks they belong to the chosen one).
#[component]
fn ProductChoices(o: RegisterOptionsDto, errors: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || {
        errors
            .get()
            .and_then(|e| e.field_errors().and_then(|f| f.get("products").map(str::to_owned)))
    };
    let several = o.programs.len() > 1;
    view! {
        <fieldset class="subfields" aria-describedby="field-products-error">
            <legend>"Products"</legend>
            {o
                .programs
                .iter()
                .filter(|p| !p.products.is_empty())
                .map(|p| {
                    view! {
                        {several.then(|| view! { <p class="muted">{p.name.clone()}</p> })}
                        {p
                            .products
                            .iter()
                            .map(|(id, name)| {
                                let input_id = format!("product-{id}");
                                view! {
                                    <div class="field checkbox">
                                        <input
                                            id=input_id.clone()
                                            type="checkbox"
                                            name="products[]"
                                            value=id.to_string()
                                        />
                                        <label for=input_id>{name.clone()}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    }
                })
                .collect_view()}
            <p class="field-error" id="field-products-error" role="alert">
                {message}
            </p>
        </fieldset>
    }
}
