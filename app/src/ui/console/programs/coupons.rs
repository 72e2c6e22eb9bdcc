//! A program's coupon codes, each held by one partner, and the form that assigns a new one.

use super::super::id_param;
use super::tabs::{with_program_name, BackLink, ProgramHeader, Tab, READ_ONLY};
use crate::api::error::AppError;
use crate::api::links::CouponDto;
use crate::api::program_admin::{program_coupons, AssignCoupon, PartnerChoice};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, EmptyState, FormError, Notice, SelectField, TextField};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgramCoupons() -> impl IntoView {
    let id = id_param;
    let action = ServerAction::<AssignCoupon>::new();
    let coupons = resource(
        move || (id(), action.version().get()),
        |(id, _)| with_program_name(id, program_coupons(id)),
    );
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Coupons" />
        <BackLink />
        {load(
            coupons,
            move |(name, data)| {
                let program_id = id();
                view! {
                    <ProgramHeader program_id name current=Tab::Coupons />
                    <h2>"Coupon codes"</h2>
                    <p class="muted">
                        "A sale that arrives with a coupon code counts for the partner who holds it, even without a click. Send the code as "
                        <code>"coupon"</code>" in the conversion call."
                    </p>
                    <Show when=saved>
                        <Notice>"Coupon assigned. Sales that use it now count for its partner."</Notice>
                    </Show>
                    <CouponTable coupons=data.coupons program_id />
                    {if data.can_manage {
                        view! { <AssignForm partners=data.partners program_id action errors /> }.into_any()
                    } else {
                        view! { <p class="muted">{READ_ONLY}</p> }.into_any()
                    }}
                }
                    .into_any()
            },
        )}
    }
}

#[component]
fn CouponTable(coupons: Vec<CouponDto>, program_id: i64) -> impl IntoView {
    if coupons.is_empty() {
        return view! {
            <EmptyState title="No coupon codes yet">
                <p>
                    "Give an active partner a code with the form below, then create the same code in your shop. The "
                    <a href=Tab::Integration.href(program_id)>"Integration"</a>
                    " tab shows how to send it with each sale."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Coupon codes"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Assigned"</th>
                    </tr>
                </thead>
                <tbody>
                    {coupons
                        .into_iter()
                        .map(|c| {
                            view! {
                                <tr>
                                    <td>
                                        <code>{c.code.clone()}</code>
                                    </td>
                                    <td>{c.partner_name.clone()}</td>
                                    <td>{c.created_at.clone()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn AssignForm(
    partners: Vec<PartnerChoice>,
    program_id: i64,
    action: ServerAction<AssignCoupon>,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    if partners.is_empty() {
        return view! {
            <section class="panel">
                <h2>"Assign a new code"</h2>
                <p>
                    "Codes go to partners who are active in this program, and there are none yet. Approve an application under "
                    <a href="/console/applications?status=applied">"Applications"</a>" first."
                </p>
            </section>
        }
        .into_any();
    }
    let options = partners
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect::<Vec<_>>();
    view! {
        <section class="panel" aria-labelledby="assign-heading">
            <h2 id="assign-heading">"Assign a new code"</h2>
            <FormError errors />
            <ActionForm action>
                <div class="stack">
                    <CsrfField />
                    <input type="hidden" name="program_id" value=program_id.to_string() />
                    <div class="field-row">
                        <SelectField
                            label="Partner"
                            name="partner_id"
                            options
                            placeholder="Choose a partner"
                            required=true
                            errors
                        />
                        <TextField
                            label="Coupon code"
                            name="code"
                            required=true
                            maxlength=40
                            hint="3 to 40 letters, digits, '-' or '_', like BRIGHT20. Upper and lower case count as the same code."
                            errors
                        />
                    </div>
                    <button type="submit" class="button">
                        "Assign code"
                    </button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
