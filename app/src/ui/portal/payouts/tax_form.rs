//! The tax details form: W-9 for US persons, W-8BEN or W-8BEN-E for everyone else, an optional
//! VAT id, and the name and address on invoices. As in the method form, CSS shows only the chosen
//! form's fields; the TIN and VAT id are never filled in again.

use crate::api::payout_details::{SaveTaxDetails, TaxDto};
use crate::domain::country;
use crate::domain::payouts::tax::TaxForm as Form;
use crate::ui::widgets::{CsrfField, FormError, SelectField, TextAreaField, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn TaxForm(action: ServerAction<SaveTaxDetails>, current: Option<TaxDto>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let forms = Form::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), f.label().to_owned()))
        .collect();
    let mut entity_types: Vec<(String, String)> = Vec::new();
    for form in [Form::W9, Form::W8BenE] {
        for (value, label) in form.entity_types() {
            if !entity_types.iter().any(|(v, _)| v == value) {
                entity_types.push((value.to_string(), label.to_string()));
            }
        }
    }
    let countries = country::all()
        .filter(|(code, _)| *code != "US")
        .map(|(code, name)| (code.to_owned(), name.to_owned()))
        .collect();
    let c = current.clone();
    let pick = move |f: fn(&TaxDto) -> String| c.as_ref().map(f);
    view! {
        <h3>{if current.is_some() { "Change your tax details" } else { "Give your tax details" }}</h3>
        <ActionForm action attr:class="stack tax-form">
            <FormError errors />
            <CsrfField />
            <SelectField label="Tax form" name="form" errors options=forms required=true selected=pick(|t| t.form.clone()).unwrap_or_default() placeholder="Choose the form that applies" />
            <div class="field-row">
                <TextField label="Legal name" name="legal_name" errors required=true maxlength=200 value=pick(|t| t.legal_name.clone()).unwrap_or_default() />
                <div class="kind-fields" data-kind="w9 w8bene">
                    <SelectField label="Entity type" name="entity_type" errors options=entity_types placeholder="Choose the entity type" />
                </div>
            </div>
            <TextAreaField label="Address" name="address" errors required=true rows=2 maxlength=500 value=pick(|t| t.address.clone()).unwrap_or_default() />
            <fieldset class="kind-fields" data-kind="w9">
                <legend>"W-9"</legend>
                <TextField label="SSN or EIN" name="tin" errors autocomplete="off" maxlength=11 hint="Nine digits. Stored encrypted; shown only as its last four." />
            </fieldset>
            <fieldset class="kind-fields" data-kind="w8ben w8bene">
                <legend>"W-8BEN or W-8BEN-E"</legend>
                <div class="field-row">
                    <SelectField label="Country of residence" name="country" errors options=countries selected=pick(|t| t.country.clone()).unwrap_or_default() placeholder="Choose a country" />
                    <TextField label="Treaty article" name="treaty_article" errors maxlength=60 hint="The tax treaty article you claim, like Article 7. Leave empty if you claim none." />
                </div>
            </fieldset>
            <TextField label="EU VAT id (optional)" name="vat_id" errors autocomplete="off" maxlength=20 hint="For businesses in the EU: it goes on self-billing invoices. Like DE123456789." />
            <div class="field-row">
                <TextField label="Invoice name" name="invoice_name" errors required=true maxlength=200 value=pick(|t| t.invoice_name.clone()).unwrap_or_default() />
                <TextAreaField label="Invoice address" name="invoice_address" errors required=true rows=2 maxlength=500 value=pick(|t| t.invoice_address.clone()).unwrap_or_default() />
            </div>
            <button type="submit" class="button">"Save tax details"</button>
        </ActionForm>
    }
}
