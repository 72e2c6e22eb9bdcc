//! The top bar's brand switcher, for a person whose brands are several: operators narrow the
//! console to one brand, partners switch the portal to one. A plain form (`POST /view/brand`),
//! so it works without JavaScript; the server keeps the choice in the session and sends the
//! person back to this page.

use crate::api::auth::BrandSwitch;
use crate::ui::widgets::CsrfField;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn BrandSwitcher(switch: BrandSwitch, all_label: &'static str) -> impl IntoView {
    // The page to come back to, current after navigating in the browser too (the top bar
    // stays while pages change under it).
    let location = use_location();
    let back = move || format!("{}{}", location.pathname.get(), location.query.get().to_query_string());
    let chosen = switch.chosen;
    view! {
        <form method="post" action="/view/brand" class="brand-switch" aria-label="Switch brand">
            <CsrfField />
            <input type="hidden" name="back" value=back />
            <label for="brand-switch">"Brand"</label>
            <select id="brand-switch" name="brand">
                <option value="all" selected=chosen.is_none()>
                    {all_label}
                </option>
                {switch
                    .brands
                    .into_iter()
                    .map(|(id, name)| {
                        view! {
                            <option value=id.to_string() selected=chosen == Some(id)>
                                {name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="button secondary small">
                "Switch"
            </button>
        </form>
    }
}
