//! `/console/payouts/settings`: per brand, the account payouts leave from (for the SEPA file)
//! and self-billing invoices; per program, the minimum payout and the review days after a
//! partner changes its payout details.

use crate::api::payout_runs::{
    payout_settings, BrandPayoutDto, PayoutSettingsDto, ProgramPayoutDto, SaveBrandPayoutSettings,
    SaveProgramPayoutSettings,
};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, NamedCheckbox, NamedText};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PayoutSettings() -> impl IntoView {
    let brand = ServerAction::<SaveBrandPayoutSettings>::new();
    let program = ServerAction::<SaveProgramPayoutSettings>::new();
    let data = resource(
        move || (brand.version().get(), program.version().get()),
        |_| payout_settings(),
    );
    view! {
        <Title text="Payout settings" />
        <p>
            <a href="/console/payouts">"← Payout runs"</a>
        </p>
        <h1>"Payout settings"</h1>
        {load(data, move |d: PayoutSettingsDto| view! { <Settings d brand program /> }.into_any())}
    }
}

#[component]
fn Settings(
    d: PayoutSettingsDto,
    brand: ServerAction<SaveBrandPayoutSettings>,
    program: ServerAction<SaveProgramPayoutSettings>,
) -> impl IntoView {
    let brand_errors = Signal::derive(move || brand.value().get().and_then(Result::err));
    let program_errors = Signal::derive(move || program.value().get().and_then(Result::err));
    let can_edit = d.can_edit;
    view! {
        <section aria-labelledby="brands-heading">
            <h2 id="brands-heading">"Brands"</h2>
            <p class="muted">"Each brand is its own legal entity and pays its partners from its own account. With self-billing, each paid statement is an invoice the brand issues on the partner's behalf, numbered without gaps."</p>
            <FormError errors=brand_errors />
            {if d.brands.is_empty() {
                view! { <EmptyState title="No brands"><p>"Brands are added under Brands."</p></EmptyState> }.into_any()
            } else {
                d.brands.into_iter().map(|b| view! { <BrandForm b action=brand errors=brand_errors can_edit /> }).collect_view().into_any()
            }}
        </section>
        <section aria-labelledby="programs-heading">
            <h2 id="programs-heading">"Programs"</h2>
            <p class="muted">"A balance below the minimum stays for the next run. After a partner changes its payout details, its payouts wait the review days (a defence against account takeover)."</p>
            <FormError errors=program_errors />
            {d.programs.into_iter().map(|p| view! { <ProgramForm p action=program errors=program_errors can_edit /> }).collect_view()}
        </section>
    }
}

#[component]
fn BrandForm(
    b: BrandPayoutDto,
    action: ServerAction<SaveBrandPayoutSettings>,
    errors: Signal<Option<crate::api::error::AppError>>,
    can_edit: bool,
) -> impl IntoView {
    let id = b.id;
    let key = move |field: &str| format!("{id}-{field}");
    let scope = format!("brand{id}-");
    view! {
        <div class="panel">
            <h3>{b.name.clone()}</h3>
            <ActionForm action attr:class="filters">
                <CsrfField />
                <input type="hidden" name="brand_id" value=id.to_string() />
                <NamedText name="debtor_iban" key=key("debtor_iban") scope=scope.clone() label="Pays from IBAN" value=b.debtor_iban.clone() errors />
                <NamedText name="debtor_bic" key=key("debtor_bic") scope=scope.clone() label="BIC" value=b.debtor_bic.clone() errors />
                <NamedCheckbox name="self_billing" key=key("self_billing") scope=scope.clone() label="Self-billing invoices" checked=b.self_billing errors />
                <NamedText
                    name="invoice_prefix"
                    key=key("invoice_prefix")
                    scope=scope.clone()
                    label="Invoice prefix"
                    value=b.invoice_prefix.clone()
                    errors
                    hint=format!("Next number: {}", b.next_invoice_number)
                />
                {can_edit.then(|| view! { <button type="submit" class="button">{format!("Save {}", b.name)}</button> })}
            </ActionForm>
        </div>
    }
}

#[component]
fn ProgramForm(
    p: ProgramPayoutDto,
    action: ServerAction<SaveProgramPayoutSettings>,
    errors: Signal<Option<crate::api::error::AppError>>,
    can_edit: bool,
) -> impl IntoView {
    let id = p.id;
    let key = move |field: &str| format!("{id}-{field}");
    let scope = format!("program{id}-");
    view! {
        <div class="panel">
            <h3>{format!("{} · {}", p.name, p.brand)}</h3>
            <ActionForm action attr:class="filters">
                <CsrfField />
                <input type="hidden" name="program_id" value=id.to_string() />
                <NamedText
                    name="minimum_payout"
                    key=key("minimum_payout")
                    scope=scope.clone()
                    label=format!("Minimum payout ({})", p.currency)
                    value=p.minimum_payout.clone()
                    errors
                    inputmode="decimal"
                />
                <NamedText name="review_days" key=key("review_days") scope=scope.clone() label="Review days" value=p.review_days.to_string() errors inputmode="numeric" />
                {can_edit.then(|| view! { <button type="submit" class="button">{format!("Save {}", p.name)}</button> })}
            </ActionForm>
        </div>
    }
}
