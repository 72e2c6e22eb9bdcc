//! The dev mailbox: every email Trellis queued and whether it went out.

use super::query_param;
use crate::api::outbox::{list_outbox, outbox_message};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState, Pager, StatusBadge};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Outbox() -> impl IntoView {
    let page = move || query_param("page").and_then(|p| p.parse::<i64>().ok());
    let messages = resource(page, list_outbox);
    view! {
        <Title text="Mailbox" />
        <h1>"Mailbox"</h1>
        <p class="muted">
            "Every email Trellis sends goes through this outbox. Without SMTP configured, messages are also written as .eml files in the data folder."
        </p>
        {load(
            messages,
            move |value| {
                match value {
                    list if list.rows.is_empty() => {
                        view! {
                            <EmptyState title="No email yet">
                                <p>
                                    "Messages appear here when partners apply, operators decide, or someone resets a password."
                                </p>
                            </EmptyState>
                        }
                            .into_any()
                    }
                    list => {
                        view! {
                            <div class="table-wrap">
                                <table>
                                    <caption class="sr-only">"Queued and sent email"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Queued"</th>
                                            <th scope="col">"To"</th>
                                            <th scope="col">"Subject"</th>
                                            <th scope="col">"Status"</th>
                                            <th scope="col">"Attempts"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .rows
                                            .clone()
                                            .into_iter()
                                            .map(|m| {
                                                view! {
                                                    <tr>
                                                        <td>{m.created_at}</td>
                                                        <td>{m.to}</td>
                                                        <td>
                                                            <a href=format!("/console/outbox/{}", m.id)>{m.subject}</a>
                                                        </td>
                                                        <td>
                                                            <StatusBadge status=m.status.clone() label=m.status />
                                                        </td>
                                                        <td>{m.attempts}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager page=list.page page_count=list.page_count() total=list.total />
                        }
                            .into_any()
                    }
                }
            },
        )}
    }
}

#[component]
pub fn OutboxMessage() -> impl IntoView {
    let id = super::id_param;
    let message = resource(id, outbox_message);
    view! {
        <Title text="Message" />
        <p>
            <a href="/console/outbox">"← Mailbox"</a>
        </p>
        {load(
            message,
            move |m| {
                view! {
                    <h1>{m.subject.clone()}</h1>
                    <section class="panel">
                        <dl class="facts">
                            <dt>"To"</dt>
                            <dd>{m.to.clone()}</dd>
                            <dt>"Status"</dt>
                            <dd>
                                <StatusBadge status=m.status.clone() label=m.status.clone() />
                            </dd>
                            <dt>"Queued"</dt>
                            <dd>{m.created_at.clone()}</dd>
                            <dt>"Sent"</dt>
                            <dd>{m.sent_at.clone().unwrap_or_else(|| "not yet".into())}</dd>
                            {m
                                .last_error
                                .clone()
                                .map(|e| {
                                    view! {
                                        <dt>"Last error"</dt>
                                        <dd>{e}</dd>
                                    }
                                })}
                        </dl>
                        <h2>"Plain-text part"</h2>
                        <pre class="mail-body">{m.body_text.clone()}</pre>
                    </section>
                }
                    .into_any()
            },
        )}
    }
}
