//! `GET /console/reports/deals.csv?table=…`: one table of the deal pipeline report, with the
//! page's filters and sort, every row, as CSV for spreadsheets. Operators only (the access guard
//! checks, and so does this handler), over the programs of their brand scope. The tables are the
//! page's own (`app::api::deal_reports`).

use super::csv_export::{csv_response, operator_report_conn};
use crate::pages;
use app::api::deal_reports::build;
use app::api::deal_reports::tables::{self, DealTable};
use app::api::error::AppError;
use app::backend::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Debug, Default, Deserialize)]
pub struct CsvQuery {
    pub table: Option<String>,
    pub program: Option<String>,
    pub kind: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
}

pub async fn export(State(state): State<AppState>, session: Session, Query(query): Query<CsvQuery>) -> Response {
    let (mut conn, scope) =
        match operator_report_conn(&state, &session, "Only the program's staff can export reports.").await {
            Ok(found) => found,
            Err(refused) => return refused,
        };
    let Some(which) = query.table.as_deref().and_then(DealTable::parse) else {
        return pages::page(
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no such table in the deal report.",
        );
    };
    let program = match query
        .program
        .as_deref()
        .filter(|p| !p.is_empty())
        .map(str::parse::<i64>)
    {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => {
            return pages::page(
                StatusCode::BAD_REQUEST,
                "Can't export",
                "Choose a program from the list.",
            )
        }
    };
    let filter = match build::filter(
        &scope,
        program,
        query.kind.clone(),
        query.from.as_deref(),
        query.to.as_deref(),
    ) {
        Ok(filter) => filter,
        Err(AppError::NotFound(message)) => return pages::page(StatusCode::NOT_FOUND, "Not found", &message),
        Err(e) => {
            let message = e
                .field_errors()
                .and_then(|f| f.errors.first())
                .map_or_else(|| e.to_string(), |f| f.message.clone());
            return pages::page(StatusCode::BAD_REQUEST, "Can't export", &message);
        }
    };
    let now = state.settings.clock.now();
    let Ok(loaded) = tables::load(&mut conn, &filter, now, &[which]).await else {
        return pages::unavailable();
    };
    let (table, _) = build::sorted(which, &loaded, query.sort.as_deref().unwrap_or(""));
    csv_response(&format!("deals-{}-{}.csv", which.slug(), now.date()), table.to_csv())
}
