//! `/console/commissions`: the approval queue. Stage tabs with counts, filters, a sortable and
//! paged table, row decisions and batch approval. A refused decision shows on its row (with
//! JavaScript) or at the top of the page, naming the commission.

use super::batch::{BatchForm, BatchResult};
use super::decide::error_text;
use super::filters::{QueueFilters, StageTabs};
use super::table::QueueTable;
use crate::api::approvals::{commission_queue, ApproveSelected, DecideCommission, QueueDto, QueueQuery};
use crate::ui::params::query_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, Notice, Pager};
use leptos::prelude::*;
use leptos_meta::Title;

fn query_from_url() -> QueueQuery {
    QueueQuery {
        tab: query_param("tab"),
        program: query_param("program").and_then(|p| p.parse().ok()),
        partner: query_param("partner"),
        min_amount: query_param("min_amount"),
        overdue: query_param("overdue"),
        sort: query_param("sort"),
        page: query_param("page").and_then(|p| p.parse().ok()),
    }
}

#[component]
pub fn CommissionQueue() -> impl IntoView {
    let decide = ServerAction::<DecideCommission>::new();
    let batch = ServerAction::<ApproveSelected>::new();
    let queue = resource(
        move || (query_from_url(), decide.version().get(), batch.version().get()),
        |(query, _, _)| commission_queue(query),
    );
    // Which commission the last decision (with JavaScript) was about, to show a refusal on its row.
    let last_id = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        if let Some(input) = decide.input().get() {
            last_id.set(Some(input.id));
        }
    });
    let decided = move || decide.value().get().and_then(Result::ok).map(|d| d.message);
    view! {
        <Title text="Commissions" />
        <h1>"Commission approvals"</h1>
        <Show when=move || decided().is_some()>
            <Notice>{decided}</Notice>
        </Show>
        <BatchResult action=batch />
        {load(queue, move |q| view! { <QueuePage queue=q decide batch last_id /> }.into_any())}
    }
}

#[component]
fn QueuePage(
    queue: QueueDto,
    decide: ServerAction<DecideCommission>,
    batch: ServerAction<ApproveSelected>,
    last_id: RwSignal<Option<i64>>,
) -> impl IntoView {
    let query = query_from_url();
    let filtered =
        query.program.is_some() || query.partner.is_some() || query.min_amount.is_some() || query.overdue.is_some();
    let shown: Vec<i64> = queue.page.rows.iter().map(|r| r.id).collect();
    // A refusal whose row isn't on this page (it moved on, or the post came without JavaScript).
    let page_error = Signal::derive(move || {
        let on_page = last_id.get().is_some_and(|id| shown.contains(&id));
        decide
            .value()
            .get()
            .and_then(Result::err)
            .filter(|_| !on_page)
            .map(|e| error_text(&e))
    });
    let approvable = queue.page.rows.iter().any(|r| r.offered.approve);
    let sort = query.sort.clone().unwrap_or_else(|| "waiting".into());
    view! {
        <Show when=move || page_error.with(Option::is_some)>
            <div class="alert alert-error" role="alert">
                {move || page_error.get()}
            </div>
        </Show>
        <StageTabs queue=queue.clone() />
        <QueueFilters queue=queue.clone() query=query.clone() />
        {(!queue.can_decide)
            .then(|| {
                view! {
                    <p class="muted">
                        {format!(
                            "You can read this queue. Decisions need the Partner manager or Finance role; you are {}.",
                            queue.role_label,
                        )}
                    </p>
                }
            })}
        {approvable.then(|| view! { <BatchForm action=batch /> })}
        <QueueTable rows=queue.page.rows.clone() sort filtered decide last_id />
        {(queue.page.total > 0 || queue.page.page > 1)
            .then(|| {
                view! { <Pager page=queue.page.page page_count=queue.page.page_count() total=queue.page.total /> }
            })}
    }
}
