//! What every CSV export shares: only operators may download, and the answer is a CSV
//! attachment.

use crate::pages;
use app::backend::auth;
use app::backend::repos::users::Account;
use app::backend::state::AppState;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use diesel_async::AsyncPgConnection;
use tower_sessions::Session;

/// Refuses anyone but a logged-in operator with `message` (a 403 page), or a 503 when the
/// session can't be read.
pub async fn require_operator(
    conn: &mut AsyncPgConnection,
    session: &Session,
    state: &AppState,
    message: &str,
) -> Result<(), Response> {
    match auth::current_user(conn, session, &state.settings).await {
        Ok(Some(user)) if matches!(user.account, Account::Operator(_)) => Ok(()),
        Ok(_) => Err(pages::forbidden(message)),
        Err(_) => Err(pages::unavailable()),
    }
}

/// `csv` as a download named `filename` (letters, digits, dots and dashes only).
pub fn csv_response(filename: &str, csv: String) -> Response {
    let safe: String = filename
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{safe}\"")),
        ],
        csv,
    )
        .into_response()
}
