//! `GET /console/programs/{id}/training.csv?report=courses|certified|expiring`: the Training tab's reports (course
//! figures, certified people per partner, certificates that expire soon) for spreadsheets.
//! Operators only, and only for a program in their brand scope.

use super::csv_export::{csv_response, operator_report_conn};
use crate::pages;
use app::api::training::reports;
use app::backend::ctx::NO_SUCH_PROGRAM;
use app::backend::repos::programs;
use app::backend::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use tower_sessions::Session;

#[derive(serde::Deserialize)]
pub struct Which {
    #[serde(default)]
    report: String,
}

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Path(program_id): Path<i64>,
    Query(Which { report }): Query<Which>,
) -> Response {
    let Some(report) = reports::REPORTS.into_iter().find(|r| *r == report) else {
        return pages::page(StatusCode::NOT_FOUND, "Not found", "There is no such training report.");
    };
    let (mut conn, scope) = match operator_report_conn(
        &state,
        &session,
        "Only the program's staff can export training reports.",
    )
    .await
    {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let program = match programs::get_in_scope(&mut conn, &scope, program_id).await {
        Ok(Some(program)) => program,
        Ok(None) => return pages::page(StatusCode::NOT_FOUND, "Not found", NO_SUCH_PROGRAM),
        Err(_) => return pages::unavailable(),
    };
    let built = match reports::build(&mut conn, program_id, state.settings.clock.now()).await {
        Ok(built) => built,
        Err(_) => return pages::unavailable(),
    };
    let csv = built.csv(report).unwrap_or_default();
    csv_response(&format!("{}-training-{report}.csv", program.slug), csv)
}
