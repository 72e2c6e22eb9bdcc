//! Who must use two-factor sign-in: every operator (the Operators page, for admins of the whole
//! installation) and the people of a program's partners (the program's Settings tab).

use crate::api::error::AppError;
use crate::api::two_factor::{
    operators_two_factor, program_two_factor, RequirementDto, SetOperatorsTwoFactor, SetProgramTwoFactor,
};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, CsrfField, FormError, NamedCheckbox};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// What the rule is now, in words.
fn stands(d: &RequirementDto, who: &str) -> String {
    if d.required {
        format!("Required: every {who} signs in with a password and a code from an authenticator app. Anyone without it set up is asked to, at their next sign-in, before anything else.")
    } else {
        format!("Not required: each {who} chooses for themselves, under Settings.")
    }
}

#[component]
fn RuleFields(d: RequirementDto, label: &'static str, errors: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <FormError errors />
        <CsrfField />
        <NamedCheckbox name="required" key="required" label=label checked=d.required errors />
        <button type="submit" class="button">
            "Save"
        </button>
    }
}

#[component]
pub fn OperatorsTwoFactor() -> impl IntoView {
    let action = ServerAction::<SetOperatorsTwoFactor>::new();
    let data = resource(move || action.version().get(), |_| operators_two_factor());
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="operators-two-factor-heading">
            <h2 id="operators-two-factor-heading">"Two-factor sign-in for operators"</h2>
            {load(
                data,
                move |d: RequirementDto| {
                    let form = d.can_change.then(|| view! {
                        <ActionForm action>
                            <div class="stack">
                                <RuleFields d label="Require two-factor sign-in of every operator" errors />
                            </div>
                        </ActionForm>
                    });
                    view! {
                        <p id="operators-two-factor">{stands(&d, "operator")}</p>
                        {form}
                    }
                        .into_any()
                },
            )}
        </section>
    }
}

#[component]
pub fn ProgramTwoFactor(program_id: i64) -> impl IntoView {
    let action = ServerAction::<SetProgramTwoFactor>::new();
    let data = resource(move || action.version().get(), move |_| program_two_factor(program_id));
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="program-two-factor-heading">
            <h2 id="program-two-factor-heading">"Partner sign-in"</h2>
            {load(
                data,
                move |d: RequirementDto| {
                    let form = d.can_change.then(|| view! {
                        <ActionForm action>
                            <div class="stack">
                                <input type="hidden" name="program_id" value=program_id.to_string() />
                                <RuleFields d label="Require two-factor sign-in of every person of this program's partners" errors />
                            </div>
                        </ActionForm>
                    });
                    view! {
                        <p id="program-two-factor">{stands(&d, "partner person")}</p>
                        {form}
                    }
                        .into_any()
                },
            )}
        </section>
    }
}
