//! `/portal/deals`: the partner's deals by stage, with their protection dates.

use crate::api::deals::portal::{my_deals, MyDealsDto};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, DealTable, EmptyState, StageBars};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Deals() -> impl IntoView {
    let data = resource(|| (), |_| my_deals());
    view! {
        <Title text="Deals" />
        <h1>"Deals"</h1>
        {load(data, |d: MyDealsDto| view! { <DealsPage d /> }.into_any())}
    }
}

#[component]
fn DealsPage(d: MyDealsDto) -> impl IntoView {
    let register = d.can_register.then(|| {
        view! {
            <p>
                <a class="button" href="/portal/deals/new">
                    "Register a deal"
                </a>
            </p>
        }
    });
    if d.deals.is_empty() {
        return view! {
            {register}
            <EmptyState title="No deals registered yet">
                <p>
                    {if d.can_register {
                        "Register an account you are working on: once the program approves it, no other partner can claim it while it is protected."
                    } else {
                        "Deal registration is open to resellers, integrators and referral partners in programs that approved them."
                    }}
                </p>
            </EmptyState>
        }
            .into_any();
    }
    view! {
        {register}
        <section class="panel" aria-labelledby="stages-heading">
            <h2 id="stages-heading">"Your pipeline by stage"</h2>
            <StageBars stages=d.stages.clone() />
        </section>
        <section class="panel" aria-labelledby="deals-heading">
            <h2 id="deals-heading">"Your deals"</h2>
            <DealTable rows=d.deals link="/portal/deals" console=false />
        </section>
    }
    .into_any()
}
