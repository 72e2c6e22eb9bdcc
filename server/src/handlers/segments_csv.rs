//! `GET /console/programs/{id}/segments/{segment}.csv`: a segment's members as they are now,
//! with the facts its filter read, for spreadsheets and mailing tools. Operators only, and only
//! for a program in their brand scope; another program's segment is not found.

use super::csv_export::{csv_response, operator_report_conn};
use crate::pages;
use app::api::error::AppError;
use app::backend::ctx::NO_SUCH_PROGRAM;
use app::backend::repos::{programs, segments as repo};
use app::backend::segments;
use app::backend::state::AppState;
use app::domain::csv::record;
use app::domain::segments::filter::Filter;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tower_sessions::Session;

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Path((program_id, file)): Path<(i64, String)>,
) -> Response {
    let Some(segment_id) = file.strip_suffix(".csv").and_then(|id| id.parse::<i64>().ok()) else {
        return pages::page(StatusCode::NOT_FOUND, "Not found", segments::SEGMENT_MISSING);
    };
    let (mut conn, scope) =
        match operator_report_conn(&state, &session, "Only the program's staff can export segments.").await {
            Ok(found) => found,
            Err(refused) => return refused,
        };
    let program = match programs::get_in_scope(&mut conn, &scope, program_id).await {
        Ok(Some(program)) => program,
        Ok(None) => return pages::page(StatusCode::NOT_FOUND, "Not found", NO_SUCH_PROGRAM),
        Err(_) => return pages::unavailable(),
    };
    let (_, filter) = match segments::resolve(&mut conn, program_id, segment_id).await {
        Ok(found) => found,
        Err(AppError::NotFound(message)) => return pages::page(StatusCode::NOT_FOUND, "Not found", &message),
        Err(AppError::Conflict(message)) => return pages::page(StatusCode::CONFLICT, "Can't export", &message),
        Err(_) => return pages::unavailable(),
    };
    let today = state.settings.clock.now().date();
    let Ok(members) = repo::members(&mut conn, program_id, &filter, today, None).await else {
        return pages::unavailable();
    };
    csv_response(
        &format!("{}-segment-{segment_id}.csv", program.slug),
        members_csv(&members, &filter, &program.currency),
    )
}

fn members_csv(members: &[repo::Member], filter: &Filter, currency: &str) -> String {
    let window = filter.window_days;
    let mut csv = record(&[
        "partner_id".to_owned(),
        "name".into(),
        "email".into(),
        "kind".into(),
        "country".into(),
        "tier".into(),
        "tags".into(),
        format!("revenue_{window}d_{currency}"),
        format!("commission_{window}d_{currency}"),
        format!("conversions_{window}d"),
        format!("clicks_{window}d"),
        format!("bot_clicks_{window}d"),
        format!("refunded_{window}d"),
        format!("won_deals_{window}d"),
        "last_active".into(),
        "activated".into(),
    ]);
    for m in members {
        let f = &m.facts;
        csv.push_str(&record(&[
            f.partner_id.to_string(),
            m.name.clone(),
            m.email.clone(),
            f.kind.clone(),
            f.country.clone(),
            f.tier.clone().unwrap_or_default(),
            f.tags.join(" "),
            f.revenue.to_string(),
            f.commission.to_string(),
            f.conversions.to_string(),
            f.clicks.to_string(),
            f.bot_clicks.to_string(),
            f.refunded.to_string(),
            f.won_deals.to_string(),
            f.last_active.map(|d| d.to_string()).unwrap_or_default(),
            if f.activated { "yes" } else { "no" }.into(),
        ]));
    }
    csv
}
