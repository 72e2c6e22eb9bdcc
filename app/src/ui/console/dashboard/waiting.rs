//! "Waiting for you": one line per queue with something in it (count, the oldest item's age,
//! the SLA mark), the queues that are clear, and where payouts will appear.

use crate::api::dashboard::{QueueDto, WaitingDto};
use crate::ui::widgets::{EmptyState, StatusBadge};
use leptos::prelude::*;

#[component]
pub fn Waiting(w: WaitingDto) -> impl IntoView {
    let heading = if w.read_only {
        "Waiting in your brands"
    } else {
        "Waiting for you"
    };
    let clear =
        (!w.clear.is_empty() && !w.queues.is_empty()).then(|| format!("Nothing waiting: {}.", w.clear.join(", ")));
    view! {
        <section class="panel home-waiting" aria-labelledby="waiting-heading">
            <h2 id="waiting-heading">{heading}</h2>
            {w
                .read_only
                .then(|| {
                    view! {
                        <p class="muted">
                            "Your role reads these queues and decides none of them. An admin can give you a role that decides."
                        </p>
                    }
                })}
            {w
                .next_step
                .map(|step| {
                    view! {
                        <EmptyState title="All caught up">
                            <p>{step}</p>
                        </EmptyState>
                    }
                })}
            <ul class="queue-list">{w.queues.into_iter().map(|q| view! { <QueueLine q /> }).collect_view()}</ul>
            {clear.map(|text| view! { <p class="muted">{text}</p> })}
            {w
                .payouts
                .then(|| {
                    view! {
                        <p class="queue-future">
                            <strong>"Payouts"</strong>
                            " Make payout runs, approve your colleagues' runs and settle payments on the "
                            <a href="/console/payouts">"Payouts page"</a>
                            "."
                        </p>
                    }
                })}
        </section>
    }
}

#[component]
fn QueueLine(q: QueueDto) -> impl IntoView {
    let mark = (!q.sla.is_empty()).then(|| {
        let status = format!("sla-{}", q.sla);
        match q.late_href.clone() {
            Some(href) => view! {
                <a class=format!("badge badge-{status}") href=href title="Show only the late ones">
                    {q.sla_label.clone()}
                </a>
            }
            .into_any(),
            None => view! { <StatusBadge status label=q.sla_label.clone() /> }.into_any(),
        }
    });
    view! {
        <li class=format!("queue queue-{}", if q.sla.is_empty() { "hold" } else { q.sla.as_str() })>
            <a class="queue-link" href=q.href.clone()>
                <span class="queue-count">{q.count}</span>
                <span>{q.label.clone()}</span>
            </a>
            <span class="queue-age">{format!("oldest waiting {}", q.oldest)}</span>
            {mark}
        </li>
    }
}
