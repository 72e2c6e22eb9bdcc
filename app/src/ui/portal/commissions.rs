//! `/portal/commissions`: the partner's balance by standing in each currency, and the ledger
//! with the terms and the reason behind every entry. Reversals after a refund show as negative
//! entries and come off the balance they belong to.

use super::ledger_table::LedgerTable;
use crate::api::my_commissions::{my_ledger, BalanceDto, LedgerQuery, MyLedgerDto};
use crate::domain::commission::ledger::Standing;
use crate::ui::params::query_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState, Pager, ProgramFilter};
use leptos::prelude::*;
use leptos_meta::Title;

fn query_from_url() -> LedgerQuery {
    LedgerQuery {
        program: query_param("program").and_then(|p| p.parse().ok()),
        standing: query_param("standing"),
        page: query_param("page").and_then(|p| p.parse().ok()),
    }
}

#[component]
pub fn Commissions() -> impl IntoView {
    let ledger = resource(query_from_url, my_ledger);
    view! {
        <Title text="Commissions" />
        <h1>"Commissions"</h1>
        {load(ledger, move |l| view! { <LedgerPage ledger=l /> }.into_any())}
    }
}

/// What each card means, in a few words.
fn card_hint(standing: &str) -> &'static str {
    match standing {
        "pending" => "Waiting for the program's approval",
        "on_hold" => "Being checked by the program",
        "approved" => "Approved, locked until the lock period ends",
        "payable" => "Ready for the next payout",
        _ => "Not paid",
    }
}

#[component]
fn LedgerPage(ledger: MyLedgerDto) -> impl IntoView {
    if ledger.programs.is_empty() {
        return view! {
            <EmptyState title="No commissions yet">
                <p>
                    "Commissions appear here once a program approves you and your links bring sales. "
                    <a href="/portal/programs">"See your programs"</a>"."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    let query = query_from_url();
    let locks = ledger
        .locks
        .iter()
        .map(|l| format!("{}: {} days", l.program_name, l.lock_days))
        .collect::<Vec<_>>()
        .join(", ");
    let filtered = query.program.is_some() || query.standing.is_some();
    view! {
        <section class="panel" aria-labelledby="balance-heading">
            <h2 id="balance-heading">"Your balance"</h2>
            <dl class="cards balances">
                {ledger.balances.into_iter().map(|b| view! { <BalanceCard b /> }).collect_view()}
            </dl>
            <p class="muted">
                {format!(
                    "Approved commission becomes payable when the program's lock period ends ({locks}). A refund after approval shows below as a negative entry and reduces the balance it falls in.",
                )}
            </p>
        </section>
        <section class="panel" aria-labelledby="ledger-heading">
            <h2 id="ledger-heading">"Every entry"</h2>
            <form method="get" class="filters" role="search" aria-label="Filter your commissions">
                <ProgramFilter id="ledger-program" programs=ledger.programs.clone() selected=query.program />
                <div class="field">
                    <label for="ledger-standing">"Standing"</label>
                    <select id="ledger-standing" name="standing">
                        <option value="">"Any standing"</option>
                        {Standing::ALL
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=s.as_str() selected=query.standing.as_deref() == Some(s.as_str())>
                                        {s.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button secondary">
                    "Show"
                </button>
                <a href="/portal/commissions">"Clear filters"</a>
            </form>
            <LedgerTable rows=ledger.page.rows.clone() filtered />
            {(ledger.page.total > 0 || ledger.page.page > 1)
                .then(|| {
                    view! {
                        <Pager page=ledger.page.page page_count=ledger.page.page_count() total=ledger.page.total />
                    }
                })}
        </section>
    }
    .into_any()
}

#[component]
fn BalanceCard(b: BalanceDto) -> impl IntoView {
    let hint = card_hint(&b.standing);
    view! {
        <div class=format!("card balance-{}", b.standing)>
            <dt>{b.label.clone()}</dt>
            <dd>
                {b.amounts.iter().map(|a| view! { <span class="card-value">{a.clone()}</span> }).collect_view()}
                <span class="card-hint">
                    {format!("{hint} · {} {}", b.entries, if b.entries == 1 { "entry" } else { "entries" })}
                </span>
            </dd>
        </div>
    }
}
