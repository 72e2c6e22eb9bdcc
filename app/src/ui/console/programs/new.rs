//! The first step of the new-program wizard: what the program is, its address, currency, who
//! may apply and which partner kinds it takes. The address is checked as it is typed (with
//! JavaScript) and again when the form is sent.

use crate::api::error::AppError;
use crate::api::program_create::{check_slug, new_program_form, CreateProgram, NewProgramFormDto};
use crate::ui::console::query_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CheckboxList, CsrfField, EmptyState, FormError, SelectField, TextAreaField, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewProgram() -> impl IntoView {
    let create = ServerAction::<CreateProgram>::new();
    let brand = move || query_param("brand").and_then(|b| b.parse::<i64>().ok());
    let form = resource(brand, new_program_form);
    let errors = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <Title text="New program" />
        <p>
            <a href="/console/programs">"← All programs"</a>
        </p>
        <h1>"New program"</h1>
        <p class="lead">
            "A program is what partners join. Start with the basics; the next steps walk through tracking, plans, approvals and deals, and every one of them can be skipped."
        </p>
        {load(
            form,
            move |d: NewProgramFormDto| {
                if d.brands.is_empty() {
                    return view! {
                        <EmptyState title="Add a brand first">
                            <p>
                                "Every program belongs to a brand. "<a href="/console/brands">"Add a brand"</a>
                                ", then come back."
                            </p>
                        </EmptyState>
                    }
                        .into_any();
                }
                view! {
                    <section class="panel">
                        <FormError errors />
                        <ActionForm action=create>
                            <div class="stack">
                                <CsrfField />
                                <ProgramFields d errors />
                                <button type="submit" class="button">
                                    "Create program"
                                </button>
                            </div>
                        </ActionForm>
                    </section>
                }
                    .into_any()
            },
        )}
    }
}

/// The program's own fields, with the brand it belongs to.
#[component]
fn ProgramFields(d: NewProgramFormDto, errors: Signal<Option<AppError>>) -> impl IntoView {
    let brands: Vec<(String, String)> = d.brands.iter().map(|(id, n, _)| (id.to_string(), n.clone())).collect();
    let chosen = d.chosen_brand.or(d.brands.first().map(|b| b.0));
    let currency = d
        .brands
        .iter()
        .find(|b| Some(b.0) == chosen)
        .map(|b| b.2.clone())
        .unwrap_or_else(|| "EUR".into());
    view! {
        <SelectField
            label="Brand"
            name="brand_id"
            options=brands
            selected=chosen.map(|b| b.to_string()).unwrap_or_default()
            required=true
            errors
        />
        <div class="field-row">
            <TextField label="Program name" name="name" required=true maxlength=120 errors />
            <SlugField errors />
        </div>
        <div class="field-row">
            <SelectField
                label="Kind"
                name="kind"
                options=d.kinds.clone()
                selected="affiliate".to_owned()
                required=true
                errors
            />
            <TextField
                label="Currency"
                name="currency"
                value=currency
                required=true
                maxlength=3
                hint="The currency commissions are paid in: an ISO code such as EUR or USD."
                errors
            />
            <SelectField
                label="Who may apply"
                name="access"
                options=vec![
                    ("public".to_owned(), "Anyone: listed on the start page".to_owned()),
                    ("invite".to_owned(), "Only people you invite with the program's link".to_owned()),
                ]
                selected="public".to_owned()
                required=true
                errors
            />
        </div>
        <CheckboxList
            legend="Partner kinds it accepts"
            name="partner_kinds"
            hint="Leave all unticked to take the usual kinds for the program's kind."
            options=d.partner_kinds.iter().map(|(value, label)| (value.clone(), label.clone(), false)).collect()
            errors
        />
        <TextAreaField label="Description" name="description" maxlength=2000 rows=3 hint="Shown on the join page." errors />
        <TextAreaField
            label="Program terms"
            name="terms"
            maxlength=20000
            rows=5
            hint="What partners accept when they apply. Leave empty to start with a plain-language default you can edit later."
            errors
        />
    }
}

/// The address field, checked against the server as it is typed.
#[component]
fn SlugField(errors: Signal<Option<AppError>>) -> impl IntoView {
    let (typed, set_typed) = signal(String::new());
    let check = resource(
        move || typed.get(),
        |slug: String| async move {
            if slug.is_empty() {
                Ok(None)
            } else {
                check_slug(slug).await
            }
        },
    );
    let live = move || {
        check.get().and_then(|r| r.ok()).map(|answer| match answer {
            Some(problem) => view! { <p class="field-error" role="status">{problem}</p> }.into_any(),
            None => view! { <p class="hint ok" role="status">"This address is free."</p> }.into_any(),
        })
    };
    view! {
        <div class="stack-tight" on:input=move |ev| set_typed.set(event_target_value(&ev))>
            <TextField
                label="Address"
                name="slug"
                required=true
                maxlength=63
                hint="The join page will be /join/your-address: lowercase letters, digits and hyphens."
                errors
            />
            <Transition fallback=|| ()>{live}</Transition>
        </div>
    }
}
