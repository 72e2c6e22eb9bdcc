//! The portal's Payouts page: the balance, the payouts so far and their statements (`money`);
//! where the money goes (a payout method per currency) and the tax
//! details that invoices and year-end reports need. Both forms work without JavaScript; the
//! fields of the method or tax form that doesn't apply are hidden by CSS alone.

mod method_form;
mod money;
mod tax_form;

use crate::api::my_payouts::{my_payouts, MyPayoutsDto};
use crate::api::payout_details::{my_payout_details, MethodDto, PayoutDetailsDto, SavePayoutMethod, SaveTaxDetails};
use crate::ui::resource::{resource, PageData};
use crate::ui::widgets::{load, EmptyState, Notice};
use leptos::prelude::*;
use leptos_meta::Title;
use method_form::MethodForm;
use money::PayoutMoney;
use tax_form::TaxForm;

#[component]
pub fn Payouts() -> impl IntoView {
    let method = ServerAction::<SavePayoutMethod>::new();
    let tax = ServerAction::<SaveTaxDetails>::new();
    let data = resource(
        move || (method.version().get(), tax.version().get()),
        |_| my_payout_details(),
    );
    let money = resource(|| (), |_| my_payouts());
    let saved = move || matches!(method.value().get(), Some(Ok(()))) || matches!(tax.value().get(), Some(Ok(())));
    view! {
        <Title text="Payouts" />
        <h1>"Payouts"</h1>
        <Show when=saved>
            <Notice>"Saved. We emailed your account's owner about the change."</Notice>
        </Show>
        {load(data, move |d: PayoutDetailsDto| view! { <Page d method tax money /> }.into_any())}
    }
}

#[component]
fn Page(
    d: PayoutDetailsDto,
    method: ServerAction<SavePayoutMethod>,
    tax: ServerAction<SaveTaxDetails>,
    money: PageData<Result<MyPayoutsDto, crate::api::error::AppError>>,
) -> impl IntoView {
    if !d.is_owner {
        let money = d.sees_money.then(|| view! { <PayoutMoney data=money /> });
        return view! {
            {money}
            <EmptyState title="Payout details are for your account's owner">
                <p>"Only the owner of your partner account sees and changes where payouts go. Ask them if something needs to change."</p>
            </EmptyState>
        }
        .into_any();
    }
    if d.currencies.is_empty() {
        return view! {
            <EmptyState title="Nothing to pay out yet">
                <p>
                    "You can give your payout details once a program approves you. "
                    <a href="/portal/programs">"See your applications"</a>"."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <PayoutMoney data=money />
        <section class="panel" aria-labelledby="methods-heading">
            <h2 id="methods-heading">"Where we pay you"</h2>
            <MethodTable methods=d.methods.clone() currencies=d.currencies.clone() />
            <p class="muted">
                {format!(
                    "When you change details you had already given, your next payout waits {} days for review, and we email your account's owner: this protects you if someone else gets into your account.",
                    d.review_days,
                )}
            </p>
            <MethodForm currencies=d.currencies.clone() action=method />
        </section>
        <section class="panel" aria-labelledby="tax-heading">
            <h2 id="tax-heading">"Tax details"</h2>
            {match d.tax.clone() {
                Some(t) => {
                    view! {
                        <dl class="facts">
                            <dt>"Form"</dt>
                            <dd>{t.form_label}</dd>
                            <dt>"Legal name"</dt>
                            <dd>{t.legal_name}</dd>
                            <dt>"Country"</dt>
                            <dd>{t.country}</dd>
                            {t.tin.map(|tin| view! { <dt>"SSN or EIN"</dt><dd>{tin}</dd> })}
                            {t.vat_id.map(|vat| view! { <dt>"VAT id"</dt><dd>{vat}</dd> })}
                            <dt>"Invoices to"</dt>
                            <dd>{format!("{}, {}", t.invoice_name, t.invoice_address)}</dd>
                            <dt>"Given on"</dt>
                            <dd>{t.since}</dd>
                        </dl>
                    }
                        .into_any()
                }
                None => view! { <p>"You haven't given your tax details yet. Programs need them before they can pay you."</p> }.into_any(),
            }}
            <TaxForm action=tax current=d.tax />
        </section>
    }
    .into_any()
}

#[component]
fn MethodTable(methods: Vec<MethodDto>, currencies: Vec<String>) -> impl IntoView {
    let missing: Vec<String> = currencies
        .into_iter()
        .filter(|c| !methods.iter().any(|m| &m.currency == c))
        .collect();
    view! {
        {(!methods.is_empty())
            .then(|| {
                view! {
                    <div class="table-wrap">
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">"Currency"</th>
                                <th scope="col">"Method"</th>
                                <th scope="col">"Account holder"</th>
                                <th scope="col">"Since"</th>
                                <th scope="col">"Status"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {methods
                                .into_iter()
                                .map(|m| {
                                    view! {
                                        <tr>
                                            <td>{m.currency}</td>
                                            <td>{m.summary}</td>
                                            <td>{m.account_holder.unwrap_or_else(|| "—".into())}</td>
                                            <td>{m.since}</td>
                                            <td>
                                                {match m.held_until {
                                                    Some(until) => view! { <span class="badge badge-on_hold">{format!("Held for review until {until}")}</span> }.into_any(),
                                                    None => view! { <span class="badge badge-approved">"Ready"</span> }.into_any(),
                                                }}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    </div>
                }
            })}
        {(!missing.is_empty())
            .then(|| {
                view! {
                    <p class="alert alert-warning">
                        {format!("No payout method for {} yet: add one below so we can pay you.", missing.join(" or "))}
                    </p>
                }
            })}
    }
}
