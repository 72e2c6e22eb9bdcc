//! `/verify/{code}`: anyone checks a certificate. It shows the holder's name, the
//! certification, the partner company and the valid-until date, and nothing else.

use crate::api::training::{verify_certificate, VerifiedDto};
use crate::ui::resource::resource;
use crate::ui::widgets::load;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Verify() -> impl IntoView {
    let code = move || {
        leptos_router::hooks::use_params_map()
            .get()
            .get("code")
            .unwrap_or_default()
    };
    let data = resource(code, verify_certificate);
    view! {
        <Title text="Certificate verification" />
        <h1>"Certificate verification"</h1>
        {load(
            data,
            |v: VerifiedDto| {
                view! {
                    <section class="panel certificate" aria-label="Certificate">
                        <p class=if v.valid { "status-valid" } else { "status-expired" }>
                            {if v.valid { "Valid certificate" } else { "This certificate has expired" }}
                        </p>
                        <dl class="facts">
                            <dt>"Holder"</dt>
                            <dd>{v.holder.clone()}</dd>
                            <dt>"Certification"</dt>
                            <dd>{v.certification.clone()}</dd>
                            <dt>"Company"</dt>
                            <dd>{v.partner.clone()}</dd>
                            <dt>{if v.valid { "Valid until" } else { "Was valid until" }}</dt>
                            <dd>{v.valid_until.clone()}</dd>
                        </dl>
                    </section>
                }
                    .into_any()
            },
        )}
    }
}
