//! `/console/mdf/:id`: one MDF request for operators: the request and its decision forms, its
//! claims with downloadable proof files and the claim decision forms, the partner's balance in
//! the fund, and the history.

use super::decide::DecideForms;
use crate::api::mdf::RequestDetailDto;
use crate::api::mdf_console::{mdf_request_for_operator, DecideMdf};
use crate::ui::mdf::{BalancePanel, ClaimsList, HistoryTable, RequestFacts};
use crate::ui::params::id_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, Notice};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MdfDetail() -> impl IntoView {
    let decide = ServerAction::<DecideMdf>::new();
    let data = resource(
        move || (id_param(), decide.version().get()),
        |(id, _)| mdf_request_for_operator(id),
    );
    let decided = move || decide.value().get().and_then(Result::ok).map(|d| d.message);
    view! {
        <Title text="MDF request" />
        <p>
            <a href="/console/mdf">"← MDF queue"</a>
        </p>
        <Show when=move || decided().is_some()>
            <Notice>{decided}</Notice>
        </Show>
        {load(data, move |d| view! { <Detail d decide /> }.into_any())}
    }
}

#[component]
fn Detail(d: RequestDetailDto, decide: ServerAction<DecideMdf>) -> impl IntoView {
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    let request_form = (d.offered.request && d.status == "pending").then(|| {
        view! {
            <h3>"Decide"</h3>
            <p class="muted">
                {format!(
                    "Approve the amount requested or a smaller one; at most {} is available to this partner in the fund now.",
                    d.balance.available,
                )}
            </p>
            <DecideForms
                id=d.id
                what="request"
                amount=d.requested_plain.clone()
                currency=d.currency.clone()
                action=decide
                error
            />
        }
    });
    let approve = d.offered.claim_approve;
    let claim_form = d.claim_waiting.clone().filter(|_| d.offered.claim()).map(|amount| {
        view! {
            <h3>"Review the claim"</h3>
            <p class="muted">"Check the proof files below. Approve the amount claimed or less; it becomes payable."</p>
            <DecideForms id=d.id what="claim" amount currency=d.currency.clone() action=decide error approve />
        }
    });
    view! {
        <h1>{format!("MDF request #{} · {} · {}", d.id, d.partner_name, d.activity)}</h1>
        <section class="panel" aria-labelledby="request-heading">
            <h2 id="request-heading">"The request"</h2>
            <RequestFacts d=d.clone() />
            {request_form}
        </section>
        <section class="panel" aria-labelledby="claims-heading">
            <h2 id="claims-heading">"Claims"</h2>
            {claim_form}
            <ClaimsList claims=d.claims.clone() />
        </section>
        <BalancePanel b=d.balance.clone() />
        <section class="report-section" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <HistoryTable events=d.history.clone() />
        </section>
    }
}
