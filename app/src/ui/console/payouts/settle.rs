//! Settling payments: one item's forms (paid with the date and the bank's reference, or failed
//! with the reason the partner reads) and the bank's settlement file, which is a plain upload
//! checked whole before anything is applied.

use crate::api::error::AppError;
use crate::api::payout_runs::SettlePayoutItem;
use crate::domain::payouts::settlement::COLUMNS;
use crate::ui::widgets::{CsrfField, FileField, FormError, NamedText};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn SettleForms(
    run_id: i64,
    item_id: i64,
    action: ServerAction<SettlePayoutItem>,
    errors: Signal<Option<AppError>>,
    /// The server's today, which "paid on" starts with.
    today: String,
) -> impl IntoView {
    let key = move |field: &str| format!("{item_id}-{field}");
    view! {
        <details class="settle">
            <summary>"Mark paid or failed"</summary>
            <ActionForm action attr:class="stack">
                <CsrfField />
                <input type="hidden" name="run_id" value=run_id.to_string() />
                <input type="hidden" name="item_id" value=item_id.to_string() />
                <input type="hidden" name="outcome" value="paid" />
                <NamedText name="paid_on" key=key("paid_on") label="Paid on" kind="date" value=today errors required=true />
                <NamedText name="bank_reference" key=key("bank_reference") label="Bank reference" errors required=true maxlength=140 />
                <button type="submit" class="button small">"Mark paid"</button>
            </ActionForm>
            <ActionForm action attr:class="stack">
                <CsrfField />
                <input type="hidden" name="run_id" value=run_id.to_string() />
                <input type="hidden" name="item_id" value=item_id.to_string() />
                <input type="hidden" name="outcome" value="failed" />
                <NamedText name="reason" key=key("reason") label="Why it failed" errors required=true maxlength=500 hint="The partner reads this; the amount goes back to their balance." />
                <button type="submit" class="button small secondary">"Mark failed"</button>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn SettlementUpload(run_id: i64, error: Option<AppError>) -> impl IntoView {
    let errors = Signal::derive(move || error.clone());
    view! {
        <section class="panel" aria-labelledby="settlement-heading">
            <h2 id="settlement-heading">"Settle from the bank's file"</h2>
            <p>
                "Upload a CSV with a header row naming these columns: "
                <code>{COLUMNS.join(",")}</code>
                ". Status is paid or failed; a paid row needs the date (2026-12-31) and the bank's reference, a failed one the reason. The whole file is checked first: an unknown reference or an amount that differs from the payment, and nothing is applied."
            </p>
            <FormError errors />
            <form method="post" action=format!("/console/payouts/{run_id}/settlement") enctype="multipart/form-data" class="stack">
                <CsrfField />
                <FileField label="Settlement file" name="file" errors accept=".csv,text/csv" hint="CSV, at most 5 MB." required=true />
                <button type="submit" class="button">"Apply the file"</button>
            </form>
        </section>
    }
}
