//! The partner page's tier: shown, and set by those who manage the program. Allocations "to a
//! tier" read it. (Until tier rules arrive, operators set it by hand.)

use crate::api::mdf_funds::{partner_tier, SetPartnerTier};
use crate::ui::widgets::{load, CsrfField, FormError, NamedText};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn TierSection(program_id: i64, partner_id: i64, can_manage: bool) -> impl IntoView {
    let action = ServerAction::<SetPartnerTier>::new();
    let tier = Resource::new(
        move || action.version().get(),
        move |_| partner_tier(program_id, partner_id),
    );
    let errors = Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || action.value().get().and_then(Result::ok);
    view! {
        <section class="panel" aria-labelledby="tier-heading">
            <h3 id="tier-heading">"Tier"</h3>
            {load(
                tier,
                move |current| {
                    let text = current.clone().map_or_else(|| "No tier.".to_owned(), |t| format!("Tier: {t}."));
                    view! {
                        <p>{text}</p>
                        <Show when=move || saved().is_some()>
                            <p role="status">{saved}</p>
                        </Show>
                        <FormError errors />
                        {can_manage
                            .then(|| {
                                view! {
                                    <ActionForm action>
                                        <div class="stack">
                                            <CsrfField />
                                            <input type="hidden" name="program_id" value=program_id.to_string() />
                                            <input type="hidden" name="partner_id" value=partner_id.to_string() />
                                            <NamedText
                                                name="tier"
                                                key="tier"
                                                label="Tier name"
                                                value=current.clone().unwrap_or_default()
                                                hint="Like Gold. Empty clears it. MDF can be allocated to every partner of a tier."
                                                errors
                                            />
                                            <button type="submit" class="button secondary">
                                                "Save tier"
                                            </button>
                                        </div>
                                    </ActionForm>
                                }
                            })}
                    }
                        .into_any()
                },
            )}
        </section>
    }
}
