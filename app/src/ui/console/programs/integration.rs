//! Copy-paste integration for a program's website: the tracking script, the conversion and refund
//! calls, the postback URL and what each answer means. Every snippet is filled with this
//! program's settings and rendered as text (escaped by Leptos), never as HTML.

use super::super::id_param;
use super::tabs::{BackLink, ProgramHeader, Tab};
use crate::api::program_admin::{program_settings, ProgramSettingsDto};
use crate::ui::resource::resource;
use crate::ui::widgets::load;
use leptos::prelude::*;
use leptos_meta::Title;

/// The snippets for one program.
struct Snippets {
    script: String,
    conversion: String,
    refund: String,
    postback: String,
}

fn snippets(s: &ProgramSettingsDto) -> Snippets {
    let base = s.base_url.trim_end_matches('/');
    let currency = &s.currency;
    Snippets {
        script: format!(
            r#"<script src="{base}/t.js" data-param="{}" data-days="{}" data-model="{}" async></script>"#,
            s.click_param, s.cookie_days, s.attribution_model
        ),
        conversion: format!(
            r#"curl -X POST {base}/api/v1/conversions -H "Authorization: Bearer YOUR_API_KEY" -H "Content-Type: application/json" -d '{{"order_id":"ORDER-1001","event":"sale","amount":"49.90","currency":"{currency}","click_id":"CLICK_ID_FROM_COOKIE","customer_email":"buyer@example.com"}}'"#
        ),
        refund: format!(
            r#"curl -X POST {base}/api/v1/conversions/ORDER-1001/refunds -H "Authorization: Bearer YOUR_API_KEY" -H "Content-Type: application/json" -d '{{"refund_id":"REFUND-1","amount":"10.00"}}'"#
        ),
        postback: format!(
            "{base}/postback?key=YOUR_API_KEY&order_id={{order_id}}&amount={{amount}}&currency={currency}&click_id={{click_id}}&event=sale"
        ),
    }
}

