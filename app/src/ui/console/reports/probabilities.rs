//! The chosen program's stage probabilities under the forecast: a form for those who may
//! manage programs, the values to read for everyone else.

use crate::api::deal_reports::{ProbabilitiesDto, SaveStageProbabilities};
use crate::api::error::AppError;
use crate::ui::widgets::{CsrfField, FormError, NamedText, Notice};
use leptos::form::ActionForm;
use leptos::prelude::*;

const FIXED: &str = "Won deals always count 100% and lost deals 0%.";

#[component]
pub fn Probabilities(p: Option<ProbabilitiesDto>, action: ServerAction<SaveStageProbabilities>) -> impl IntoView {
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    let body = match p {
        None => view! {
            <p class="muted">
                "Choose a program above to see or change its stage probabilities. Programs that haven't set their own use 10% (registered), 25% (qualified), 50% (proposal) and 75% (negotiation). "
                {FIXED}
            </p>
        }
        .into_any(),
        Some(p) if p.can_manage => view! { <ProbabilityForm p action errors /> }.into_any(),
        Some(p) => view! {
            <p class="muted">{format!("{}: ", p.program_name)} {FIXED}</p>
            <dl class="facts">
                {p
                    .stages
                    .into_iter()
                    .map(|(_, label, value)| {
                        view! {
                            <dt>{label}</dt>
                            <dd>{format!("{value}%")}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
            <p class="muted">"Only admins and partner managers can change them."</p>
        }
        .into_any(),
    };
    view! {
        <section class="panel" aria-labelledby="probabilities-heading" id="report-probabilities">
            <h2 id="probabilities-heading">"Stage probabilities"</h2>
            <Show when=saved>
                <Notice>"Stage probabilities saved. The forecast uses them from now on."</Notice>
            </Show>
            {body}
        </section>
    }
}

#[component]
fn ProbabilityForm(
    p: ProbabilitiesDto,
    action: ServerAction<SaveStageProbabilities>,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <p class="muted">
            {format!(
                "The chance, in percent, that a deal of {} in each stage closes as won. A later stage can't be less likely than an earlier one. ",
                p.program_name,
            )} {FIXED}
        </p>
        <FormError errors />
        <ActionForm action>
            <CsrfField />
            <input type="hidden" name="program_id" value=p.program_id.to_string() />
            <div class="field-row">
                {p
                    .stages
                    .into_iter()
                    .map(|(key, label, value)| {
                        view! {
                            <NamedText
                                name=key.clone()
                                key=key
                                label=format!("{label} (%)")
                                value=value
                                inputmode="decimal"
                                required=true
                                errors
                            />
                        }
                    })
                    .collect_view()}
            </div>
            <button type="submit" class="button">
                "Save stage probabilities"
            </button>
        </ActionForm>
    }
}
