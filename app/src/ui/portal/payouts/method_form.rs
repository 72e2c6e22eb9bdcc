//! The form that sets the payout method for one currency. Every kind's fields are in the page;
//! CSS shows the chosen kind's (without CSS or `:has`, all show, and the server reads only the
//! chosen kind's). Account numbers are never filled in again after an error.

use crate::api::payout_details::SavePayoutMethod;
use crate::domain::payouts::method::MethodKind;
use crate::ui::widgets::{CsrfField, FormError, SelectField, TextAreaField, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn MethodForm(currencies: Vec<String>, action: ServerAction<SavePayoutMethod>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let only_one = (currencies.len() == 1).then(|| currencies[0].clone());
    let currency_options = currencies.iter().map(|c| (c.clone(), c.clone())).collect();
    let kinds = MethodKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect();
    view! {
        <h3>"Set a payout method"</h3>
        <ActionForm action attr:class="stack payout-method-form">
            <FormError errors />
            <CsrfField />
            <div class="field-row">
                <SelectField label="Currency" name="currency" errors options=currency_options required=true selected=only_one.unwrap_or_default() placeholder="Choose a currency" />
                <SelectField label="Pay me by" name="kind" errors options=kinds required=true placeholder="Choose a method" />
            </div>
            <fieldset class="kind-fields" data-kind="sepa us_bank">
                <legend>"Bank account"</legend>
                <TextField label="Account holder" name="account_holder" errors autocomplete="name" maxlength=140 hint="The name the bank account is in." />
                <div class="kind-fields" data-kind="sepa">
                    <div class="field-row">
                        <TextField label="IBAN" name="iban" errors autocomplete="off" maxlength=50 hint="Like NL91 ABNA 0417 1643 00. Spaces are fine." />
                        <TextField label="BIC (SWIFT code)" name="bic" errors autocomplete="off" maxlength=14 hint="8 or 11 characters, like COBADEFFXXX." />
                    </div>
                </div>
                <div class="kind-fields" data-kind="us_bank">
                    <div class="field-row">
                        <TextField label="Account number" name="account_number" errors autocomplete="off" maxlength=24 />
                        <TextField label="Routing number (ABA)" name="routing_number" errors autocomplete="off" maxlength=11 hint="Nine digits." />
                    </div>
                </div>
            </fieldset>
            <fieldset class="kind-fields" data-kind="paypal wise">
                <legend>"PayPal or Wise"</legend>
                <TextField label="Account email" name="email" kind="email" errors autocomplete="email" maxlength=254 hint="The email address of your PayPal or Wise account." />
            </fieldset>
            <fieldset class="kind-fields" data-kind="other">
                <legend>"Other"</legend>
                <TextAreaField label="Instructions" name="instructions" errors maxlength=1000 hint="How the program should pay you." />
            </fieldset>
            <p class="muted">"Account numbers are stored encrypted and shown only as their last four digits."</p>
            <button type="submit" class="button">"Save payout method"</button>
        </ActionForm>
    }
}