#[component]
pub fn ProgramIntegration() -> impl IntoView {
    let id = id_param;
    let settings = resource(id, program_settings);
    view! {
        <Title text="Integration" />
        <BackLink />
        {load(
            settings,
            move |s| {
                let snippets = snippets(&s);
                let keys = Tab::Keys.href(s.id);
                view! {
                    <ProgramHeader program_id=s.id name=s.name.clone() current=Tab::Integration />
                    <h2>"Integration"</h2>
                    <p>
                        "Three steps connect your shop: the script keeps the click id, your checkout sends each sale, and refunds follow. Every call needs an API key of this program: make one under "
                        <a href=keys.clone()>"API keys"</a>
                        " and put it where the snippets say YOUR_API_KEY. Keep keys on your server, never in pages."
                    </p>

                    <section class="panel" aria-labelledby="script-heading">
                        <h3 id="script-heading">"1. The tracking script"</h3>
                        <p>
                            "Put this tag on every page partners' links can lead to (before "<code>"</body>"</code>
                            " is fine). It reads the "<code>{s.click_param.clone()}</code>
                            " parameter that tracked links add to the landing URL and keeps the click id in a first-party cookie for "
                            {plural(s.cookie_days, "day")}
                            {if s.attribution_model == "first_click" {
                                ", keeping the first click when there are several."
                            } else {
                                ", replacing it when a newer click arrives."
                            }}
                        </p>
                        <Snippet label="Tracking script tag" text=snippets.script />
                        <p>
                            "At checkout, "<code>"trellis.clickId()"</code>
                            " returns the stored click id (or null). Any form input named "
                            <code>{s.click_param.clone()}</code>
                            " (for example a hidden field in your checkout form) is filled with it automatically, so your server receives it with the order."
                        </p>
                    </section>

                    <section class="panel" aria-labelledby="conversion-heading">
                        <h3 id="conversion-heading">"2. Send each sale"</h3>
                        <p>
                            "From your server, when an order is paid. "<code>"order_id"</code>
                            " must be unique per order: sending the same order again is safe and counts it once. "
                            <code>"amount"</code>" is a decimal string in "{s.currency.clone()} ". Add "
                            <code>"\"coupon\":\"CODE\""</code>" when the buyer used a partner's code, and "
                            <code>{format!("\"program\":\"{}\"", s.slug)}</code>
                            " if you want Trellis to refuse a key of another program."
                        </p>
                        <Snippet label="Conversion call" text=snippets.conversion />
                    </section>

                    <section class="panel" aria-labelledby="refund-heading">
                        <h3 id="refund-heading">"3. Send refunds"</h3>
                        <p>
                            "Use the order's "<code>"order_id"</code>" in the address. "<code>"refund_id"</code>
                            " makes retries safe; leave out "<code>"amount"</code>
                            " to refund whatever is left of the order. The partner's commission is reduced to match."
                        </p>
                        <Snippet label="Refund call" text=snippets.refund />
                    </section>

                    <section class="panel" aria-labelledby="postback-heading">
                        <h3 id="postback-heading">"Or: a postback URL"</h3>
                        <p>
                            "If your shop or payment platform can only call a URL, give it this one and let it fill in "
                            <code>"{order_id}"</code>", "<code>"{amount}"</code>" and "<code>"{click_id}"</code>
                            " with its own placeholders. It answers in one line of plain text: "
                            <code>"OK created …"</code> " or "<code>"ERROR 422 field: message"</code>"."
                        </p>
                        <p class="hint">
                            "If the platform can set a header, send the key as "<code>"Authorization: Bearer YOUR_API_KEY"</code>
                            " and leave "<code>"key="</code>" out of the URL: addresses end up in logs along the way."
                        </p>
                        <Snippet label="Postback URL" text=snippets.postback />
                    </section>

                    <section class="panel" aria-labelledby="answers-heading">
                        <h3 id="answers-heading">"What the answers mean"</h3>
                        <div class="table-wrap">
                            <table class="answers">
                                <caption class="sr-only">"HTTP status codes of the tracking API"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Meaning"</th>
                                        <th scope="col">"What to do"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    <tr>
                                        <td>
                                            <code>"201"</code>
                                        </td>
                                        <td>"Created: the sale or refund was recorded."</td>
                                        <td>"Nothing. The answer shows the attribution and the commission."</td>
                                    </tr>
                                    <tr>
                                        <td>
                                            <code>"200"</code>
                                        </td>
                                        <td>
                                            "Replay: this order_id (or refund_id) was already recorded with the same data."
                                        </td>
                                        <td>
                                            "Nothing. The stored result comes back and nothing is counted twice, so retrying is always safe."
                                        </td>
                                    </tr>
                                    <tr>
                                        <td>
                                            <code>"409"</code>
                                        </td>
                                        <td>"Conflict: the order_id was already recorded with different data."</td>
                                        <td>
                                            "Check "<code>"differing_fields"</code>
                                            " in the answer. Use a new order_id for a new order, or send a refund to change an old one."
                                        </td>
                                    </tr>
                                    <tr>
                                        <td>
                                            <code>"401"</code>
                                            " / "
                                            <code>"403"</code>
                                        </td>
                                        <td>
                                            "Key problem: 401 means the key is missing, unknown or revoked; 403 means it belongs to another program."
                                        </td>
                                        <td>
                                            "Check the Authorization header, or make a new key under "
                                            <a href=keys>"API keys"</a>"."
                                        </td>
                                    </tr>
                                    <tr>
                                        <td>
                                            <code>"422"</code>
                                            " / "
                                            <code>"400"</code>
                                        </td>
                                        <td>
                                            "A bad field (422) or a body that can't be read (400). The error JSON names the field: "
                                            <code>
                                                "{\"error\":{\"code\":\"unprocessable\",\"field\":\"currency\",\"message\":\"…\"}}"
                                            </code>
                                        </td>
                                        <td>"Fix that field and send again."</td>
                                    </tr>
                                    <tr>
                                        <td>
                                            <code>"413"</code>
                                        </td>
                                        <td>"Too large: the body is over 16 KB."</td>
                                        <td>"Send less metadata."</td>
                                    </tr>
                                    <tr>
                                        <td>
                                            <code>"503"</code>
                                        </td>
                                        <td>"Trellis is briefly unavailable."</td>
                                        <td>"Retry after the seconds in the Retry-After header; replays are safe."</td>
                                    </tr>
                                </tbody>
                            </table>
                        </div>
                    </section>
                }
                    .into_any()
            },
        )}
    }
}

fn plural(n: i32, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A snippet as plain text, with a copy button (the text stays selectable without JavaScript).
#[component]
fn Snippet(label: &'static str, text: String) -> impl IntoView {
    view! {
        <figure class="snippet-block">
            <figcaption class="sr-only">{label}</figcaption>
            <pre class="snippet">
                <code>{text.clone()}</code>
            </pre>
            <button
                type="button"
                class="button secondary"
                data-copy=text
                aria-label=format!("Copy {}", label.to_lowercase())
            >
                "Copy"
            </button>
        </figure>
    }
}
