//! The parts of a deal's page that the partner and the program team both see: the facts, the
//! history, and the fields of a stage change.

use crate::api::deals::DealDetailDto;
use crate::api::error::AppError;
use crate::ui::widgets::{SelectField, StatusBadge, TextField};
use leptos::prelude::*;

#[component]
pub fn DealFacts(d: DealDetailDto) -> impl IntoView {
    let row = d.row.clone();
    view! {
        <h1>{format!("{} · {}", row.company, row.domain)}</h1>
        <p>
            <StatusBadge status=row.status.clone() label=row.status_label.clone() />
            " "
            <span class="muted">{format!("Stage: {}", row.stage_label)}</span>
        </p>
        <section class="panel" aria-labelledby="deal-facts-heading">
            <h2 id="deal-facts-heading">"The deal"</h2>
            <dl class="facts">
                {(!row.partner_name.is_empty())
                    .then(|| {
                        view! {
                            <dt>"Partner"</dt>
                            <dd>{format!("{} ({})", row.partner_name, row.partner_kind)}</dd>
                        }
                    })} <dt>"Program"</dt> <dd>{row.program_name.clone()}</dd> <dt>"Value"</dt>
                <dd>{row.value.clone()}</dd> <dt>"Expected close"</dt> <dd>{row.expected_close.clone()}</dd>
                <dt>"Protected until"</dt>
                <dd>{row.protected_until.clone().unwrap_or_else(|| "Not protected".into())}</dd> <dt>"Country"</dt>
                <dd>{d.country.clone()}</dd> <dt>"Contact"</dt>
                <dd>{format!("{} · {}", d.contact, d.contact_email)}</dd> <dt>"Products"</dt>
                <dd>{if d.products.is_empty() { "None chosen".to_owned() } else { d.products.join(", ") }}</dd>
                <dt>"Registered"</dt> <dd>{row.submitted_at.clone()}</dd>
                {(!row.sla.is_empty())
                    .then(|| {
                        view! {
                            <dt>"Review clock"</dt>
                            <dd class=format!(
                                "sla sla-{}",
                                row.sla,
                            )>{format!("{} · waiting {}", row.sla_label, row.waited)}</dd>
                        }
                    })}
                {d
                    .mdf_request_id
                    .map(|id| {
                        let area = if row.partner_name.is_empty() { "portal" } else { "console" };
                        view! {
                            <dt>"Sourced by"</dt>
                            <dd>
                                <a href=format!("/{area}/mdf/{id}")>{format!("MDF activity #{id}")}</a>
                            </dd>
                        }
                    })}
                {d
                    .commission
                    .clone()
                    .map(|c| {
                        view! {
                            <dt>"Commission"</dt>
                            <dd>{c}</dd>
                        }
                    })}
                {d
                    .decision_reason
                    .clone()
                    .map(|r| {
                        view! {
                            <dt>"Decision note"</dt>
                            <dd>{r}</dd>
                        }
                    })}
                {d
                    .notes
                    .clone()
                    .map(|n| {
                        view! {
                            <dt>"Notes"</dt>
                            <dd class="prewrap">{n}</dd>
                        }
                    })}
            </dl>
        </section>
    }
}

#[component]
pub fn DealHistory(d: DealDetailDto) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="deal-history-heading">
            <h2 id="deal-history-heading">"History"</h2>
            <ol class="timeline">
                {d
                    .history
                    .into_iter()
                    .map(|h| {
                        view! {
                            <li>
                                <span class="muted">{format!("{} · {}", h.at, h.who)}</span>
                                <div>{h.what}</div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {(!d.extensions.is_empty())
                .then(|| {
                    view! {
                        <h3>"Extension requests"</h3>
                        <ul class="plain">
                            {d
                                .extensions
                                .into_iter()
                                .map(|e| {
                                    view! {
                                        <li>
                                            {format!(
                                                "{} · {} days · {} · “{}”",
                                                e.requested_at,
                                                e.days,
                                                e.status,
                                                e.reason,
                                            )} {e.decision.map(|r| format!(" — {r}"))}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
        </section>
    }
}

/// Stage, value and close date, filled with the deal's current ones.
#[component]
pub fn StageFields(d: DealDetailDto, errors: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=d.row.id.to_string() />
        <SelectField
            label="Stage"
            name="stage"
            errors
            options=d.next_stages.clone()
            required=true
            selected=d.row.stage.clone()
        />
        <TextField
            label="Value"
            name="value"
            errors
            required=true
            value=d.value_input.clone()
            hint="The deal's amount now; for a won deal, what the customer signed for."
        />
        <TextField
            label="Expected close date"
            name="expected_close"
            kind="date"
            errors
            value=d.expected_close_input.clone()
        />
    }
}
