//! A program's deal registration: who may register, protection window and review SLA, what to
//! do with existing customers, the product catalogue and the customer import.

use super::super::id_param;
use super::tabs::{BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::deals::program::{
    deal_settings, AddProduct, ArchiveProduct, DealSettingsDto, ImportCustomers, SaveDealRules,
};
use crate::api::error::AppError;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError, Notice, SelectField, TextAreaField, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramDeals() -> impl IntoView {
    let rules = ServerAction::<SaveDealRules>::new();
    let add = ServerAction::<AddProduct>::new();
    let archive = ServerAction::<ArchiveProduct>::new();
    let import = ServerAction::<ImportCustomers>::new();
    let settings = resource(
        move || {
            (
                id_param(),
                rules.version().get(),
                add.version().get(),
                archive.version().get(),
                import.version().get(),
            )
        },
        |(id, ..)| deal_settings(id),
    );
    let notice = move || {
        [
            rules.value().get(),
            add.value().get(),
            archive.value().get(),
            import.value().get(),
        ]
        .into_iter()
        .flatten()
        .find_map(Result::ok)
    };
    view! {
        <Title text="Deal registration" />
        <BackLink />
        <Show when=move || notice().is_some()>
            <Notice>{notice}</Notice>
        </Show>
        {load(
            settings,
            move |s| {
                view! {
                    <ProgramHeader program_id=s.program_id name=s.program_name.clone() current=Tab::Deals />
                    <h2>"Deal registration"</h2>
                    {if s.can_edit {
                        view! {
                            <RulesForm s=s.clone() action=rules />
                            <Products s=s.clone() add archive />
                            <Customers s import />
                        }
                            .into_any()
                    } else {
                        view! {
                            <p class="muted">{READ_ONLY}</p>
                            <p>
                                {format!(
                                    "Protection {} days · review within {} hours · {} products · {} existing customers",
                                    s.protection_days,
                                    s.sla_hours,
                                    s.products.len(),
                                    s.customer_count,
                                )}
                            </p>
                        }
                            .into_any()
                    }}
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn RulesForm(s: DealSettingsDto, action: ServerAction<SaveDealRules>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let kinds_error = move || {
        errors
            .get()
            .and_then(|e| e.field_errors().and_then(|f| f.get("partner_kinds").map(str::to_owned)))
    };
    view! {
        <section class="panel" aria-labelledby="deal-rules-heading">
            <h3 id="deal-rules-heading">"Rules"</h3>
            <p class="muted">{format!("Deals are registered in {}, the program's currency.", s.currency)}</p>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=s.program_id.to_string() />
                    <fieldset class="subfields">
                        <legend>"Partner kinds that may register deals"</legend>
                        {s
                            .partner_kinds
                            .iter()
                            .map(|(value, label, chosen)| {
                                let id = format!("kind-{value}");
                                view! {
                                    <div class="field checkbox">
                                        <input
                                            id=id.clone()
                                            type="checkbox"
                                            name="partner_kinds[]"
                                            value=value.clone()
                                            checked=*chosen
                                        />
                                        <label for=id>{label.clone()}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                        <p class="field-error" role="alert">
                            {kinds_error}
                        </p>
                    </fieldset>
                    <TextField
                        label="Protection window (days)"
                        name="protection_days"
                        kind="number"
                        errors
                        required=true
                        value=s.protection_days.to_string()
                    />
                    <TextField
                        label="Review SLA (hours)"
                        name="sla_hours"
                        kind="number"
                        errors
                        required=true
                        value=s.sla_hours.to_string()
                        hint="Managers are reminded past it, admins are told at twice it."
                    />
                    <SelectField
                        label="Registrations for existing customers"
                        name="existing_customer_policy"
                        errors
                        options=vec![
                            ("refuse".into(), "Refuse them".into()),
                            ("flag".into(), "Accept them, flagged for the reviewer".into()),
                        ]
                        selected=s.existing_customer_policy.clone()
                    />
                    <button type="submit" class="button">
                        "Save the rules"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn Products(s: DealSettingsDto, add: ServerAction<AddProduct>, archive: ServerAction<ArchiveProduct>) -> impl IntoView {
    let errors = Signal::derive(move || add.value().get().and_then(Result::err));
    let archive_errors: Signal<Option<AppError>> = Signal::derive(move || archive.value().get().and_then(Result::err));
    let program_id = s.program_id;
    view! {
        <section class="panel" aria-labelledby="products-heading">
            <h3 id="products-heading">"Product catalogue"</h3>
            <FormError errors=archive_errors />
            {if s.products.is_empty() {
                view! { <p class="muted">"No products yet. Add the ones partners can register deals for."</p> }
                    .into_any()
            } else {
                view! {
                    <ul class="plain">
                        {s
                            .products
                            .into_iter()
                            .map(|p| {
                                let (label, value) = if p.archived { ("Restore", "no") } else { ("Archive", "yes") };
                                view! {
                                    <li>
                                        <span class:muted=p.archived>{p.name.clone()}</span>
                                        {p.archived.then_some(" (archived)")}
                                        " "
                                        <ActionForm action=archive attr:class="inline-form">
                                            <CsrfField />
                                            <input type="hidden" name="program_id" value=program_id.to_string() />
                                            <input type="hidden" name="product_id" value=p.id.to_string() />
                                            <input type="hidden" name="archive" value=value />
                                            <button
                                                type="submit"
                                                class="button secondary small"
                                                aria-label=format!("{label} {}", p.name)
                                            >
                                                {label}
                                            </button>
                                        </ActionForm>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <FormError errors />
            <ActionForm action=add>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=program_id.to_string() />
                    <TextField label="New product" name="name" errors required=true maxlength=120 />
                    <button type="submit" class="button secondary">
                        "Add the product"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn Customers(s: DealSettingsDto, import: ServerAction<ImportCustomers>) -> impl IntoView {
    let errors = Signal::derive(move || import.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="customers-heading">
            <h3 id="customers-heading">"Existing customers"</h3>
            <p>{format!("{} domains are on the list. Won deals add theirs automatically.", s.customer_count)}</p>
            <FormError errors />
            <ActionForm action=import>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=s.program_id.to_string() />
                    <TextAreaField
                        label="Paste a CSV of customer domains"
                        name="csv"
                        errors
                        required=true
                        rows=6
                        hint="A column named domain or website, or one domain per line. If any line isn't a domain, nothing is imported."
                    />
                    <button type="submit" class="button secondary">
                        "Import"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
