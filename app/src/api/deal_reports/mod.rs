//! The deal pipeline report in the console: pipeline by stage, program and partner, this
//! quarter's forecast, win rates by partner kind, registration velocity and approval SLA
//! compliance, each as a table that sorts, pages and exports to CSV
//! (`/console/reports/deals.csv?table=…`). Every operator may read it; changing a program's
//! stage probabilities needs ManagePrograms.

use super::error::AppError;
use super::reports::ProgramChoice;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod build;
#[cfg(feature = "ssr")]
pub mod tables;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnDto {
    pub key: String,
    pub label: String,
    pub numeric: bool,
}

/// One table, sorted and cut to one page, with its CSV link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableDto {
    /// Names the table in URLs: `{id}_sort`, `{id}_page`, `table={id}`.
    pub id: String,
    pub title: String,
    /// What the table covers.
    pub intro: String,
    pub columns: Vec<ColumnDto>,
    pub rows: Vec<Vec<String>>,
    /// The column it is sorted by ("" when in its own order).
    pub sort: String,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// What to say, and what to do, when there are no rows.
    pub empty: String,
    pub csv_href: String,
}

/// A bar chart: one bar per category, stacked from one value per series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartDto {
    pub title: String,
    pub series: Vec<String>,
    /// (category label, one value per series)
    pub bars: Vec<(String, Vec<i64>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardDto {
    pub label: String,
    /// One line each: amounts in different currencies are never added together.
    pub values: Vec<String>,
    pub hint: String,
}

/// A section of the page: a table, and a chart above it for some.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionDto {
    pub table: TableDto,
    pub chart: Option<ChartDto>,
}

/// The chosen program's stage probabilities, for the form (or to read).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbabilitiesDto {
    pub program_id: i64,
    pub program_name: String,
    /// (stage field name, label, percentage) for the four open stages.
    pub stages: Vec<(String, String, String)>,
    pub can_manage: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealReportDto {
    pub programs: Vec<ProgramChoice>,
    /// (value, label) of every partner kind.
    pub kinds: Vec<(String, String)>,
    pub program: Option<i64>,
    pub kind: Option<String>,
    pub from: String,
    pub to: String,
    /// "Q4 2026 (1 Oct to 31 Dec)".
    pub quarter: String,
    /// False when no deal matches the filters at all (the page then says what to do).
    pub has_deals: bool,
    pub cards: Vec<CardDto>,
    pub sections: Vec<SectionDto>,
    pub probabilities: Option<ProbabilitiesDto>,
}

/// The report for the filters. `view` carries each table's sort and page as they appear in the
/// page's URL (`partners_sort=value&partners_page=2`).
#[server(input = GetUrl)]
pub async fn deal_report(
    program: Option<i64>,
    kind: Option<String>,
    from: Option<String>,
    to: Option<String>,
    view: Option<String>,
) -> Result<DealReportDto, AppError> {
    use crate::backend::ctx;
    use crate::domain::access::Permission;
    let operator = ctx::require_operator().await?;
    let filter = build::filter(&operator.scope, program, kind, from.as_deref(), to.as_deref())?;
    let mut conn = ctx::report_db().await?;
    let can_manage = operator.role.can(Permission::ManagePrograms);
    build::report(
        &mut conn,
        filter,
        view.as_deref().unwrap_or(""),
        ctx::now(),
        can_manage,
        &operator.scope,
    )
    .await
}

/// Sets a program's stage probabilities (percent; won is always 100 and lost 0).
#[server]
pub async fn save_stage_probabilities(
    csrf_token: String,
    program_id: i64,
    registered: String,
    qualified: String,
    proposal: String,
    negotiation: String,
) -> Result<(), AppError> {
    use crate::backend::{ctx, flows::stage_probabilities};
    use crate::domain::access::Permission;
    ctx::verify_csrf(&csrf_token)?;
    let operator = ctx::require_program_permission(program_id, Permission::ManagePrograms).await?;
    let inputs = [&*registered, &*qualified, &*proposal, &*negotiation];
    let (meta, now) = (ctx::request_meta(), ctx::now());
    stage_probabilities::save(&mut *ctx::db().await?, &operator.user, program_id, inputs, &meta, now).await?;
    super::flash::after_plain_post("Stage probabilities saved. The forecast uses them from now on.").await
}

#[cfg(all(test, feature = "ssr"))]
mod tests;
