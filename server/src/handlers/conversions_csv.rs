//! `GET /console/programs/{id}/conversions.csv`: the conversion list with the page's filters, as
//! CSV for spreadsheets. Operators only (the access guard checks, and so does this handler), and
//! only for a program in their brand scope.

use super::csv_export::{csv_response, operator_report_conn};
use crate::pages;
use app::api::conversions::{filters, ConversionQuery};
use app::backend::ctx::NO_SUCH_PROGRAM;
use app::backend::repos::{conversion_list, programs};
use app::backend::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use tower_sessions::Session;

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Path(program_id): Path<i64>,
    Query(query): Query<ConversionQuery>,
) -> Response {
    let (mut conn, scope) =
        match operator_report_conn(&state, &session, "Only the program's staff can export conversions.").await {
            Ok(found) => found,
            Err(refused) => return refused,
        };
    // The program is read with the operator's scope: another brand's is as missing as none.
    let program = match programs::get_in_scope(&mut conn, &scope, program_id).await {
        Ok(Some(program)) => program,
        Ok(None) => return pages::page(StatusCode::NOT_FOUND, "Not found", NO_SUCH_PROGRAM),
        Err(_) => return pages::unavailable(),
    };
    let filter = match filters::to_filter(program_id, &query) {
        Ok(filter) => filter,
        Err(e) => return pages::page(StatusCode::BAD_REQUEST, "Can't export", &e.to_string()),
    };
    let rows = match conversion_list::export(&mut conn, &filter).await {
        Ok(rows) => rows,
        Err(_) => return pages::unavailable(),
    };
    let mut csv = String::from(
        "conversion_id,occurred_at,order_id,event,partner,attribution,attribution_note,currency,amount,refunded,commission_net,refund_status\r\n",
    );
    for row in rows {
        let (status, _) = filters::refund_status(&row);
        let fields = [
            row.id.to_string(),
            row.occurred_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            row.order_id.clone(),
            row.event.clone(),
            row.partner_name.clone().unwrap_or_default(),
            row.attribution.clone(),
            row.attribution_note.clone().unwrap_or_default(),
            program.currency.clone(),
            row.amount.map(|a| a.normalize().to_string()).unwrap_or_default(),
            row.refunded.normalize().to_string(),
            row.commission
                .map(|_| row.commission_net.normalize().to_string())
                .unwrap_or_default(),
            status.to_owned(),
        ];
        csv.push_str(&app::domain::csv::record(&fields));
    }
    csv_response(&format!("{}-conversions.csv", program.slug), csv)
}
