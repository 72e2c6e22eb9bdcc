//! `/portal/mdf/:id`: one of the partner's requests: what was asked and decided, the claim
//! deadline, the claim form with file upload (a plain multipart form that works with and
//! without JavaScript), its claims with their files, and its history.

use crate::api::error::AppError;
use crate::api::mdf::{my_mdf_request, take_claim_refusal, RequestDetailDto};
use crate::domain::mdf::claim::NOTES_MAX;
use crate::domain::mdf::upload::{LIMITS_TEXT, MAX_FILES};
use crate::ui::mdf::{BalancePanel, ClaimsList, HistoryTable, RequestFacts};
use crate::ui::params::id_param;
use crate::ui::resource::resource;
use crate::ui::widgets::csrf::csrf_token;
use crate::ui::widgets::{load, CsrfField, FormError, NamedText};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MdfRequest() -> impl IntoView {
    let data = resource(id_param, |id| {
        let token = csrf_token();
        async move {
            let detail = my_mdf_request(id).await?;
            let refusal = take_claim_refusal(token, id).await?;
            Ok::<_, AppError>((detail, refusal))
        }
    });
    view! {
        <Title text="MDF request" />
        <p>
            <a href="/portal/mdf">"← All your funds and requests"</a>
        </p>
        {load(data, move |(d, refusal)| view! { <Detail d refusal /> }.into_any())}
    }
}

#[component]
fn Detail(d: RequestDetailDto, refusal: Option<AppError>) -> impl IntoView {
    view! {
        <h1>{format!("Request #{} · {}", d.id, d.activity)}</h1>
        <section class="panel" aria-labelledby="request-heading">
            <h2 id="request-heading">"The request"</h2>
            <RequestFacts d=d.clone() />
        </section>
        {d.can_claim.then(|| view! { <ClaimForm d=d.clone() refusal=refusal.clone() /> })}
        {(!d.can_claim && refusal.is_some())
            .then(|| {
                view! {
                    <div class="alert alert-error" role="alert">
                        {refusal.as_ref().map(|e| e.to_string())}
                    </div>
                }
            })}
        <section class="panel" aria-labelledby="claims-heading">
            <h2 id="claims-heading">"Claims"</h2>
            <ClaimsList claims=d.claims.clone() />
        </section>
        <BalancePanel b=d.balance.clone() />
        <section class="report-section" aria-labelledby="history-heading">
            <h2 id="history-heading">"History of this request"</h2>
            <HistoryTable events=d.history.clone() />
        </section>
    }
}

#[component]
fn ClaimForm(d: RequestDetailDto, refusal: Option<AppError>) -> impl IntoView {
    let errors = Signal::derive(move || refusal.clone());
    let files_error = move || {
        errors.with(|e| {
            e.as_ref()
                .and_then(|e| e.field_errors())
                .and_then(|f| f.get("files"))
                .map(str::to_owned)
        })
    };
    let approved = d.approved.clone().unwrap_or_default();
    view! {
        <section class="panel" aria-labelledby="claim-heading">
            <h2 id="claim-heading">"File your claim"</h2>
            <p>
                {format!(
                    "Claim up to {approved}, the approved amount, by {}. Attach proof of performance: invoices, screenshots, attendee lists.",
                    d.claim_by,
                )}
            </p>
            <FormError errors />
            <form method="post" action=format!("/portal/mdf/{}/claim", d.id) enctype="multipart/form-data">
                <div class="stack">
                    <CsrfField />
                    <div class="field-row">
                        <NamedText
                            name="amount"
                            key="amount"
                            label=format!("Amount claimed ({})", d.currency)
                            value=d.approved_plain.clone().unwrap_or_default()
                            required=true
                            inputmode="decimal"
                            errors
                        />
                        <NamedText
                            name="actual_cost"
                            key="actual_cost"
                            label=format!("Actual cost ({})", d.currency)
                            required=true
                            inputmode="decimal"
                            hint="What the activity really cost; at least the amount claimed."
                            errors
                        />
                    </div>
                    <div class="field-row">
                        <NamedText name="leads" key="leads" label="Leads" inputmode="numeric" errors />
                        <NamedText name="attendees" key="attendees" label="Attendees" inputmode="numeric" errors />
                    </div>
                    <NamedText name="notes" key="notes" label="Notes" rows=3 maxlength=NOTES_MAX errors />
                    <div class="field" class:has-error=move || files_error().is_some()>
                        <label for="field-files">
                            "Proof of performance" <span class="req" aria-hidden="true">
                                " *"
                            </span>
                        </label>
                        <input
                            id="field-files"
                            type="file"
                            name="files"
                            multiple
                            required
                            accept="application/pdf,image/png,image/jpeg,image/webp"
                            aria-describedby="files-hint"
                            aria-invalid=move || files_error().is_some().to_string()
                        />
                        <p class="hint" id="files-hint">
                            {format!("{LIMITS_TEXT} Choose up to {MAX_FILES} at once.")}
                        </p>
                        <Show when=move || files_error().is_some()>
                            <p class="field-error" role="alert">
                                {files_error}
                            </p>
                        </Show>
                    </div>
                    <button type="submit" class="button">
                        "File claim"
                    </button>
                </div>
            </form>
        </section>
    }
}
