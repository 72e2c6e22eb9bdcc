//! A payout run's files and its settlement upload, outside Leptos because they are files:
//! `GET /console/payouts/{id}/sepa/{brand}` (the bank file, audited),
//! `GET /console/payouts/{id}/export/{format}` (PayPal, Wise or generic CSV, accounts masked),
//! and `POST /console/payouts/{id}/settlement` (the bank's settlement CSV, a plain multipart
//! form: checked whole, then applied or not at all; refusals go back to the run's page).

use super::attachment::attachment;
use super::csv_export::csv_response;
use super::operator_gate::{operator_with, Refusals};
use super::upload_form;
use crate::pages;
use app::api::error::AppError;
use app::api::payout_runs::build::settlement_refusal_key;
use app::backend::auth::AuthUser;
use app::backend::csrf::CsrfToken;
use app::backend::ctx::ClientIp;
use app::backend::flows::RequestMeta;
use app::backend::payouts::{files, settle, Finance};
use app::backend::scope::Scope;
use app::backend::state::AppState;
use app::domain::access::Permission;
use app::domain::payouts::exports::Format;
use app::domain::payouts::settlement::{self, Line};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use diesel_async::AsyncPgConnection;
use tower_sessions::Session;

/// The largest settlement file read.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_BODY_BYTES: usize = MAX_FILE_BYTES + 64 * 1024;

const REFUSALS: Refusals = Refusals {
    not_staff: "Only the brand's finance team handles payouts.",
    no_permission: "Only finance and admins handle payout files.",
};

/// The finance operator and their scope, or the page that refuses them.
async fn finance_user(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    session: &Session,
    run_id: i64,
) -> Result<(AuthUser, Scope), Response> {
    let page = format!("/console/payouts/{run_id}");
    let user = operator_with(
        conn,
        session,
        &state.settings,
        Some(Permission::RunPayouts),
        &page,
        REFUSALS,
    )
    .await?;
    let scope = Scope::of_operator(conn, user.id, user.brand_scoped)
        .await
        .map_err(|_| pages::unavailable())?;
    Ok((user, scope))
}

fn refused(error: AppError) -> Response {
    match error {
        AppError::NotFound(message) => pages::page(StatusCode::NOT_FOUND, "Not found", &message),
        AppError::Forbidden => pages::forbidden(REFUSALS.no_permission),
        AppError::Unavailable => pages::unavailable(),
        other => pages::page(StatusCode::CONFLICT, "Can't make the file", &other.to_string()),
    }
}

pub async fn sepa(
    State(state): State<AppState>,
    session: Session,
    Path((run_id, brand_id)): Path<(i64, i64)>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let (user, scope) = match finance_user(&state, &mut conn, &session, run_id).await {
        Ok(found) => found,
        Err(refusal) => return refusal,
    };
    let meta = upload_form::request_meta(&headers, ip);
    let fin = finance(&state, &user, &scope, &meta);
    match files::sepa_file(&mut conn, &fin, state.settings.data_key.as_ref(), run_id, brand_id).await {
        Ok(file) => attachment(&file.name, "application/xml", file.body),
        Err(error) => refused(error),
    }
}

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Path((run_id, format)): Path<(i64, String)>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
) -> Response {
    let Some(format) = Format::parse(&format) else {
        return pages::page(StatusCode::NOT_FOUND, "Not found", "There is no such payout file.");
    };
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let (user, scope) = match finance_user(&state, &mut conn, &session, run_id).await {
        Ok(found) => found,
        Err(refusal) => return refusal,
    };
    let meta = upload_form::request_meta(&headers, ip);
    match files::csv(&mut conn, &finance(&state, &user, &scope, &meta), run_id, format).await {
        Ok(file) => csv_response(&file.name, file.body),
        Err(error) => refused(error),
    }
}

