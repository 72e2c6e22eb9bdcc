//! The console's home page: what waits for this operator, and how the last 30 days went in
//! their brands against the 30 before.

use super::error::AppError;
use super::reports::DayDto;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
mod figures;
#[cfg(feature = "ssr")]
mod waiting;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeDto {
    pub operator_name: String,
    pub role_label: String,
    /// "All brands", or the names of the operator's brands.
    pub brands_label: String,
    pub waiting: WaitingDto,
    /// "6 Nov 2026 to 5 Dec 2026"
    pub period_label: String,
    pub previous_label: String,
    pub currencies: Vec<CurrencyDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitingDto {
    /// The person decides none of these queues (a viewer) and sees them to read.
    pub read_only: bool,
    /// Queues with something waiting, in the order of `domain::home::queues::Queue::ALL`.
    pub queues: Vec<QueueDto>,
    /// The labels of this person's queues that are empty.
    pub clear: Vec<String>,
    /// What to do next, when nothing waits at all.
    pub next_step: Option<String>,
    /// The person runs payouts (finance and admins): the home points to the Payouts page.
    pub payouts: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueDto {
    pub key: String,
    pub label: String,
    pub href: String,
    pub count: i64,
    /// How long the oldest item has waited: "2 d 4 h".
    pub oldest: String,
    /// "on_time", "overdue", "escalated"; empty where no SLA runs (holds).
    pub sla: String,
    pub sla_label: String,
    /// The queue narrowed to late items, where it can be.
    pub late_href: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrencyDto {
    pub currency: String,
    pub metrics: Vec<MetricDto>,
    /// Both periods, a day each, oldest first.
    pub daily: Vec<DayDto>,
    pub top: Vec<PartnerLineDto>,
    pub fell: Vec<PartnerLineDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricDto {
    pub key: String,
    pub label: String,
    pub value: String,
    pub previous: String,
    /// "up", "down", "flat"
    pub trend: String,
    /// "▲ 12%"
    pub change: String,
    /// "up 12% on the 30 days before"
    pub change_words: String,
    pub hint: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartnerLineDto {
    pub name: String,
    pub clicks: i64,
    pub conversions: i64,
    pub revenue: String,
    pub previous_revenue: String,
    pub trend: String,
    pub change: String,
    pub change_words: String,
}

#[server(input = GetUrl)]
pub async fn console_home() -> Result<HomeDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{brands, home_figures, home_queues};
    use crate::domain::home::{partners::LISTED, window::Windows};
    let operator = ctx::require_operator().await?;
    let now = ctx::now();
    let windows = Windows::ending(now.to_offset(time::UtcOffset::UTC).date());
    let mut conn = ctx::db().await?;
    let queues = home_queues::waiting(&mut conn, &operator.scope, now).await?;
    // The figures are the heavy part; what waits is read from the primary, current to the second.
    let facts = home_figures::load(
        &mut *ctx::report_db().await?,
        &operator.scope,
        &windows,
        now,
        LISTED as i64,
    )
    .await?;
    let brands: Vec<String> = brands::list(&mut conn, &operator.scope)
        .await?
        .into_iter()
        .map(|(b, _)| b.name)
        .collect();
    Ok(HomeDto {
        operator_name: operator.user.display_name,
        role_label: operator.role.label().into(),
        brands_label: figures::brands_label(operator.scope.sees_everything(), &brands),
        waiting: waiting::waiting(operator.role, &queues, now),
        period_label: figures::period_label(windows.current),
        previous_label: figures::period_label(windows.previous),
        currencies: figures::currencies(&facts, &windows),
    })
}
