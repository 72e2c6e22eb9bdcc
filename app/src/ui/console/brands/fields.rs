//! The brand form's fields, shared by the console's brand forms and the first-run setup page.

use crate::api::brands::BrandDto;
use crate::api::error::AppError;
use crate::domain::country;
use crate::ui::widgets::{SelectField, TextAreaField, TextField};
use leptos::prelude::*;

#[component]
pub fn BrandFields(brand: Option<BrandDto>, errors: Signal<Option<AppError>>) -> impl IntoView {
    let value = |f: fn(&BrandDto) -> &String| brand.as_ref().map(|b| f(b).clone());
    let countries = country::all()
        .map(|(code, name)| (code.to_owned(), name.to_owned()))
        .collect();
    view! {
        <fieldset>
            <legend>"Brand"</legend>
            <div class="field-row">
                <TextField
                    label="Brand name"
                    name="name"
                    value=value(|b| &b.name).unwrap_or_default()
                    required=true
                    maxlength=120
                    hint="What partners see in the portal, on join pages and in emails."
                    errors
                />
                <TextField
                    label="Legal entity name"
                    name="legal_name"
                    value=value(|b| &b.legal_name).unwrap_or_default()
                    required=true
                    maxlength=200
                    hint="The company that contracts with partners, like Globex Corporation Ltd."
                    errors
                />
            </div>
            <TextAreaField
                label="Legal address"
                name="address"
                value=value(|b| &b.address).unwrap_or_default()
                maxlength=500
                rows=3
                errors
            />
            <div class="field-row">
                <SelectField
                    label="Country"
                    name="country"
                    options=countries
                    selected=value(|b| &b.country).unwrap_or_default()
                    placeholder="Choose a country"
                    required=true
                    errors
                />
                <TextField
                    label="Default currency"
                    name="default_currency"
                    value=value(|b| &b.default_currency).unwrap_or_else(|| "EUR".into())
                    required=true
                    maxlength=3
                    hint="An ISO code such as EUR, USD or GBP. New programs start in it."
                    errors
                />
                <TextField
                    label="VAT or tax id"
                    name="tax_id"
                    value=value(|b| &b.tax_id).unwrap_or_default()
                    maxlength=40
                    errors
                />
            </div>
            <div class="field-row">
                <TextField
                    label="Support email"
                    name="support_email"
                    kind="email"
                    value=value(|b| &b.support_email).unwrap_or_default()
                    maxlength=254
                    hint="Where partners write with questions; shown in the portal."
                    errors
                />
                <TextField
                    label="Email sender name"
                    name="sender_name"
                    value=value(|b| &b.sender_name).unwrap_or_default()
                    maxlength=80
                    hint="The name on emails about this brand's programs, like Globex Partners."
                    errors
                />
                <TextField
                    label="Primary colour"
                    name="primary_color"
                    kind="color"
                    value=value(|b| &b.primary_color).unwrap_or_else(|| "#1f6f5c".into())
                    hint="An accent for the portal header and email buttons."
                    errors
                />
            </div>
        </fieldset>
    }
}