pub async fn settlement(
    State(state): State<AppState>,
    session: Session,
    Path(run_id): Path<i64>,
    Extension(expected): Extension<CsrfToken>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let (user, scope) = match finance_user(&state, &mut conn, &session, run_id).await {
        Ok(found) => found,
        Err(refusal) => return refusal,
    };
    let form = match upload_form::read_or_refuse(
        multipart,
        &expected.0,
        MAX_FILE_BYTES,
        "The settlement file is larger than 5 MB.",
    )
    .await
    {
        Ok(form) => form,
        Err(refusal) => return refusal,
    };
    let meta = upload_form::request_meta(&headers, ip);
    let outcome = match (form.too_large.first(), form.file("file")) {
        (Some(_), _) => Err(AppError::field("file", "The settlement file is larger than 5 MB.")),
        (None, None) => Err(AppError::field("file", "Choose the bank's settlement file (CSV).")),
        (None, Some(bytes)) => match read_lines(bytes) {
            Ok(lines) => settle::settle_file(&mut conn, &finance(&state, &user, &scope, &meta), run_id, &lines).await,
            Err(message) => Err(AppError::field("file", message)),
        },
    };
    let back = Redirect::to(&format!("/console/payouts/{run_id}")).into_response();
    match outcome {
        Ok((paid, failed)) => {
            let message = format!("Settlement file applied: {paid} paid, {failed} failed.");
            let _ = app::api::flash::keep_for_next_page(&session, message).await;
            back
        }
        Err(AppError::NotFound(message)) => pages::page(StatusCode::NOT_FOUND, "Not found", &message),
        Err(AppError::Forbidden) => pages::forbidden(REFUSALS.no_permission),
        Err(AppError::Unavailable) => pages::unavailable(),
        Err(error) => {
            if session.insert(&settlement_refusal_key(run_id), error).await.is_err() {
                return pages::unavailable();
            }
            back
        }
    }
}

fn finance<'a>(state: &'a AppState, user: &'a AuthUser, scope: &'a Scope, meta: &'a RequestMeta) -> Finance<'a> {
    Finance {
        user,
        scope,
        meta,
        base_url: &state.settings.base_url,
        now: state.settings.clock.now(),
    }
}

/// The settlement file's rows, or what is wrong with it (every bad row listed).
fn read_lines(bytes: &[u8]) -> Result<Vec<Line>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| "The file isn't a CSV file with a header row.".to_owned())?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let missing = settlement::missing_columns(&header);
    if !missing.is_empty() {
        return Err(format!(
            "The header row lacks these columns: {}. It needs {}.",
            missing.join(", "),
            settlement::COLUMNS.join(",")
        ));
    }
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let Ok(record) = record else {
            problems.push(format!("Row {row}: it can't be read as CSV."));
            continue;
        };
        let field = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .to_owned()
        };
        match settlement::parse_line(row, field) {
            Ok(line) => lines.push(line),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(lines)
    } else {
        Err(format!("Nothing was applied. {}", problems.join(" ")))
    }
}

#[derive(serde::Deserialize)]
pub struct YearEnd {
    year: Option<i32>,
    minimum: Option<String>,
}

/// `GET /console/payouts/1099.csv?year=2026&minimum=600`: US persons (a W-9) paid at least the
/// minimum (600 USD unless told) in the calendar year, by the operator's brands; TINs masked.
pub async fn year_end(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Query(query): axum::extract::Query<YearEnd>,
) -> Response {
    let Ok(mut conn) = state.pool.get().await else {
        return pages::unavailable();
    };
    let page = "/console/payouts";
    let user = match operator_with(
        &mut conn,
        &session,
        &state.settings,
        Some(Permission::RunPayouts),
        page,
        REFUSALS,
    )
    .await
    {
        Ok(user) => user,
        Err(refusal) => return refusal,
    };
    let Ok(scope) = Scope::of_operator(&mut conn, user.id, user.brand_scoped).await else {
        return pages::unavailable();
    };
    let year = query.year.unwrap_or_else(|| state.settings.clock.now().year());
    let minimum = match query.minimum.as_deref().map(str::parse::<rust_decimal::Decimal>) {
        None => rust_decimal::Decimal::from(600),
        Some(Ok(minimum)) if minimum >= rust_decimal::Decimal::ZERO => minimum,
        Some(_) => {
            return pages::page(
                StatusCode::BAD_REQUEST,
                "Bad minimum",
                "Write the minimum in USD, like 600.",
            )
        }
    };
    if !(2000..=2100).contains(&year) {
        return pages::page(
            StatusCode::BAD_REQUEST,
            "Bad year",
            "Choose a calendar year, like 2026.",
        );
    }
    let rows = match app::backend::repos::payout_runs::year_end_1099(&mut conn, &scope.brands, year, minimum).await {
        Ok(rows) => rows,
        Err(_) => return pages::unavailable(),
    };
    let rows: Vec<app::domain::payouts::exports::YearEndRow> = rows
        .into_iter()
        .map(|r| app::domain::payouts::exports::YearEndRow {
            partner_name: r.partner_name,
            legal_name: r.legal_name,
            entity_type: r.entity_type.unwrap_or_default(),
            tin_last4: r.tin_last4,
            address: r.address,
            paid: r.paid,
            payments: r.payments,
        })
        .collect();
    csv_response(
        &format!("1099-nec-{year}.csv"),
        app::domain::payouts::exports::year_end_csv(year, &rows),
    )
}
